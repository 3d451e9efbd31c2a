// Over real HTTP (a node:http server handing each request to the wrapped handler as a Web Request):
// a handler that needs a principal never runs without one (CORS preflights included), options are
// read as own properties only, and a core helper thrown in a handler is answered like the wrapper's
// own refusals.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEntraValidator,
  type EntraPrincipal,
  type EntraValidator,
  requireAuthContext,
  requireRoles,
  withEntraAuth,
} from '../src/index.js';

let entra: MockEntra;
let shared: EntraValidator;

beforeAll(async () => {
  entra = await createMockEntra();
  shared = createEntraValidator(entra.validatorOptions());
});
afterAll(async () => {
  shared.close();
  await entra.close();
});

const PREFLIGHT = { origin: 'https://spa.example', 'access-control-request-method': 'DELETE' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

type Handler = (request: Request) => Promise<Response>;

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  }
  return new Request(`http://127.0.0.1${req.url ?? '/'}`, { method: req.method, headers });
}

/** Serves `routes` (by path) over HTTP on 127.0.0.1. */
async function serve(routes: Record<string, Handler>): Promise<{ base: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const handler = routes[new URL(req.url ?? '/', 'http://127.0.0.1').pathname];
    if (handler === undefined) {
      res.writeHead(404).end();
      return;
    }
    handler(toRequest(req)).then(
      async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      },
    );
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('a handler that needs a principal never runs without one', () => {
  let base = '';
  let close = async () => {};
  const ran: string[] = [];
  const handler = (name: string) => (_request: Request, principal: EntraPrincipal | undefined) => {
    ran.push(name);
    return Response.json({ ran: name, oid: principal?.objectId ?? null });
  };

  beforeAll(async () => {
    ({ base, close } = await serve({
      '/all': withEntraAuth(shared, handler('all')),
      '/guarded': withEntraAuth(shared, handler('guarded'), { roles: 'Orders.Admin' }),
      '/answer': withEntraAuth(shared, handler('answer'), { corsPreflight: 'answer' }),
      '/authenticate': withEntraAuth(shared, handler('authenticate'), { corsPreflight: 'authenticate' }),
      '/pass': withEntraAuth(shared, handler('pass'), { corsPreflight: 'pass', roles: 'Admin' }),
      '/optional': withEntraAuth(shared, handler('optional'), { optional: true }),
    }));
  });
  afterAll(() => close());

  it('answers a preflight 204 with no body by default, before the checks and the handler', async () => {
    ran.length = 0;
    for (const path of ['/all', '/guarded', '/answer', '/optional']) {
      const res = await fetch(`${base}${path}`, { method: 'OPTIONS', headers: PREFLIGHT });
      expect(res.status, path).toBe(204);
      expect(await res.text(), path).toBe('');
      expect(res.headers.get('www-authenticate'), path).toBeNull();
    }
    expect(ran).toEqual([]);
  });

  it("authenticates a preflight like any request with corsPreflight: 'authenticate'", async () => {
    ran.length = 0;
    const anonymous = await fetch(`${base}/authenticate`, { method: 'OPTIONS', headers: PREFLIGHT });
    expect(anonymous.status).toBe(401);
    const signed = await fetch(`${base}/authenticate`, {
      method: 'OPTIONS',
      headers: { ...PREFLIGHT, ...bearer(entra.createToken()) },
    });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ ran: 'authenticate', oid: expect.any(String) });
    expect(ran).toEqual(['authenticate']);
  });

  it("passes a preflight on unauthenticated only with corsPreflight: 'pass', checks included", async () => {
    ran.length = 0;
    const res = await fetch(`${base}/pass`, { method: 'OPTIONS', headers: PREFLIGHT });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ran: 'pass', oid: null });
    expect((await fetch(`${base}/pass`)).status).toBe(401);
    expect((await fetch(`${base}/pass`, { headers: bearer(entra.createToken()) })).status).toBe(403);
    expect(ran).toEqual(['pass']);
  });

  it('authenticates an OPTIONS without Origin like any request', async () => {
    ran.length = 0;
    const plain = await fetch(`${base}/all`, {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'GET' },
    });
    expect(plain.status).toBe(401);
    const signed = await fetch(`${base}/all`, { method: 'OPTIONS', headers: bearer(entra.createToken()) });
    expect(signed.status).toBe(200);
    expect(ran).toEqual(['all']);
  });
});

describe('core helpers thrown in a handler', () => {
  let base = '';
  let close = async () => {};

  beforeAll(async () => {
    const ok = () => Response.json({ ok: true });
    ({ base, close } = await serve({
      '/guard': withEntraAuth(shared, ok, { roles: 'Orders.Admin' }),
      '/in-handler': withEntraAuth(shared, (_request, principal) => {
        requireRoles(principal, 'Orders.Admin');
        return ok();
      }),
      '/step-up': withEntraAuth(shared, async (_request, principal) => {
        await Promise.resolve();
        requireAuthContext(principal, 'c1');
        return ok();
      }),
    }));
  });
  afterAll(() => close());

  async function observe(path: string, token: string) {
    const res = await fetch(`${base}${path}`, { headers: bearer(token) });
    return {
      status: res.status,
      challenge: res.headers.get('www-authenticate'),
      cacheControl: res.headers.get('cache-control'),
      contentType: res.headers.get('content-type'),
      body: await res.json(),
    };
  }

  it('answers an EntraAuthError thrown by the handler exactly like the roles option', async () => {
    const token = entra.createToken();
    const byOption = await observe('/guard', token);
    expect(byOption).toEqual({
      status: 403,
      challenge: expect.stringContaining('error="insufficient_scope"'),
      cacheControl: 'no-store',
      contentType: 'application/json; charset=utf-8',
      body: { error: 'insufficient_role', error_description: expect.any(String) },
    });
    expect(await observe('/in-handler', token)).toEqual(byOption);
  });

  it('answers requireAuthContext with its claims challenge (401) or 403', async () => {
    const capable = await observe('/step-up', entra.createToken({ xms_cc: ['cp1'] }));
    expect(capable.status).toBe(401);
    expect(capable.challenge).toMatch(
      /^Bearer realm="api", .*error="insufficient_claims", .*claims="[^"]+"$/,
    );
    expect(capable.cacheControl).toBe('no-store');
    expect(capable.body).toEqual({ error: 'insufficient_claims', error_description: expect.any(String) });
    expect((await observe('/step-up', entra.createToken())).status).toBe(403);
    expect((await observe('/step-up', entra.createToken({ acrs: ['c1'] }))).body).toEqual({ ok: true });
  });
});

describe('options are read as own properties', () => {
  it('a polluted Object.prototype configures no handler', async () => {
    const inherited: Record<string, unknown> = {
      optional: true,
      corsPreflight: 'pass',
      scopes: ['Inherited.Scope'],
      roles: ['Inherited.Role'],
      match: 'any',
      onError: () => new Response('inherited', { status: 299 }),
    };
    for (const [key, value] of Object.entries(inherited)) {
      Object.defineProperty(Object.prototype, key, { value, configurable: true, writable: true });
    }
    let close = async () => {};
    try {
      const report = (_request: Request, principal: EntraPrincipal | undefined) =>
        Response.json({ oid: principal?.objectId ?? null });
      const started = await serve({
        '/plain': withEntraAuth(shared, report, {}),
        '/default': withEntraAuth(shared, report),
        '/both': withEntraAuth(shared, report, { scopes: ['Orders.Read', 'Orders.Write'] }),
        '/scoped': withEntraAuth(shared, report, { scopes: 'Orders.Read' }),
      });
      close = started.close;
      const { base } = started;
      for (const path of ['/plain', '/default']) {
        const anonymous = await fetch(`${base}${path}`);
        expect(anonymous.status, path).toBe(401);
        expect(anonymous.headers.get('content-type'), path).toMatch(/^application\/json/);
        const preflight = await fetch(`${base}${path}`, { method: 'OPTIONS', headers: PREFLIGHT });
        expect(preflight.status, path).toBe(204);
        // No scopes or roles were given: a valid token is enough.
        const signed = await fetch(`${base}${path}`, { headers: bearer(entra.createToken()) });
        expect(signed.status, path).toBe(200);
      }
      const one = await fetch(`${base}/both`, { headers: bearer(entra.createToken({ scp: 'Orders.Read' })) });
      expect(one.status).toBe(403);
      const role = entra.createToken({ roles: ['Inherited.Role'] }, { kind: 'app' });
      expect((await fetch(`${base}/scoped`, { headers: bearer(role) })).status).toBe(403);
    } finally {
      for (const key of Object.keys(inherited)) delete (Object.prototype as Record<string, unknown>)[key];
      await close();
    }
  });
});
