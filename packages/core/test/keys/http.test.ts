import http from 'node:http';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { fetchJson } from '../../src/keys/http.js';
import { useMockEntra } from '../helpers.js';

const limits = { timeoutMs: 200, maxResponseBytes: 64 };
const using = (fetch: (url: string, init?: RequestInit) => Promise<Response>) => ({ ...limits, fetch });

function chunked(chunks: string[], headers: Record<string, string> = {}): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers });
}

describe('fetchJson', () => {
  test('joins a body that arrives in several chunks', async () => {
    const r = await fetchJson(
      'https://x/',
      using(async () => chunked(['{"a"', ':', '1}'])),
    );
    expect(r).toMatchObject({ ok: true, json: { a: 1 } });
  });

  test('asks for JSON, never follows redirects, passes a signal', async () => {
    let seen: RequestInit | undefined;
    await fetchJson(
      'https://x/',
      using(async (_url, init) => {
        seen = init;
        return Response.json({});
      }),
    );
    expect(seen?.redirect).toBe('manual');
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
    expect(new Headers(seen?.headers).get('accept')).toBe('application/json');
  });

  test('refuses a declared length over the cap before reading', async () => {
    const r = await fetchJson(
      'https://x/',
      using(async () => chunked(['{}'], { 'content-length': '1000' })),
    );
    expect(r).toMatchObject({ ok: false, reason: 'too_large' });
  });

  test('refuses a body that grows over the cap', async () => {
    const r = await fetchJson(
      'https://x/',
      using(async () => chunked(['{"a":"', 'x'.repeat(40), 'y'.repeat(40), '"}'])),
    );
    expect(r).toMatchObject({ ok: false, reason: 'too_large' });
  });

  test('an empty body is not JSON', async () => {
    const r = await fetchJson(
      'https://x/',
      using(async () => new Response(null, { status: 200 })),
    );
    expect(r).toMatchObject({ ok: false, reason: 'invalid_json' });
  });

  test('invalid UTF-8 is not JSON', async () => {
    const r = await fetchJson(
      'https://x/',
      using(async () => new Response(Uint8Array.from([0x7b, 0xff, 0x7d]))),
    );
    expect(r).toMatchObject({ ok: false, reason: 'invalid_json' });
  });

  test('a response marked as redirected is refused (an injected fetch that followed one)', async () => {
    const followed = Response.json({ keys: [] });
    Object.defineProperty(followed, 'redirected', { value: true });
    expect(
      await fetchJson(
        'https://x/',
        using(async () => followed),
      ),
    ).toMatchObject({ ok: false, reason: 'redirect' });
    expect(
      await fetchJson(
        'https://x/',
        using(async () => new Response(null, { status: 307 })),
      ),
    ).toMatchObject({
      ok: false,
      reason: 'redirect',
      status: 307,
    });
  });

  test('non-200 answers are failures with their status', async () => {
    expect(
      await fetchJson(
        'https://x/',
        using(async () => new Response('{}', { status: 404 })),
      ),
    ).toMatchObject({
      ok: false,
      reason: 'status',
      status: 404,
    });
  });

  test('an injected fetch that ignores the signal still times out', async () => {
    const r = await fetchJson(
      'https://x/',
      using(() => new Promise<Response>(() => undefined)),
    );
    expect(r).toMatchObject({ ok: false, reason: 'timeout' });
  });

  test('a body that stalls times out', async () => {
    const stalled = new Response(new ReadableStream({ start() {} }), { status: 200 });
    const r = await fetchJson(
      'https://x/',
      using(async () => stalled),
    );
    expect(r).toMatchObject({ ok: false, reason: 'timeout' });
  });

  test('a network error is reported as such', async () => {
    const r = await fetchJson(
      'https://x/',
      using(async () => {
        throw new TypeError('fetch failed');
      }),
    );
    expect(r).toMatchObject({ ok: false, reason: 'network' });
  });
});

describe('fetchJson without a fetch option: the global fetch, looked up at each call', () => {
  const { entra } = useMockEntra();
  const options = { timeoutMs: 300, maxResponseBytes: 4096, fetch: undefined };
  const keysUrl = () => `${entra().authority}/${entra().tenantId}/discovery/v2.0/keys`;

  afterEach(() => entra().setFault(null));

  test('a key set is fetched through the global fetch, and node:http is never called directly', async () => {
    const before = entra().requestCount();
    const get = vi.spyOn(http, 'get');
    const request = vi.spyOn(http, 'request');
    try {
      const r = await fetchJson(keysUrl(), { ...options, maxResponseBytes: 1 << 20 });
      expect(r).toMatchObject({ ok: true, json: { keys: expect.any(Array) } });
      expect(get).not.toHaveBeenCalled();
      expect(request).not.toHaveBeenCalled();
    } finally {
      get.mockRestore();
      request.mockRestore();
    }
    expect(entra().requestCount()).toBe(before + 1);
  });

  test('a global fetch installed after the validator was made (a stub) is used', async () => {
    const urls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      return Response.json({ stub: true });
    });
    try {
      expect(await fetchJson(keysUrl(), options)).toMatchObject({ ok: true, json: { stub: true } });
      expect(urls).toEqual([keysUrl()]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  test.each([
    ['slow', { delayMs: 2000 }, 'timeout'],
    ['huge', {}, 'too_large'],
    ['endless', {}, 'too_large'],
    ['redirect', {}, 'redirect'],
    ['status', { status: 500 }, 'status'],
    ['garbage', {}, 'invalid_json'],
  ] as const)('fault %s: %j → %s', async (fault, faultOptions, reason) => {
    entra().setFault(fault, faultOptions);
    const r = await fetchJson(keysUrl(), options);
    expect(r).toMatchObject({ ok: false, reason });
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  test('down, an unreachable port and an invalid URL are network failures', async () => {
    entra().setFault('down');
    expect((await fetchJson(keysUrl(), options)).ok).toBe(false);
    entra().setFault(null);
    expect(await fetchJson('http://127.0.0.1:1/keys', options)).toMatchObject({
      ok: false,
      reason: 'network',
    });
    expect(await fetchJson('not a url', options)).toMatchObject({ ok: false, reason: 'network' });
  });
});
