/**
 * Faults of the key endpoint, beyond keys.test.ts: every request is counted, time is a ManualClock
 * with short configured intervals (background work is awaited through its events, never by sleeping),
 * and every test ends by checking that the token accepted before the fault is accepted again after it
 * (`tokenCache: false`, so no cache can hide a lockout or a poisoned key set).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createEntraValidator, EntraConfigError, type EntraEvent, errorResponse } from '../../src/index.js';
import { codeOf, errorOf, useMockEntra, validatorFor, waitFor } from '../helpers.js';
import {
  json64,
  jws,
  type LoopbackServer,
  makeKey,
  segments,
  startLure,
  startServer,
  type TestKey,
} from './support.js';

const { entra, clock } = useMockEntra();
const keysPath = () => `/${entra().tenantId}/discovery/v2.0/keys`;
const discoveryPath = () => `/${entra().tenantId}/v2.0/.well-known/openid-configuration`;
const v1DiscoveryPath = () => `/${entra().tenantId}/.well-known/openid-configuration`;

let startedAt = 0;
beforeEach(() => {
  startedAt = clock.now;
});
afterEach(() => {
  entra().setFault(null);
  entra().setMetadataOverrides(null);
  clock.now = startedAt;
});

/** A token that outlives any clock advance in this file: the one that must pass again after a fault. */
const original = (claims: Record<string, unknown> = {}) =>
  entra().createToken({ uti: 'original', ...claims }, { expiresIn: 3 * 86400 });

/**
 * A fetch that counts its calls when they are made (the kit counts requests only when they arrive,
 * which can be after a synchronous burst of verifications has already finished).
 */
function countingFetch() {
  let keys = 0;
  let all = 0;
  return {
    fetch: (url: string, init?: RequestInit): Promise<Response> => {
      all++;
      if (url.endsWith('/keys')) keys++;
      return fetch(url, init);
    },
    keys: () => keys,
    all: () => all,
    reset: () => {
      keys = 0;
      all = 0;
    },
  };
}

const count = (events: EntraEvent[], type: EntraEvent['type']) =>
  events.filter((e) => e.type === type).length;

function expectUnavailable(e: Awaited<ReturnType<typeof errorOf>>, maxRetryAfter: number): void {
  expect(e.code).toBe('keys_unavailable');
  expect(e.status).toBe(503);
  expect(e.wwwAuthenticate).toBeUndefined();
  expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  expect(e.retryAfterSeconds).toBeLessThanOrEqual(maxRetryAfter);
  expect(errorResponse(e).headers['retry-after']).toBe(String(e.retryAfterSeconds));
}

describe('cold start with the issuer down', () => {
  test.each([
    ['everything', 'all'],
    ['discovery', 'discovery'],
    ['the key set', 'jwks'],
  ] as const)(
    '%s down: 503 with a shrinking Retry-After, one attempt per cooldown for 300 requests',
    async (_name, target) => {
      const { validator } = validatorFor(entra(), clock, {
        jwks: { cooldownSeconds: 10 },
        tokenCache: false,
      });
      const token = original();
      entra().setFault('down', { target });
      entra().resetCounts();
      const failing = target === 'jwks' ? keysPath() : discoveryPath();
      const attempts: number[] = [];
      for (let window = 0; window < 3; window++) {
        for (let second = 0; second < 10; second += 2) {
          const errors = await Promise.all(
            Array.from({ length: 20 }, () => errorOf(validator.verify(token))),
          );
          for (const e of errors) {
            expectUnavailable(e, 10);
            // Retry-After says how long until the next attempt is allowed.
            expect(e.retryAfterSeconds).toBe(10 - second);
          }
          clock.advance(2);
        }
        attempts.push(entra().requestCount(failing));
      }
      expect(attempts).toEqual([1, 2, 3]);
      if (target === 'jwks') expect(entra().requestCount(discoveryPath())).toBe(1);
      entra().setFault(null);
      expect(await codeOf(validator.verify(token))).toBe('ok');
    },
  );
});

describe('warm, then down', () => {
  test('stale keys serve until maxStaleSeconds with one refresh attempt per cooldown, then 503, then recovery', async () => {
    const calls = countingFetch();
    const { validator, events } = validatorFor(entra(), clock, {
      jwks: { refreshIntervalSeconds: 60, cooldownSeconds: 10, maxStaleSeconds: 300 },
      tokenCache: false,
      fetch: calls.fetch,
    });
    const token = original();
    await validator.warmUp();
    entra().setFault('down');
    entra().resetCounts();
    calls.reset();
    // Fresh keys: no request at all.
    for (let i = 0; i < 50; i++) expect(await codeOf(validator.verify(token))).toBe('ok');
    expect(calls.keys()).toBe(0);
    // Overdue: every request still passes; refresh attempts are spaced by the cooldown.
    clock.advance(61);
    for (let elapsed = 61; elapsed <= 299; elapsed += 2, clock.advance(2)) {
      const codes = await Promise.all(Array.from({ length: 10 }, () => codeOf(validator.verify(token))));
      expect(new Set(codes), `at ${elapsed} s`).toEqual(new Set(['ok']));
      // Let a refresh started by these requests fail before the clock moves on.
      await waitFor(() => count(events, 'keys_fetch_failed') === calls.keys());
    }
    // Attempts at 61, 71, ..., 291 s: 24 in 120 rounds of 10 requests.
    expect(calls.keys()).toBe(24);
    expect(entra().requestCount(keysPath())).toBe(24);
    expect(calls.all()).toBe(24);
    const stale = events.filter((e) => e.type === 'stale_keys_served');
    expect(stale.length).toBeGreaterThan(1000);
    expect(stale.at(-1)).toMatchObject({ ageSeconds: 299 });
    // Past maxStaleSeconds: 503, and retries stay spaced.
    clock.advance(2); // 301 s
    const errors = await Promise.all(Array.from({ length: 50 }, () => errorOf(validator.verify(token))));
    for (const e of errors) expectUnavailable(e, 10);
    expect(calls.keys()).toBe(25);
    clock.advance(5);
    for (const e of await Promise.all(Array.from({ length: 50 }, () => errorOf(validator.verify(token)))))
      expectUnavailable(e, 5);
    expect(calls.keys()).toBe(25);
    // Back up: the next allowed attempt restores service.
    entra().setFault(null);
    clock.advance(5);
    expect(await codeOf(validator.verify(token))).toBe('ok');
    expect(calls.keys()).toBe(26);
  });

  test('discovery down while warm changes nothing: metadata is kept, keys still refresh', async () => {
    const { validator, events } = validatorFor(entra(), clock, {
      jwks: { refreshIntervalSeconds: 60 },
      tokenCache: false,
    });
    const token = original();
    await validator.warmUp();
    entra().setFault('down', { target: 'discovery' });
    entra().resetCounts();
    clock.advance(61);
    expect(await codeOf(validator.verify(token))).toBe('ok');
    await waitFor(() => events.some((e) => e.type === 'keys_fetched' && e.trigger === 'refresh'));
    expect(entra().requestCount(discoveryPath())).toBe(0);
    expect(entra().requestCount(keysPath())).toBe(1);
    expect(await codeOf(validator.verify(token))).toBe('ok');
  });

  test('the v1 discovery document down: v1 tokens get 503, v2 tokens pass, both pass once it is back', async () => {
    const { validator } = validatorFor(entra(), clock, { jwks: { cooldownSeconds: 10 }, tokenCache: false });
    const v2 = original();
    const v1 = entra().createToken({ uti: 'v1' }, { version: '1.0', expiresIn: 86400 });
    await validator.warmUp();
    entra().setFault('down', { target: 'discovery' });
    entra().resetCounts();
    for (let i = 0; i < 20; i++) expectUnavailable(await errorOf(validator.verify(v1)), 10);
    expect(entra().requestCount(v1DiscoveryPath())).toBe(1);
    expect(await codeOf(validator.verify(v2))).toBe('ok');
    entra().setFault(null);
    clock.advance(10);
    expect(await codeOf(validator.verify(v1))).toBe('ok');
    expect(await codeOf(validator.verify(v2))).toBe('ok');
  });
});

describe('slow', () => {
  test('a slow key set, cold: aborted at timeoutMs, 30 waiters share one attempt', async () => {
    const { validator, events } = validatorFor(entra(), clock, {
      jwks: { timeoutMs: 250 },
      tokenCache: false,
    });
    const token = original();
    entra().setFault('slow', { target: 'jwks' });
    entra().resetCounts();
    const started = performance.now();
    const errors = await Promise.all(Array.from({ length: 30 }, () => errorOf(validator.verify(token))));
    const took = performance.now() - started;
    for (const e of errors) expectUnavailable(e, 30);
    expect(entra().requestCount(keysPath())).toBe(1);
    expect(events.find((e) => e.type === 'keys_fetch_failed')).toMatchObject({ reason: 'timeout' });
    // Aborted at the timeout, not after it: one timeout for everyone, not one each.
    expect(took).toBeGreaterThanOrEqual(200);
    expect(took).toBeLessThan(250 * 20);
    entra().setFault(null);
    clock.advance(30);
    expect(await codeOf(validator.verify(token))).toBe('ok');
  });

  test('a refresh hanging on a slow key set blocks no known kid; unknown kids share the one attempt', async () => {
    const calls = countingFetch();
    const { validator, events } = validatorFor(entra(), clock, {
      jwks: { timeoutMs: 400, cooldownSeconds: 5 },
      tokenCache: false,
      fetch: calls.fetch,
    });
    const token = original();
    await validator.warmUp();
    entra().setFault('slow', { target: 'jwks' });
    entra().resetCounts();
    calls.reset();
    const unknown = Array.from({ length: 20 }, (_, i) =>
      codeOf(validator.verify(entra().createToken({}, { signWith: 'unpublished', kid: `hanging-${i}` }))),
    );
    // While the refetch hangs, known kids are answered at once, from the cache.
    const started = performance.now();
    for (let i = 0; i < 20; i++) expect(await codeOf(validator.verify(token))).toBe('ok');
    expect(performance.now() - started).toBeLessThan(400);
    expect(calls.keys()).toBe(1);
    await waitFor(() => entra().requestCount(keysPath()) === 1);
    const codes = await Promise.all(unknown);
    expect(codes[0]).toBe('keys_unavailable');
    expect(new Set(codes.slice(1))).toEqual(new Set(['unknown_signing_key']));
    expect(calls.all()).toBe(1);
    expect(events.find((e) => e.type === 'keys_fetch_failed')).toMatchObject({
      reason: 'timeout',
      trigger: 'unknown_kid',
    });
    expect(await codeOf(validator.verify(token))).toBe('ok');
  });

  test('a key set that trickles one byte every 20 ms is aborted at timeoutMs and its connection closed', async () => {
    let dripping = 0;
    let dripClosed = 0;
    const server = await startServer((req, res) => {
      const base = `http://127.0.0.1:${(req.socket.localPort as number).toString()}`;
      if (req.url === '/t/v2.0/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ issuer: `${base}/t/v2.0`, jwks_uri: `${base}/t/keys` }));
        return;
      }
      dripping++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"keys":[');
      const timer = setInterval(() => res.write(' '), 20);
      res.on('close', () => {
        clearInterval(timer);
        dripClosed++;
      });
    });
    try {
      const events: EntraEvent[] = [];
      const validator = createEntraValidator({
        tenantId: entra().tenantId,
        audience: 'api://drip',
        discoveryUrl: `${server.url}/t/v2.0/.well-known/openid-configuration`,
        clock: clock.fn,
        jwks: { timeoutMs: 300 },
        onEvent: (e) => events.push(e),
      });
      const started = performance.now();
      expect(await codeOf(validator.verify(original()))).toBe('keys_unavailable');
      expect(performance.now() - started).toBeLessThan(300 * 20);
      expect(events.find((e) => e.type === 'keys_fetch_failed')).toMatchObject({ reason: 'timeout' });
      expect(dripping).toBe(1);
      await waitFor(() => dripClosed === 1);
      validator.close();
    } finally {
      await server.close();
    }
  });
});

describe('garbage and non-200', () => {
  test.each([404, 429, 503, 204])(
    'status %i from the key set: cold 503, warm old keys kept',
    async (status) => {
      const cold = validatorFor(entra(), clock, { tokenCache: false });
      entra().setFault('status', { target: 'jwks', status });
      entra().resetCounts();
      expect(await codeOf(cold.validator.verify(original()))).toBe('keys_unavailable');
      expect(cold.events.find((e) => e.type === 'keys_fetch_failed')).toMatchObject({ reason: 'status' });
      expect(entra().requestCount(keysPath())).toBe(1);
      entra().setFault(null);

      const { validator, events } = validatorFor(entra(), clock, {
        jwks: { refreshIntervalSeconds: 60, cooldownSeconds: 5 },
        tokenCache: false,
      });
      const token = original();
      await validator.warmUp();
      entra().setFault('status', { target: 'jwks', status });
      // An unknown kid forces a refetch that fails; an overdue refresh fails; the old keys serve on.
      expect(await codeOf(validator.verify(entra().createToken({}, { signWith: 'unpublished' })))).toBe(
        'keys_unavailable',
      );
      expect(await codeOf(validator.verify(token))).toBe('ok');
      clock.advance(61);
      expect(await codeOf(validator.verify(token))).toBe('ok');
      await waitFor(() => count(events, 'keys_fetch_failed') === 2);
      expect(await codeOf(validator.verify(token))).toBe('ok');
      entra().setFault(null);
      expect(await codeOf(validator.verify(token))).toBe('ok');
    },
  );

  test('garbage discovery document, cold: 503 until it is fixed, attempts spaced', async () => {
    const { validator, events } = validatorFor(entra(), clock, {
      jwks: { cooldownSeconds: 10 },
      tokenCache: false,
    });
    const token = original();
    entra().setFault('garbage', { target: 'discovery' });
    entra().resetCounts();
    for (let i = 0; i < 30; i++) expectUnavailable(await errorOf(validator.verify(token)), 10);
    expect(entra().requestCount(discoveryPath())).toBe(1);
    expect(events.find((e) => e.type === 'metadata_fetch_failed')).toMatchObject({ reason: 'invalid_json' });
    entra().setFault(null);
    clock.advance(10);
    expect(await codeOf(validator.verify(token))).toBe('ok');
  });

  // Bodies the kit's faults do not produce, served through an injected fetch.
  const bodies: Array<[string, string | Uint8Array]> = [
    ['null', 'null'],
    ['an array', '[]'],
    ['keys: null', '{"keys":null}'],
    ['keys of every wrong type', '{"keys":[null,1,"x",[],{}]}'],
    ['a 512-bit key', JSON.stringify({ keys: [{ kty: 'RSA', kid: 'small', n: 'A'.repeat(86), e: 'AQAB' }] })],
    ['JSON nested 100,000 levels', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['invalid UTF-8', Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])],
    ['__proto__ keys', '{"__proto__":{"keys":[{"kty":"RSA"}]},"keys":[]}'],
  ];
  test.each(bodies)('a key set that is %s: warm keys kept, cold 503', async (_name, body) => {
    let poisoned = false;
    let served = 0;
    const poisonable = (url: string, init?: RequestInit): Promise<Response> => {
      if (poisoned && url.endsWith('/keys')) {
        served++;
        return Promise.resolve(
          new Response(body as BodyInit, { status: 200, headers: { 'content-type': 'application/json' } }),
        );
      }
      return fetch(url, init);
    };
    const { validator, events } = validatorFor(entra(), clock, {
      jwks: { refreshIntervalSeconds: 60, cooldownSeconds: 5 },
      tokenCache: false,
      fetch: poisonable,
    });
    const token = original();
    await validator.warmUp();
    poisoned = true;
    expect(await codeOf(validator.verify(entra().createToken({}, { signWith: 'unpublished' })))).toBe(
      'keys_unavailable',
    );
    clock.advance(61);
    expect(await codeOf(validator.verify(token))).toBe('ok');
    await waitFor(() => count(events, 'keys_fetch_failed') === 2);
    expect(served).toBe(2);
    expect(await codeOf(validator.verify(token))).toBe('ok');
    const cold = validatorFor(entra(), clock, { tokenCache: false, fetch: poisonable });
    expect(await codeOf(cold.validator.verify(token))).toBe('keys_unavailable');
    poisoned = false;
    expect(await codeOf(validator.verify(token))).toBe('ok');
  });
});

/** `global.gc`, or the same function obtained through V8's flag when the runner did not expose it. */
function collector(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Live heap plus ArrayBuffers once the event loop has had a few turns (zlib and sockets free their
 * buffers asynchronously) and garbage is collected; `undefined` when no collector can be reached.
 */
async function settledMemory(gc: (() => void) | undefined): Promise<number | undefined> {
  if (gc === undefined) return undefined;
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe('huge and endless bodies', () => {
  test.each(['huge', 'endless'] as const)(
    '%s key set: aborted at the cap every time, memory flat over 40 attempts',
    async (fault) => {
      const { validator, events } = validatorFor(entra(), clock, {
        jwks: { cooldownSeconds: 1 },
        tokenCache: false,
      });
      const token = original();
      entra().setFault(fault, { target: 'jwks' });
      entra().resetCounts();
      const attempt = async () => {
        expectUnavailable(await errorOf(validator.verify(token)), 1);
        clock.advance(1);
      };
      for (let i = 0; i < 3; i++) await attempt();
      const gc = collector();
      const before = await settledMemory(gc);
      for (let i = 0; i < 40; i++) await attempt();
      const after = await settledMemory(gc);
      expect(entra().requestCount(keysPath())).toBe(43);
      expect(
        events
          .filter((e) => e.type === 'keys_fetch_failed')
          .every((e) => 'reason' in e && e.reason === 'too_large'),
      ).toBe(true);
      if (before !== undefined && after !== undefined) {
        // Each attempt may read up to the 1 MiB cap: a body kept per attempt would add 40 MiB.
        const growth = after - before;
        expect(growth, `grew ${(growth / 2 ** 20).toFixed(1)} MiB`).toBeLessThan(16 * 2 ** 20);
      } // else: no way to collect garbage here (see collector()), so the delta would not mean a leak.
      entra().setFault(null);
      expect(await codeOf(validator.verify(token))).toBe('ok');
    },
  );
});

describe('compressed bodies', () => {
  // fetch inflates whatever it is sent: the body is cut at the size cap, whichever fetch is used.
  test.each([
    ['the global fetch (default)', 'too_large', undefined],
    ['an injected fetch', 'too_large', (url: string, init?: RequestInit) => globalThis.fetch(url, init)],
  ] as const)(
    'a gzip bomb (64 MiB of spaces in a small body) through %s: refused (%s), memory flat',
    async (_name, reason, fetch) => {
      const bomb = gzipSync(Buffer.alloc(64 << 20, 0x20));
      expect(bomb.length).toBeLessThan(1 << 20); // under the cap as sent: only the inflated size exceeds it
      let served = 0;
      const server = await startServer((req, res) => {
        const base = `http://127.0.0.1:${(req.socket.localPort as number).toString()}`;
        if (req.url === '/z/v2.0/.well-known/openid-configuration') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ issuer: `${base}/z/v2.0`, jwks_uri: `${base}/z/keys` }));
          return;
        }
        served++;
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': bomb.length,
        });
        res.end(bomb);
      });
      try {
        const events: EntraEvent[] = [];
        const validator = createEntraValidator({
          tenantId: entra().tenantId,
          audience: 'api://bomb',
          discoveryUrl: `${server.url}/z/v2.0/.well-known/openid-configuration`,
          clock: clock.fn,
          jwks: { cooldownSeconds: 1 },
          onEvent: (e) => events.push(e),
          ...(fetch === undefined ? {} : { fetch }),
        });
        const token = original();
        const gc = collector();
        expect(await codeOf(validator.verify(token))).toBe('keys_unavailable');
        const before = await settledMemory(gc);
        for (let i = 0; i < 30; i++) {
          clock.advance(1);
          expect(await codeOf(validator.verify(token))).toBe('keys_unavailable');
        }
        const after = await settledMemory(gc);
        expect(served).toBe(31);
        const failures = events.filter((e) => e.type === 'keys_fetch_failed');
        expect(failures.length).toBe(31);
        for (const f of failures) expect(f).toMatchObject({ reason });
        if (before !== undefined && after !== undefined) {
          // Each attempt inflates up to the 1 MiB cap: a body kept per attempt would add 30 MiB.
          const growth = after - before;
          expect(growth, `grew ${(growth / 2 ** 20).toFixed(1)} MiB`).toBeLessThan(16 * 2 ** 20);
        } // else: no way to collect garbage here (see collector()), so the delta would not mean a leak.
        validator.close();
      } finally {
        await server.close();
      }
    },
  );
});

describe('redirects and foreign key-set locations', () => {
  let lure: LoopbackServer;
  const attacker = makeKey('attacker-kid');

  test('a discovery document answering 302 is not followed', async () => {
    const { validator, events } = validatorFor(entra(), clock, {
      jwks: { cooldownSeconds: 5 },
      tokenCache: false,
    });
    const token = original();
    entra().setFault('redirect', { target: 'discovery' });
    entra().resetCounts();
    expectUnavailable(await errorOf(validator.verify(token)), 5);
    expect(entra().requestCount(`/redirected${discoveryPath()}`)).toBe(0);
    expect(entra().requestCount()).toBe(1);
    expect(events.find((e) => e.type === 'metadata_fetch_failed')).toMatchObject({ reason: 'redirect' });
    entra().setFault(null);
    clock.advance(5);
    expect(await codeOf(validator.verify(token))).toBe('ok');
  });

  test.each([301, 303, 307, 308])(
    '%i from discovery or the key set is not followed to a second server',
    async (status) => {
      lure = await startLure(attacker);
      const server = await startServer((req, res) => {
        const base = `http://127.0.0.1:${(req.socket.localPort as number).toString()}`;
        if (req.url === '/r/v2.0/.well-known/openid-configuration') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ issuer: `${base}/r/v2.0`, jwks_uri: `${base}/r/keys` }));
        } else if (req.url === '/d/v2.0/.well-known/openid-configuration') {
          res.writeHead(status, { location: `${lure.url}/discovery` });
          res.end();
        } else {
          res.writeHead(status, { location: `${lure.url}/keys` });
          res.end();
        }
      });
      try {
        for (const path of ['/r', '/d']) {
          const events: EntraEvent[] = [];
          const v = createEntraValidator({
            tenantId: entra().tenantId,
            audience: 'api://redirects',
            discoveryUrl: `${server.url}${path}/v2.0/.well-known/openid-configuration`,
            clock: clock.fn,
            onEvent: (e) => events.push(e),
          });
          const forgedByLure = `${json64({ typ: 'JWT', alg: 'RS256', kid: 'attacker-kid' })}.${json64({ aud: 'api://redirects' })}.${'A'.repeat(342)}`;
          expect(await codeOf(v.verify(forgedByLure))).toBe('keys_unavailable');
          expect(
            events.some(
              (e) =>
                (e.type === 'keys_fetch_failed' || e.type === 'metadata_fetch_failed') &&
                e.reason === 'redirect',
            ),
            path,
          ).toBe(true);
          v.close();
        }
        expect(lure.requests).toEqual([]);
      } finally {
        await Promise.all([server.close(), lure.close()]);
      }
    },
  );

  test.each([
    ['a second server on the same address', () => `${lure.url}/keys`],
    ['another scheme on the same host', () => `${entra().authority.replace('http:', 'https:')}${keysPath()}`],
    [
      'a data: URL holding the attacker’s key',
      () =>
        `data:application/json,${encodeURIComponent(JSON.stringify({ keys: [{ ...attacker.jwk, kid: 'attacker-kid', use: 'sig' }] }))}`,
    ],
    ['a file: URL', () => 'file:///etc/passwd'],
    ['a scheme-relative URL', () => `//127.0.0.1:${lure.port}/keys`],
    ['a javascript: URL', () => 'javascript:alert(1)'],
  ])('a discovery document whose jwks_uri is %s: never fetched, the document refused', async (_name, uri) => {
    lure = await startLure(attacker);
    try {
      const seen: string[] = [];
      const { validator } = validatorFor(entra(), clock, {
        jwks: { cooldownSeconds: 5 },
        tokenCache: false,
        fetch: (url: string, init?: RequestInit) => {
          seen.push(url);
          return fetch(url, init);
        },
      });
      const token = original();
      entra().setMetadataOverrides({ jwks_uri: uri() });
      const error = await validator.warmUp().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EntraConfigError);
      const attackerToken = `${json64({ typ: 'JWT', alg: 'RS256', kid: 'attacker-kid' })}.${segments(token)[1]}.${'A'.repeat(342)}`;
      expect(await codeOf(validator.verify(attackerToken))).toBe('keys_unavailable');
      expect(seen).toEqual([`${entra().authority}${discoveryPath()}`]);
      expect(lure.requests).toEqual([]);
      entra().setMetadataOverrides(null);
      clock.advance(5);
      expect(await codeOf(validator.verify(token))).toBe('ok');
    } finally {
      await lure.close();
    }
  });

  test('a v1 discovery document whose jwks_uri points elsewhere: v1 tokens refused, nothing fetched', async () => {
    lure = await startLure(attacker);
    try {
      const { validator } = validatorFor(entra(), clock, { jwks: { cooldownSeconds: 5 }, tokenCache: false });
      const token = original();
      await validator.warmUp();
      entra().setMetadataOverrides({ jwks_uri: `${lure.url}/common/discovery/keys` });
      expect(await codeOf(validator.verify(entra().createToken({}, { version: '1.0' })))).toBe(
        'keys_unavailable',
      );
      expect(lure.requests).toEqual([]);
      expect(await codeOf(validator.verify(token))).toBe('ok');
      entra().setMetadataOverrides(null);
      clock.advance(5);
      expect(await codeOf(validator.verify(entra().createToken({}, { version: '1.0' })))).toBe('ok');
    } finally {
      await lure.close();
    }
  });
});

describe('unknown kids', () => {
  test('10,000 unknown kids in a burst: one fetch per cooldown, known kids keep passing', async () => {
    const { validator, events } = validatorFor(entra(), clock, {
      jwks: { cooldownSeconds: 30 },
      tokenCache: false,
    });
    const token = original();
    await validator.warmUp();
    entra().resetCounts();
    // The kid is looked up before the signature is checked: one unpublished-key token, 10,000 kids.
    const [, payload, signature] = segments(
      entra().createToken({}, { signWith: 'unpublished', kid: 'seed' }),
    );
    const withKid = (kid: string) => `${json64({ typ: 'JWT', alg: 'RS256', kid })}.${payload}.${signature}`;
    const known = Array.from({ length: 100 }, (_, i) => entra().createToken({ uti: `known-${i}` }));
    const burst = async (round: number): Promise<void> => {
      const tokens: Array<[string, 'ok' | 'unknown_signing_key']> = [];
      for (let i = 0; i < 10_000; i++) {
        tokens.push([withKid(`round-${round}-kid-${i}`), 'unknown_signing_key']);
        if (i % 100 === 50) tokens.push([known[i / 100 - 0.5] as string, 'ok']);
      }
      const codes = await Promise.all(tokens.map(([t]) => codeOf(validator.verify(t))));
      expect(codes).toEqual(tokens.map(([, want]) => want));
    };
    await burst(1);
    expect(entra().requestCount(keysPath())).toBe(1);
    expect(entra().requestCount()).toBe(1);
    expect(count(events, 'unknown_kid_throttled')).toBe(9_999);
    clock.advance(29);
    await burst(2);
    expect(entra().requestCount()).toBe(1);
    clock.advance(1);
    await burst(3);
    expect(entra().requestCount()).toBe(2);
    expect(count(events, 'keys_fetched')).toBe(3); // warm-up and two unknown-kid refetches
    expect(await codeOf(validator.verify(token))).toBe('ok');
  });
});

describe('rotation and removal', () => {
  test('a removed key stops verifying (cached tokens too); the others keep passing', async () => {
    const extra = await entra().addKey();
    const { validator, events } = validatorFor(entra(), clock, {
      jwks: { refreshIntervalSeconds: 60 },
      tokenCache: { max: 100 },
    });
    const token = original();
    const byExtra = entra().createToken({ uti: 'extra' }, { kid: extra, expiresIn: 86400 });
    expect(await codeOf(validator.verify(byExtra))).toBe('ok');
    const cachedPrincipal = await validator.verify(byExtra); // a second verification caches it
    entra().removeKey(extra);
    clock.advance(61);
    expect(await validator.verify(byExtra)).toBe(cachedPrincipal); // overdue: still cached, a refresh starts
    await waitFor(() => events.some((e) => e.type === 'keys_fetched' && e.trigger === 'refresh'));
    expect(await codeOf(validator.verify(byExtra))).toBe('unknown_signing_key');
    expect(await codeOf(validator.verify(token))).toBe('ok');
  });

  test('a kid republished with another key: tokens of the old key fail their signature, cached or not', async () => {
    const before = makeKey('reused');
    const after = makeKey('reused');
    entra().addRawJwk({ ...before.jwk, use: 'sig', kid: 'reused' });
    const { validator, events } = validatorFor(entra(), clock, {
      jwks: { refreshIntervalSeconds: 60 },
      tokenCache: { max: 100 },
    });
    const token = original();
    const payload = JSON.parse(Buffer.from(segments(token)[1], 'base64url').toString());
    const sign = (key: TestKey) =>
      jws(
        { typ: 'JWT', alg: 'RS256', kid: 'reused' },
        { ...payload, uti: key === before ? 'b' : 'a' },
        { rsa: 'RS256', key },
      );
    const old = sign(before);
    expect(await codeOf(validator.verify(old))).toBe('ok');
    expect(await validator.verify(old)).toBe(await validator.verify(old)); // cached from the second
    entra().removeKey('reused');
    entra().addRawJwk({ ...after.jwk, use: 'sig', kid: 'reused' });
    clock.advance(61);
    await codeOf(validator.verify(token));
    await waitFor(() => events.some((e) => e.type === 'keys_fetched' && e.trigger === 'refresh'));
    expect(await codeOf(validator.verify(old))).toBe('invalid_signature');
    expect(await codeOf(validator.verify(sign(after)))).toBe('ok');
    expect(await codeOf(validator.verify(token))).toBe('ok');
    entra().removeKey('reused');
  });

  test('rotation without the previous key: the old kid stops, the new one passes, after one refetch', async () => {
    const { validator, events } = validatorFor(entra(), clock, {
      jwks: { refreshIntervalSeconds: 60 },
      tokenCache: false,
    });
    const token = original();
    await validator.warmUp();
    const kid = await entra().rotateKeys({ keepPrevious: false });
    entra().resetCounts();
    const fresh = entra().createToken({ uti: 'fresh' }, { kid, expiresIn: 86400 });
    expect(await codeOf(validator.verify(fresh))).toBe('ok');
    expect(entra().requestCount(keysPath())).toBe(1);
    expect(await codeOf(validator.verify(token))).toBe('unknown_signing_key');
    expect(count(events, 'keys_fetched')).toBe(2);
    // The token signed by a key still published is the one that must keep passing.
    expect(await codeOf(validator.verify(fresh))).toBe('ok');
  });
});
