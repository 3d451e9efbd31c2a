import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createMockEntra, type MockEntra, type MockEntraFault } from '../src/index.js';
import { getJson, v1KeysPath, v2DiscoveryPath, v2KeysPath } from './http.js';

let entra: MockEntra;
beforeAll(async () => {
  entra = await createMockEntra();
});
afterAll(() => entra.close());
afterEach(() => {
  entra.setFault(null);
  entra.resetCounts();
});

const keys = () => v2KeysPath(entra.tenantId);
const discovery = () => v2DiscoveryPath(entra.tenantId);
const url = (path: string) => `${entra.authority}${path}`;

/** Waits (bounded) until the server has received `n` requests in all. */
async function untilRequests(n: number): Promise<void> {
  for (let i = 0; i < 200 && entra.requestCount() < n; i++) await new Promise((r) => setTimeout(r, 5));
  expect(entra.requestCount()).toBe(n);
}

describe('each fault', () => {
  test('down: the connection is dropped, fetch rejects; the request is counted', async () => {
    entra.setFault('down');
    await expect(fetch(url(keys()))).rejects.toThrow(TypeError);
    expect(entra.requestCount(keys())).toBe(1);
    entra.setFault(null);
    expect((await fetch(url(keys()))).status).toBe(200);
  });

  test('slow (untimed): an AbortSignal timeout fires; the request is counted', async () => {
    entra.setFault('slow');
    const started = Date.now();
    const error = await fetch(url(keys()), { signal: AbortSignal.timeout(100) }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.name).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(entra.requestCount(keys())).toBe(1);
  });

  test('slow (untimed): held until the fault is cleared, then answered normally', async () => {
    entra.setFault('slow', { target: 'discovery' });
    const pending = fetch(url(discovery()));
    await untilRequests(1);
    expect((await fetch(url(keys()))).status).toBe(200); // not a target
    entra.setFault(null);
    const response = await pending;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { issuer: string }).issuer).toBe(entra.issuer);
  });

  test('slow with delayMs: answered normally after the delay', async () => {
    entra.setFault('slow', { delayMs: 120 });
    const started = Date.now();
    const response = await fetch(url(keys()));
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(((await response.json()) as { keys: unknown[] }).keys).toEqual(entra.jwks().keys);
  });

  test('garbage: 200 application/json that does not parse', async () => {
    entra.setFault('garbage');
    const response = await fetch(url(keys()));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  test('huge: 200 with more than 1 MiB of valid JSON and a content-length', async () => {
    entra.setFault('huge', { target: 'jwks' });
    const response = await fetch(url(keys()));
    expect(response.status).toBe(200);
    const length = Number(response.headers.get('content-length'));
    expect(length).toBeGreaterThan(2 * 1024 * 1024);
    const text = await response.text();
    expect(Buffer.byteLength(text)).toBe(length);
    expect((JSON.parse(text) as { keys: unknown[] }).keys).toEqual(entra.jwks().keys);
  });

  test('endless: chunked, no length, never ends; the client aborts it, and the server carries on', async () => {
    entra.setFault('endless', { target: 'jwks' });
    const controller = new AbortController();
    const response = await fetch(url(keys()), { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBeNull();
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const reader = response.body!.getReader();
    let received = 0;
    let first = '';
    while (received <= 1024 * 1024) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      if (first === '') first = Buffer.from(value!).toString().slice(0, 9);
      received += value!.byteLength;
    }
    expect(first).toBe('{"keys":[');
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    entra.setFault(null);
    expect((await getJson(entra, keys())).keys.length).toBeGreaterThan(0);
  });

  test('redirect: 302 to /redirected<path>, which a manual-redirect client never requests', async () => {
    entra.setFault('redirect', { target: 'jwks' });
    const path = `${keys()}?appid=x`;
    const response = await fetch(url(path), { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(url(`/redirected${path}`));
    expect(entra.requestCount(`/redirected${keys()}`)).toBe(0);
    expect(entra.requestCount(keys())).toBe(1);
    // Followed, the target serves the normal document (the fault does not redirect it again).
    const followed = await fetch(url(path));
    expect(followed.status).toBe(200);
    expect(followed.redirected).toBe(true);
    expect(((await followed.json()) as { keys: unknown[] }).keys).toEqual(entra.jwks().keys);
    expect(entra.requestCount(`/redirected${keys()}`)).toBe(1);
  });

  test('status: 500 by default, or the given status, with a JSON error body', async () => {
    entra.setFault('status');
    const response = await fetch(url(discovery()));
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: string }).error).toBe('server_error');
    entra.setFault('status', { status: 429, target: 'discovery' });
    const limited = await fetch(url(discovery()));
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: string }).error).toBe('invalid_request');
    expect((await fetch(url(keys()))).status).toBe(200);
  });

  test('empty: key sets are {"keys":[]}, discovery is unaffected', async () => {
    entra.setFault('empty');
    expect(await getJson(entra, keys())).toEqual({ keys: [] });
    expect(await getJson(entra, v1KeysPath('common'))).toEqual({ keys: [] });
    expect((await getJson(entra, discovery())).issuer).toBe(entra.issuer);
  });
});

describe('targets and counting', () => {
  test.each([
    ['jwks', 200, 500],
    ['discovery', 500, 200],
    ['all', 500, 500],
  ] as const)('target %s: discovery %i, keys %i', async (target, discoveryStatus, keysStatus) => {
    entra.setFault('status', { target });
    expect((await fetch(url(discovery()))).status).toBe(discoveryStatus);
    expect((await fetch(url(keys()))).status).toBe(keysStatus);
    expect((await fetch(url(v1KeysPath('common')))).status).toBe(keysStatus);
  });

  test('requestCount: exact per pathname, query ignored, faulted and unknown paths included; resetCounts', async () => {
    expect(entra.requestCount()).toBe(0);
    await fetch(url(`${keys()}?appid=1`));
    await fetch(url(keys()));
    await fetch(url(discovery()));
    await fetch(url('/nowhere'));
    entra.setFault('status');
    await fetch(url(keys()));
    expect(entra.requestCount(keys())).toBe(3);
    expect(entra.requestCount(`${keys()}?appid=2`)).toBe(3);
    expect(entra.requestCount(discovery())).toBe(1);
    expect(entra.requestCount('/nowhere')).toBe(1);
    expect(entra.requestCount(`${keys()}/`)).toBe(0);
    expect(entra.requestCount()).toBe(5);
    entra.resetCounts();
    expect(entra.requestCount()).toBe(0);
    expect(entra.requestCount(keys())).toBe(0);
  });

  test('mistakes are TypeErrors', () => {
    expect(() => entra.setFault('flaky' as MockEntraFault)).toThrow(TypeError);
    expect(() => entra.setFault('slow', { target: 'keys' as never })).toThrow(TypeError);
    expect(() => entra.setFault('slow', { delayMs: -1 })).toThrow(TypeError);
    expect(() => entra.setFault('status', { status: 99 })).toThrow(TypeError);
    expect(() => entra.setFault('status', { code: 500 } as never)).toThrow(TypeError);
  });
});
