import { afterEach, describe, expect, test } from 'vitest';
import { createEntraValidator, EntraConfigError, type EntraValidatorOptions } from '../../src/index.js';
import { codeOf, errorOf, useMockEntra, validatorFor, waitFor } from '../helpers.js';

const { entra, clock } = useMockEntra();
const keysPath = () => `/${entra().tenantId}/discovery/v2.0/keys`;
const discoveryPath = () => `/${entra().tenantId}/v2.0/.well-known/openid-configuration`;

afterEach(() => {
  entra().setFault(null);
  entra().setMetadataOverrides(null);
});

describe('fetching and sharing', () => {
  test('200 concurrent cold verifications cause one discovery and one key-set request', async () => {
    const { validator } = validatorFor(entra(), clock);
    entra().resetCounts();
    const tokens = Array.from({ length: 200 }, (_, i) => entra().createToken({ uti: `c${i}` }));
    const codes = await Promise.all(tokens.map((t) => codeOf(validator.verify(t))));
    expect(new Set(codes)).toEqual(new Set(['ok']));
    expect(entra().requestCount(discoveryPath())).toBe(1);
    expect(entra().requestCount(keysPath())).toBe(1);
    expect(entra().requestCount()).toBe(2);
  });

  test('a rotated key is accepted on its first token, with one refetch', async () => {
    const { validator, events } = validatorFor(entra(), clock);
    await validator.warmUp();
    entra().resetCounts();
    const oldKid = entra().currentKid;
    const before = entra().jwks().keys.length;
    const kid = await entra().rotateKeys();
    expect(await codeOf(validator.verify(entra().createToken({}, { kid })))).toBe('ok');
    expect(entra().requestCount(keysPath())).toBe(1);
    expect(events.filter((e) => e.type === 'keys_fetched').at(-1)).toMatchObject({
      type: 'keys_fetched',
      trigger: 'unknown_kid',
      keyCount: before + 1,
    });
    // The previous key still verifies: rotation publishes the new key next to the old.
    expect(await codeOf(validator.verify(entra().createToken({ uti: 'old' }, { kid: oldKid })))).toBe('ok');
  });

  test('unknown kids: one refetch, then none until the cooldown has passed', async () => {
    const { validator, events } = validatorFor(entra(), clock, { jwks: { cooldownSeconds: 30 } });
    await validator.warmUp();
    entra().resetCounts();
    const forged = () => entra().createToken({}, { signWith: 'unpublished', kid: `k${Math.random()}` });
    expect(await codeOf(validator.verify(forged()))).toBe('unknown_signing_key');
    expect(entra().requestCount(keysPath())).toBe(1);
    const burst = await Promise.all(Array.from({ length: 1000 }, () => codeOf(validator.verify(forged()))));
    expect(new Set(burst)).toEqual(new Set(['unknown_signing_key']));
    expect(entra().requestCount(keysPath())).toBe(1);
    expect(events.filter((e) => e.type === 'unknown_kid_throttled').length).toBe(1000);
    // Known kids keep passing meanwhile.
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
    clock.advance(31);
    expect(await codeOf(validator.verify(forged()))).toBe('unknown_signing_key');
    expect(entra().requestCount(keysPath())).toBe(2);
    clock.advance(-31);
  });

  test('a key published during the cooldown waits for the next refetch', async () => {
    const { validator } = validatorFor(entra(), clock, { jwks: { cooldownSeconds: 30 } });
    await validator.warmUp();
    expect(
      await codeOf(validator.verify(entra().createToken({}, { signWith: 'unpublished', kid: 'nope' }))),
    ).toBe('unknown_signing_key');
    const kid = await entra().rotateKeys();
    expect(await codeOf(validator.verify(entra().createToken({}, { kid })))).toBe('unknown_signing_key');
    clock.advance(30);
    expect(await codeOf(validator.verify(entra().createToken({}, { kid })))).toBe('ok');
    clock.advance(-30);
  });

  test('concurrent unknown kids share one refetch', async () => {
    const { validator } = validatorFor(entra(), clock);
    await validator.warmUp();
    entra().resetCounts();
    const kid = await entra().rotateKeys();
    const codes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        codeOf(validator.verify(entra().createToken({ uti: `r${i}` }, { kid }))),
      ),
    );
    expect(new Set(codes)).toEqual(new Set(['ok']));
    expect(entra().requestCount(keysPath())).toBe(1);
  });

  test('keys removed upstream stop verifying, cached tokens included', async () => {
    const { validator, events } = validatorFor(entra(), clock, { jwks: { refreshIntervalSeconds: 60 } });
    await validator.warmUp();
    const oldKid = entra().currentKid;
    const oldToken = entra().createToken({ uti: 'before-removal' });
    expect(await codeOf(validator.verify(oldToken))).toBe('ok');
    const cachedPrincipal = await validator.verify(oldToken); // a second verification caches it
    await entra().rotateKeys({ keepPrevious: false });
    expect(
      entra()
        .jwks()
        .keys.map((k) => k.kid),
    ).not.toContain(oldKid);
    clock.advance(61);
    // Overdue: this call is still answered from the cache, and starts a background refresh.
    expect(await validator.verify(oldToken)).toBe(cachedPrincipal);
    await waitFor(() => events.some((e) => e.type === 'keys_fetched' && e.trigger === 'refresh'));
    expect(await codeOf(validator.verify(oldToken))).toBe('unknown_signing_key');
    clock.advance(-61);
  });

  test('unusable key-set entries are ignored, not fatal', async () => {
    const kit = entra();
    kit.addRawJwk({ kty: 'EC', crv: 'P-256', kid: 'ec', x: 'AAAA', y: 'AAAA' });
    kit.addRawJwk({ kty: 'RSA', kid: 'small', n: 'AQAB'.repeat(40), e: 'AQAB' });
    kit.addRawJwk({ kty: 'RSA', kid: 'enc', use: 'enc', n: kit.jwks().keys[0]?.n as string, e: 'AQAB' });
    kit.addRawJwk({ kty: 'RSA', kid: 'hs', alg: 'HS256', n: kit.jwks().keys[0]?.n as string, e: 'AQAB' });
    kit.addRawJwk({ kty: 'oct', kid: 'oct', k: 'c2VjcmV0' });
    kit.addRawJwk({ kty: 'RSA', kid: 42, n: 'x', e: 'AQAB' });
    const { validator, events } = validatorFor(kit, clock);
    await validator.warmUp();
    expect(events.at(-1)).toMatchObject({ type: 'keys_fetched', ignoredCount: 6 });
    expect(await codeOf(validator.verify(kit.createToken()))).toBe('ok');
    expect(await codeOf(validator.verify(kit.createToken({}, { kid: 'enc' })))).toBe('unknown_signing_key');
  });

  test("a key whose JWKS issuer names another tenant does not verify this tenant's tokens", async () => {
    const kid = await entra().addKey({
      issuer: 'https://login.microsoftonline.com/0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6/v2.0',
    });
    const { validator } = validatorFor(entra(), clock);
    const e = await errorOf(validator.verify(entra().createToken({}, { kid })));
    expect(e.code).toBe('invalid_issuer');
    const noIssuer = await entra().addKey({ issuer: null });
    expect(
      await codeOf(validatorFor(entra(), clock).validator.verify(entra().createToken({}, { kid: noIssuer }))),
    ).toBe('ok');
  });
});

describe('faults of the issuer', () => {
  test('cold start with the issuer down: 503 with Retry-After, retries spaced by the cooldown', async () => {
    const { validator } = validatorFor(entra(), clock, { jwks: { cooldownSeconds: 20 } });
    entra().setFault('down');
    entra().resetCounts();
    const e = await errorOf(validator.verify(entra().createToken()));
    expect(e.code).toBe('keys_unavailable');
    expect(e.status).toBe(503);
    expect(e.retryAfterSeconds).toBe(20);
    expect(e.wwwAuthenticate).toBeUndefined();
    expect(entra().requestCount()).toBe(1);
    clock.advance(5);
    const again = await errorOf(validator.verify(entra().createToken({ uti: 'x' })));
    expect(again.retryAfterSeconds).toBe(15);
    expect(entra().requestCount()).toBe(1);
    entra().setFault(null);
    clock.advance(15);
    expect(await codeOf(validator.verify(entra().createToken({ uti: 'y' })))).toBe('ok');
    clock.advance(-20);
  });

  test('warm, then down: cached keys serve (stale, with an event) up to maxStaleSeconds, then 503', async () => {
    const { validator, events } = validatorFor(entra(), clock, {
      jwks: { refreshIntervalSeconds: 60, maxStaleSeconds: 600, cooldownSeconds: 10 },
    });
    await validator.warmUp();
    entra().setFault('down');
    clock.advance(120);
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok'); // starts a refresh, which fails
    await waitFor(() => events.some((e) => e.type === 'keys_fetch_failed'));
    expect(await codeOf(validator.verify(entra().createToken({ uti: 's' })))).toBe('ok');
    expect(events.some((e) => e.type === 'keys_fetch_failed' && e.trigger === 'refresh')).toBe(true);
    expect(events.filter((e) => e.type === 'stale_keys_served').at(-1)).toMatchObject({ ageSeconds: 120 });
    const cached = entra().createToken({ uti: 'cached' });
    expect(await codeOf(validator.verify(cached))).toBe('ok');
    expect(await validator.verify(cached)).toBe(await validator.verify(cached)); // cached from the second
    clock.advance(481); // 601 s since the last successful fetch
    expect(await codeOf(validator.verify(entra().createToken({ uti: 't' })))).toBe('keys_unavailable');
    // A token verified earlier is not served from the cache with keys past maxStaleSeconds either.
    expect(await codeOf(validator.verify(cached))).toBe('keys_unavailable');
    entra().setFault(null);
    clock.advance(10);
    expect(await codeOf(validator.verify(entra().createToken({ uti: 'u' })))).toBe('ok');
    clock.advance(-611);
  });

  test('slow: aborted at the timeout, every waiter shares the one attempt', async () => {
    const { validator, events } = validatorFor(entra(), clock, { jwks: { timeoutMs: 150 } });
    entra().setFault('slow', { target: 'discovery' });
    entra().resetCounts();
    const codes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => codeOf(validator.verify(entra().createToken({ uti: `s${i}` })))),
    );
    expect(new Set(codes)).toEqual(new Set(['keys_unavailable']));
    expect(entra().requestCount()).toBe(1);
    expect(events.find((e) => e.type === 'metadata_fetch_failed')).toMatchObject({ reason: 'timeout' });
  });

  test.each([
    ['garbage', 'invalid_json'],
    ['huge', 'too_large'],
    ['endless', 'too_large'],
    ['redirect', 'redirect'],
    ['status', 'status'],
    ['empty', 'no_usable_keys'],
  ] as const)('%s key set: cold → 503 (%s); warm → old keys kept', async (fault, reason) => {
    const cold = validatorFor(entra(), clock, { jwks: { timeoutMs: 2000 } });
    entra().setFault(fault, { target: 'jwks' });
    entra().resetCounts();
    expect(await codeOf(cold.validator.verify(entra().createToken()))).toBe('keys_unavailable');
    expect(cold.events.find((e) => e.type === 'keys_fetch_failed')).toMatchObject({ reason });
    if (fault === 'redirect') expect(entra().requestCount(`/redirected${keysPath()}`)).toBe(0);
    entra().setFault(null);

    const warm = validatorFor(entra(), clock, {
      jwks: { refreshIntervalSeconds: 60, timeoutMs: 2000 },
      tokenCache: false,
    });
    await warm.validator.warmUp();
    const oldKid = entra().currentKid;
    entra().setFault(fault, { target: 'jwks' });
    const kid = await entra().addKey();
    // An unknown kid forces a refetch, which fails: the old keys must survive it.
    expect(await codeOf(warm.validator.verify(entra().createToken({}, { kid })))).toBe('keys_unavailable');
    expect(warm.events.find((e) => e.type === 'keys_fetch_failed')).toMatchObject({
      reason,
      trigger: 'unknown_kid',
    });
    expect(await codeOf(warm.validator.verify(entra().createToken({ uti: 'old' }, { kid: oldKid })))).toBe(
      'ok',
    );
    // An overdue background refresh that fails keeps them too.
    clock.advance(61);
    expect(await codeOf(warm.validator.verify(entra().createToken({ uti: 'older' }, { kid: oldKid })))).toBe(
      'ok',
    );
    await waitFor(() => warm.events.some((e) => e.type === 'keys_fetch_failed' && e.trigger === 'refresh'));
    expect(await codeOf(warm.validator.verify(entra().createToken({ uti: 'oldest' }, { kid: oldKid })))).toBe(
      'ok',
    );
    entra().removeKey(kid);
    entra().setFault(null);
    clock.advance(-61);
  });

  test('the size cap applies to discovery documents too', async () => {
    const tiny = validatorFor(entra(), clock, { jwks: { maxResponseBytes: 100 } });
    expect(await codeOf(tiny.validator.verify(entra().createToken()))).toBe('keys_unavailable');
    expect(tiny.events.find((e) => e.type === 'metadata_fetch_failed')).toMatchObject({
      reason: 'too_large',
    });
  });

  test('a jwks_uri on another host is never fetched', async () => {
    entra().setMetadataOverrides({ jwks_uri: 'http://127.0.0.2:9/keys' });
    const options = entra().validatorOptions({ clock: clock.fn }) as EntraValidatorOptions;
    const seen: string[] = [];
    const v = createEntraValidator({
      ...options,
      fetch: (url, init) => {
        seen.push(url);
        return fetch(url, init);
      },
    });
    const e = await v.warmUp().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(e).toBeInstanceOf(EntraConfigError);
    expect(seen).toEqual([`${entra().authority}${discoveryPath()}`]);
  });

  test('after every fault, the original token is still accepted (no poisoning, no lockout)', async () => {
    const { validator } = validatorFor(entra(), clock, {
      jwks: { cooldownSeconds: 1, refreshIntervalSeconds: 60, timeoutMs: 300 },
      tokenCache: false,
    });
    const token = entra().createToken({ uti: 'original' });
    expect(await codeOf(validator.verify(token))).toBe('ok');
    for (const fault of ['down', 'garbage', 'huge', 'redirect', 'status', 'empty', 'slow'] as const) {
      entra().setFault(fault);
      clock.advance(61);
      await codeOf(validator.verify(entra().createToken({}, { signWith: 'unpublished', kid: `x-${fault}` })));
      expect(await codeOf(validator.verify(token)), fault).toBe('ok');
      entra().setFault(null);
    }
    clock.advance(-61 * 7);
  });
});
