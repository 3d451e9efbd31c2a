// A handler that needs a principal never runs without one (CORS preflights included), a core helper
// thrown in a handler is answered like the guards' refusals whatever app.onError is, the answer keeps
// the CORS headers and wins over the app's, and options are read as own properties only.
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { type ErrorHandler, Hono } from 'hono';
import { cors } from 'hono/cors';
import { Hono as Hono40 } from 'hono4-0';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createEntraValidator,
  createRoleCheck,
  type EntraEnv,
  type EntraValidator,
  entraAuth,
  isEntraAuthError,
  requireAuthContext,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from '../src/index.js';

// The newest Hono, and the oldest the peer range allows.
const HONO = [
  ['hono 4.13', Hono],
  ['hono 4.0', Hono40 as unknown as typeof Hono],
] as const;

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

const SPA = 'https://spa.example';
const PREFLIGHT = { origin: SPA, 'access-control-request-method': 'DELETE' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each(HONO)('%s', (_name, HonoClass) => {
  describe('a handler that needs a principal never runs without one', () => {
    const app = new HonoClass<EntraEnv>();
    const ran: string[] = [];
    const handler =
      (name: string) =>
      (c: { get(k: 'auth'): EntraEnv['Variables']['auth']; json(o: unknown): Response }) => {
        ran.push(name);
        return c.json({ ran: name, oid: c.get('auth')?.objectId ?? null });
      };
    beforeAll(() => {
      app.all('/all', entraAuth(shared), handler('all'));
      app.all('/guarded', entraAuth(shared), requireRoles('Orders.Admin'), handler('guarded'));
      app.all('/answer', entraAuth(shared, { corsPreflight: 'answer' }), handler('answer'));
      app.all('/authenticate', entraAuth(shared, { corsPreflight: 'authenticate' }), handler('authenticate'));
      app.all('/pass', entraAuth(shared, { corsPreflight: 'pass' }), requireRoles('Admin'), handler('pass'));
      app.all('/optional', entraAuth(shared, { optional: true }), handler('optional'));
      app.all(
        '/optional-guarded',
        entraAuth(shared, { optional: true }),
        requireScopes('Orders.Read'),
        handler('optional-guarded'),
      );
      app.all('/guard-only', requireScopes('Orders.Read'), handler('guard-only'));
      // app.use before the routes, the usual shape: every route under /api is authenticated.
      const api = new HonoClass<EntraEnv>();
      api.use(entraAuth(shared));
      api.all('/orders', handler('api'));
      app.route('/api', api);
    });

    it('answers a preflight 204 with no body by default, before the next handler', async () => {
      ran.length = 0;
      for (const path of ['/all', '/guarded', '/answer', '/optional', '/optional-guarded', '/api/orders']) {
        const res = await app.request(path, { method: 'OPTIONS', headers: PREFLIGHT });
        expect(res.status, path).toBe(204);
        expect(await res.text(), path).toBe('');
        expect(res.headers.get('www-authenticate'), path).toBeNull();
      }
      expect(ran).toEqual([]);
    });

    it("authenticates a preflight like any request with corsPreflight: 'authenticate'", async () => {
      ran.length = 0;
      const anonymous = await app.request('/authenticate', { method: 'OPTIONS', headers: PREFLIGHT });
      expect(anonymous.status).toBe(401);
      const signed = await app.request('/authenticate', {
        method: 'OPTIONS',
        headers: { ...PREFLIGHT, ...bearer(entra.createToken()) },
      });
      expect(signed.status).toBe(200);
      expect(await signed.json()).toEqual({ ran: 'authenticate', oid: expect.any(String) });
      expect(ran).toEqual(['authenticate']);
    });

    it("passes a preflight on unauthenticated only with corsPreflight: 'pass', guards included", async () => {
      ran.length = 0;
      const res = await app.request('/pass', { method: 'OPTIONS', headers: PREFLIGHT });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ran: 'pass', oid: null });
      expect((await app.request('/pass')).status).toBe(401);
      expect((await app.request('/pass', { headers: bearer(entra.createToken()) })).status).toBe(403);
      expect(ran).toEqual(['pass']);
    });

    it('authenticates an OPTIONS without Origin like any request', async () => {
      ran.length = 0;
      const plain = await app.request('/all', {
        method: 'OPTIONS',
        headers: { 'access-control-request-method': 'GET' },
      });
      expect(plain.status).toBe(401);
      const signed = await app.request('/guarded', {
        method: 'OPTIONS',
        headers: bearer(entra.createToken({ roles: ['Orders.Admin'] }, { kind: 'app' })),
      });
      expect(signed.status).toBe(200);
      expect(ran).toEqual(['guarded']);
    });

    it('a guard reached with no principal answers 401 missing_token and never runs the handler', async () => {
      ran.length = 0;
      for (const [path, init] of [
        ['/optional-guarded', {}],
        ['/guard-only', { headers: bearer(entra.createToken({ scp: 'Orders.Read' })) }],
        ['/guard-only', { method: 'OPTIONS', headers: PREFLIGHT }],
      ] as const) {
        const res = await app.request(path, init);
        expect(res.status, path).toBe(401);
        expect(await res.json(), path).toEqual({
          error: 'missing_token',
          error_description: expect.any(String),
        });
        expect(res.headers.get('cache-control'), path).toBe('no-store');
      }
      expect((await app.request('/optional')).status).toBe(200);
      expect(ran).toEqual(['optional']);
    });

    it('refuses two Authorization headers, and authenticates routes of a sub-app', async () => {
      const headers = new Headers(bearer(entra.createToken()));
      headers.append('authorization', `Bearer ${entra.createToken()}`);
      const twice = await app.request('/all', { headers });
      expect(twice.status).toBe(400);
      expect((await twice.json()).error).toBe('invalid_request');
      expect((await app.request('/api/orders')).status).toBe(401);
      expect((await app.request('/api/orders', { headers: bearer(entra.createToken()) })).status).toBe(200);
    });
  });

  describe('core helpers thrown in a handler', () => {
    const isAdmin = createRoleCheck('Orders.Admin');

    /** The same routes, in an app with the given onError (or Hono's default). */
    function build(onError?: ErrorHandler<EntraEnv>) {
      const app = new HonoClass<EntraEnv>();
      if (onError) app.onError(onError);
      app.get('/guard', entraAuth(shared), requireRoles('Orders.Admin'), (c) => c.json({ ok: true }));
      app.get('/in-handler', entraAuth(shared), async (c) => {
        await Promise.resolve();
        isAdmin(c.get('auth'));
        return c.json({ ok: true });
      });
      app.get('/step-up', entraAuth(shared), (c) => {
        requireAuthContext(c.get('auth'), 'c1');
        return c.json({ ok: true });
      });
      app.get('/passed', entraAuth(shared, { passErrors: true }), (c) => {
        isAdmin(c.get('auth'));
        return c.json({ ok: true });
      });
      // An outer entraAuth (optional) and an inner one with passErrors: the inner one decides.
      app.get(
        '/nested',
        entraAuth(shared, { optional: true }),
        entraAuth(shared, { passErrors: true }),
        (c) => {
          isAdmin(c.get('auth'));
          return c.json({ ok: true });
        },
      );
      app.get('/not-auth', entraAuth(shared), () => {
        throw new Error('database down');
      });
      return app;
    }

    async function observe(app: Hono<EntraEnv>, path: string, token: string) {
      const res = await app.request(path, { headers: bearer(token) });
      return {
        status: res.status,
        challenge: res.headers.get('www-authenticate'),
        cacheControl: res.headers.get('cache-control'),
        contentType: res.headers.get('content-type'),
        body: await res.json().catch(() => 'not json'),
      };
    }

    it("answers them exactly like the guard, with Hono's default onError", async () => {
      const app = build();
      const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        const token = entra.createToken();
        const byGuard = await observe(app, '/guard', token);
        expect(byGuard).toEqual({
          status: 403,
          challenge: expect.stringContaining('error="insufficient_scope"'),
          cacheControl: 'no-store',
          contentType: 'application/json; charset=utf-8',
          body: { error: 'insufficient_role', error_description: expect.any(String) },
        });
        expect(await observe(app, '/in-handler', token)).toEqual(byGuard);
        const admin = entra.createToken({ roles: ['Orders.Admin'] }, { kind: 'app' });
        expect((await observe(app, '/in-handler', admin)).body).toEqual({ ok: true });

        const capable = await observe(app, '/step-up', entra.createToken({ xms_cc: ['cp1'] }));
        expect(capable.status).toBe(401);
        expect(capable.challenge).toMatch(
          /^Bearer realm="api", .*error="insufficient_claims", .*claims="[^"]+"$/,
        );
        expect(capable.cacheControl).toBe('no-store');
        expect(capable.body).toEqual({ error: 'insufficient_claims', error_description: expect.any(String) });
        expect((await observe(app, '/step-up', entra.createToken())).status).toBe(403);
        expect((await observe(app, '/step-up', entra.createToken({ acrs: ['c1'] }))).body).toEqual({
          ok: true,
        });
        // Other errors are Hono's: its default answer.
        expect(await observe(app, '/not-auth', token)).toMatchObject({ status: 500, body: 'not json' });
      } finally {
        quiet.mockRestore();
      }
    });

    it("answers them like the guard whatever the app's onError answers; the app's onError still gets the rest", async () => {
      const caught: unknown[] = [];
      const app = build((error, c) => {
        caught.push(error);
        return c.json({ failed: isEntraAuthError(error) ? error.code : error.message }, 500);
      });
      const token = entra.createToken();
      const byGuard = await observe(app, '/guard', token);
      expect(byGuard.status).toBe(403);
      expect(await observe(app, '/in-handler', token)).toEqual(byGuard);
      expect((await observe(app, '/step-up', entra.createToken())).status).toBe(403);
      expect((await observe(app, '/not-auth', token)).body).toEqual({ failed: 'database down' });
      expect((await observe(app, '/passed', token)).body).toEqual({ failed: 'insufficient_role' });
      expect((await observe(app, '/nested', token)).body).toEqual({ failed: 'insufficient_role' });
      expect(caught.map((e) => (isEntraAuthError(e) ? e.code : (e as Error).message))).toEqual([
        'insufficient_role',
        'insufficient_scope',
        'database down',
        'insufficient_role',
        'insufficient_role',
      ]);
    });

    it('answers them even when the app onError throws them again', async () => {
      const app = build((error) => {
        throw error;
      });
      const res = await observe(app, '/in-handler', entra.createToken());
      expect(res).toMatchObject({ status: 403, body: { error: 'insufficient_role' } });
    });
  });

  describe('the answer and the other headers', () => {
    const app = new HonoClass<EntraEnv>();
    beforeAll(() => {
      app.use(cors({ origin: SPA, exposeHeaders: ['WWW-Authenticate'] }));
      app.use(async (c, next) => {
        c.header('Cache-Control', 'public, max-age=600');
        c.header('X-Request-Id', 'r-1');
        await next();
      });
      app.use('/orders', entraAuth(shared));
      app.get('/orders', requireScopes('Orders.Read'), (c) => {
        createRoleCheck('Orders.Admin')(c.get('auth'));
        return c.json({ ok: true });
      });
    });

    it('keeps the CORS and the app headers, and its own win: status, challenge, no-store', async () => {
      // Hono's default onError logs the handler's error before entraAuth answers it.
      const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        const refusals = [
          [undefined, 401, 'missing_token'], // entraAuth
          [entra.createToken(), 403, 'insufficient_scope'], // the guard
          [entra.createToken({ scp: 'Orders.Read' }), 403, 'insufficient_role'], // the handler
        ] as const;
        for (const [token, status, code] of refusals) {
          const res = await app.request('/orders', {
            headers: { origin: SPA, ...(token ? bearer(token) : {}) },
          });
          expect(res.status, code).toBe(status);
          expect((await res.json()).error).toBe(code);
          expect(res.headers.get('access-control-allow-origin'), code).toBe(SPA);
          expect(res.headers.get('access-control-expose-headers'), code).toBe('WWW-Authenticate');
          expect(res.headers.get('x-request-id'), code).toBe('r-1');
          expect(res.headers.get('cache-control'), code).toBe('no-store');
          expect(res.headers.get('content-type'), code).toBe('application/json; charset=utf-8');
          expect(res.headers.get('www-authenticate'), code).toMatch(/^Bearer realm="api"/);
        }
      } finally {
        quiet.mockRestore();
      }
    });

    it('leaves preflights to the CORS middleware before it', async () => {
      const res = await app.request('/orders', { method: 'OPTIONS', headers: PREFLIGHT });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(SPA);
      expect(res.headers.get('access-control-allow-methods')).toContain('DELETE');
    });
  });

  describe('options are read as own properties', () => {
    it('a polluted Object.prototype configures no route', async () => {
      const inherited: Record<string, unknown> = {
        optional: true,
        corsPreflight: 'pass',
        passErrors: true,
        scopes: ['Inherited.Scope'],
        roles: ['Inherited.Role'],
        match: 'any',
      };
      for (const [key, value] of Object.entries(inherited)) {
        Object.defineProperty(Object.prototype, key, { value, configurable: true, writable: true });
      }
      try {
        const app = new HonoClass<EntraEnv>();
        app.onError((_error, c) => c.text('passed to onError', 500));
        const report = (c: { get(k: 'auth'): EntraEnv['Variables']['auth']; json(o: unknown): Response }) =>
          c.json({ oid: c.get('auth')?.objectId ?? null });
        app.all('/plain', entraAuth(shared, {}), report);
        app.all('/default', entraAuth(shared), report);
        app.get('/both', entraAuth(shared, {}), requireScopes(['Orders.Read', 'Orders.Write'], {}), report);
        app.get('/either', entraAuth(shared, {}), requireScopeOrRole({ scopes: 'Orders.Read' }), report);
        for (const path of ['/plain', '/default']) {
          const anonymous = await app.request(path);
          expect(anonymous.status, path).toBe(401);
          expect(anonymous.headers.get('content-type'), path).toMatch(/^application\/json/);
          const preflight = await app.request(path, { method: 'OPTIONS', headers: PREFLIGHT });
          expect(preflight.status, path).toBe(204);
        }
        const one = await app.request('/both', {
          headers: bearer(entra.createToken({ scp: 'Orders.Read' })),
        });
        expect(one.status).toBe(403);
        const role = entra.createToken({ roles: ['Inherited.Role'] }, { kind: 'app' });
        expect((await app.request('/either', { headers: bearer(role) })).status).toBe(403);
        const scope = entra.createToken({ scp: 'Orders.Read' });
        expect((await app.request('/either', { headers: bearer(scope) })).status).toBe(200);
      } finally {
        for (const key of Object.keys(inherited)) delete (Object.prototype as Record<string, unknown>)[key];
      }
    });
  });
});
