import { connect, createServer } from 'node:net';
import { describe, expect, test } from 'vitest';
import { createMockEntra } from '../src/index.js';
import { v2DiscoveryPath, v2KeysPath } from './http.js';

/** Resolves 'connected' or the connection error code for 127.0.0.1:`port`. */
function probe(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

/** A port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const handles = (type: string) => process.getActiveResourcesInfo().filter((t) => t === type).length;

/** Node closes handles asynchronously: waits (bounded) until at most `count` of `type` are open. */
async function settledHandles(type: string, count: number): Promise<number> {
  for (let i = 0; i < 100 && handles(type) > count; i++) await new Promise((r) => setTimeout(r, 5));
  return handles(type);
}

describe('start and close', () => {
  test('a given port; close() frees it and every connection (keep-alive, slow, endless); idempotent', async () => {
    const serversBefore = handles('TCPServerWrap');
    const socketsBefore = handles('TCPSocketWrap');
    const port = await freePort();
    const entra = await createMockEntra({ port });
    expect(entra.authority).toBe(`http://127.0.0.1:${port}`);
    expect(await probe(port)).toBe('connected');

    // A keep-alive connection, a request held by an untimed slow fault, another with a timer,
    // and an endless body being streamed.
    expect((await fetch(`${entra.authority}${v2DiscoveryPath(entra.tenantId)}`)).status).toBe(200);
    const requests = async (n: number) => {
      for (let i = 0; i < 200 && entra.requestCount() < n; i++) await new Promise((r) => setTimeout(r, 5));
      expect(entra.requestCount()).toBe(n);
    };
    entra.setFault('slow', { target: 'discovery' });
    const held = fetch(`${entra.authority}${v2DiscoveryPath(entra.tenantId)}`);
    await requests(2);
    // Changing the fault answers the request that waited for it; the next one waits on a timer.
    entra.setFault('slow', { target: 'discovery', delayMs: 60_000 });
    expect((await held).status).toBe(200);
    const timed = fetch(`${entra.authority}${v2DiscoveryPath('common')}`);
    await requests(3);
    entra.setFault('endless', { target: 'jwks' });
    const endless = await fetch(`${entra.authority}${v2KeysPath(entra.tenantId)}`);
    const reader = endless.body!.getReader();
    expect((await reader.read()).done).toBe(false);

    const started = Date.now();
    const closing = entra.close();
    expect(entra.close()).toBe(closing);
    await closing;
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(timed).rejects.toThrow();
    await expect(reader.read()).rejects.toThrow();
    expect(await probe(port)).toBe('ECONNREFUSED');
    await entra.close();
    await entra[Symbol.asyncDispose]();
    expect(await settledHandles('TCPServerWrap', serversBefore)).toBe(serversBefore);
    // The client side of every connection is gone too: nothing was left half-open.
    expect(await settledHandles('TCPSocketWrap', socketsBefore)).toBe(socketsBefore);
  });

  test('custom options are reflected; a port in use rejects at once and leaves nothing listening', async () => {
    const options = {
      tenantId: '72F988BF-86F1-41AF-91AB-2D7CD011DB47',
      clientId: '11111111-2222-4333-8444-555555555555',
      clientAppId: '66666666-7777-4888-9999-000000000000',
      domain: 'fabrikam.onmicrosoft.com',
    };
    const entra = await createMockEntra(options);
    try {
      expect(entra.tenantId).toBe(options.tenantId.toLowerCase());
      expect(entra.clientId).toBe(options.clientId);
      expect(entra.clientAppId).toBe(options.clientAppId);
      expect(entra.audience).toBe(`api://${options.clientId}`);
      expect(entra.domain).toBe(options.domain);
      expect(entra.issuer).toBe(`${entra.authority}/${entra.tenantId}/v2.0`);
      expect(entra.issuerV1).toBe(`https://sts.windows.net/${entra.tenantId}/`);
      const response = await fetch(`${entra.authority}${v2DiscoveryPath(options.domain)}`);
      expect(((await response.json()) as { issuer: string }).issuer).toBe(entra.issuer);

      const port = Number(new URL(entra.authority).port);
      const servers = handles('TCPServerWrap');
      const started = Date.now();
      await expect(createMockEntra({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(Date.now() - started).toBeLessThan(100); // no key was generated
      expect(await settledHandles('TCPServerWrap', servers)).toBe(servers);
      expect((await fetch(`${entra.authority}${v2KeysPath(entra.tenantId)}`)).status).toBe(200);
    } finally {
      await entra.close();
    }
  });

  test('await using closes the kit at the end of the block', async () => {
    let authority = '';
    {
      await using entra = await createMockEntra();
      authority = entra.authority;
      expect((await fetch(`${authority}/common/discovery/keys`)).status).toBe(200);
    }
    await expect(fetch(`${authority}/common/discovery/keys`)).rejects.toThrow(TypeError);
  });

  test.each([
    [{ tenantId: 'contoso' }],
    [{ clientId: 'api://orders' }],
    [{ clientAppId: '' }],
    [{ port: -1 }],
    [{ port: 1.5 }],
    [{ domain: 'not a domain' }],
    [{ clock: 5 }],
    [{ tenant: 'x' }],
  ])('bad options reject with a TypeError before anything starts: %j', async (options) => {
    await expect(createMockEntra(options as never)).rejects.toThrow(TypeError);
  });
});
