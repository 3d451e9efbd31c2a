// Over real HTTP, in Koa 2 and 3: a handler that needs a principal never runs without one (CORS
// preflights included), options are read as own properties only, and a core helper thrown in a
// handler is answered like the guards' own refusals.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import Koa3, { type Middleware } from 'koa';
import Koa2 from 'koa2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEntraValidator,
  createRoleCheck,
  type EntraValidator,
  entraAuth,
  isEntraAuthError,
  requireAuthContext,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
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

/** Runs `chain` on requests to `path`, like a router would. */
function route(path: string, ...chain: Middleware[]): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== path) return next();
    const step = async (i: number): Promise<void> => {
      await chain[i]?.(ctx, () => step(i + 1));
    };
    await step(0);
  };
}

async function listen(app: Koa3): Promise<{ base: string; close: () => Promise<void> }> {
  app.silent = true;
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.each([
  ['koa 3', Koa3],
  ['koa 2', Koa2],
])('%s', (_name, KoaClass) => {
  describe('a handler that needs a principal never runs without one', () => {
    let base = '';
    let close = async () => {};
    const ran: string[] = [];
    const handler =
      (name: string): Middleware =>
      (ctx) => {
        ran.push(name);
        ctx.body = { ran: name, oid: ctx.state.auth?.objectId ?? null };
      };

    beforeAll(async () => {
      const app = new KoaClass();
      app.use(route('/all', entraAuth(shared), handler('all')));
      app.use(route('/guarded', entraAuth(shared), requireRoles('Orders.Admin'), handler('guarded')));
      app.use(route('/answer', entraAuth(shared, { corsPreflight: 'answer' }), handler('answer')));
      app.use(
        route('/authenticate', entraAuth(shared, { corsPreflight: 'authenticate' }), handler('authenticate')),
      );
      app.use(
        route('/pass', entraAuth(shared, { corsPreflight: 'pass' }), requireRoles('Admin'), handler('pass')),
      );
      app.use(route('/optional', entraAuth(shared, { optional: true }), handler('optional')));
      app.use(
        route(
          '/optional-guarded',
          entraAuth(shared, { optional: true }),
          requireScopes('Orders.Read'),
          handler('optional-guarded'),
        ),
      );
      app.use(route('/guard-only', requireScopes('Orders.Read'), handler('guard-only')));
      ({ base, close } = await listen(app));
    });
    afterAll(() => close());

    it('answers a preflight 204 with no body by default, before the next middleware', async () => {
      ran.length = 0;
      for (const path of ['/all', '/guarded', '/answer', '/optional', '/optional-guarded']) {
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

    it("passes a preflight on unauthenticated only with corsPreflight: 'pass', guards included", async () => {
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

    it('a plain OPTIONS without Origin reaches the handler authenticated', async () => {
      ran.length = 0;
      const res = await fetch(`${base}/guarded`, {
        method: 'OPTIONS',
        headers: bearer(entra.createToken({ roles: ['Orders.Admin'] }, { kind: 'app' })),
      });
      expect(res.status).toBe(200);
      expect(ran).toEqual(['guarded']);
    });

    it('a guard reached with no principal answers 401 missing_token and never runs the handler', async () => {
      ran.length = 0;
      for (const [path, init] of [
        ['/optional-guarded', {}],
        ['/guard-only', { headers: bearer(entra.createToken({ scp: 'Orders.Read' })) }],
        ['/guard-only', { method: 'OPTIONS', headers: PREFLIGHT }],
      ] as const) {
        const res = await fetch(`${base}${path}`, init);
        expect(res.status, path).toBe(401);
        expect(await res.json(), path).toEqual({
          error: 'missing_token',
          error_description: expect.any(String),
        });
        expect(res.headers.get('cache-control'), path).toBe('no-store');
      }
      expect((await fetch(`${base}/optional`)).status).toBe(200);
      expect(ran).toEqual(['optional']);
    });
  });

  describe('core helpers thrown downstream of entraAuth', () => {
    let base = '';
    let close = async () => {};
    const caught: unknown[] = [];

    beforeAll(async () => {
      const app = new KoaClass();
      // The app's own error handling, upstream of everything: sees what entraAuth does not answer.
      app.use(async (ctx, next) => {
        try {
          await next();
        } catch (error) {
          caught.push(error);
          ctx.status = 500;
          ctx.body = { failed: isEntraAuthError(error) ? error.code : (error as Error).message };
        }
      });
      const isAdmin = createRoleCheck('Orders.Admin');
      const ok: Middleware = (ctx) => {
        ctx.body = { ok: true };
      };
      app.use(route('/guard', entraAuth(shared), requireRoles('Orders.Admin'), ok));
      app.use(
        route('/in-handler', entraAuth(shared), async (ctx) => {
          await Promise.resolve();
          isAdmin(ctx.state.auth);
          ctx.body = { ok: true };
        }),
      );
      app.use(
        route('/step-up', entraAuth(shared), (ctx) => {
          requireAuthContext(ctx.state.auth, 'c1');
          ctx.body = { ok: true };
        }),
      );
      app.use(
        route('/passed', entraAuth(shared, { passErrors: true }), (ctx) => {
          isAdmin(ctx.state.auth);
        }),
      );
      // An outer entraAuth (optional) and an inner one with passErrors: the inner one decides.
      app.use(
        route(
          '/nested',
          entraAuth(shared, { optional: true }),
          entraAuth(shared, { passErrors: true }),
          (ctx) => {
            isAdmin(ctx.state.auth);
          },
        ),
      );
      app.use(
        route('/not-auth', entraAuth(shared), () => {
          throw new Error('database down');
        }),
      );
      ({ base, close } = await listen(app));
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

    it('answers an EntraAuthError thrown by a handler exactly like the guard', async () => {
      const token = entra.createToken();
      const byGuard = await observe('/guard', token);
      expect(byGuard).toEqual({
        status: 403,
        challenge: expect.stringContaining('error="insufficient_scope"'),
        cacheControl: 'no-store',
        contentType: 'application/json; charset=utf-8',
        body: { error: 'insufficient_role', error_description: expect.any(String) },
      });
      expect(await observe('/in-handler', token)).toEqual(byGuard);
      const admin = entra.createToken({ roles: ['Orders.Admin'] }, { kind: 'app' });
      expect((await observe('/in-handler', admin)).body).toEqual({ ok: true });
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

    it('throws them on with passErrors, and anything else always', async () => {
      caught.length = 0;
      const token = entra.createToken();
      expect((await observe('/passed', token)).body).toEqual({ failed: 'insufficient_role' });
      expect((await observe('/nested', token)).body).toEqual({ failed: 'insufficient_role' });
      expect((await observe('/not-auth', token)).body).toEqual({ failed: 'database down' });
      expect(caught).toHaveLength(3);
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
        // Not enumerable, so Koa and Node themselves are not disturbed: only reads that fall through
        // to the prototype see these.
        Object.defineProperty(Object.prototype, key, { value, configurable: true, writable: true });
      }
      let close = async () => {};
      try {
        const app = new KoaClass();
        const report: Middleware = (ctx) => {
          ctx.body = { oid: ctx.state.auth?.objectId ?? null };
        };
        const ok: Middleware = (ctx) => {
          ctx.body = { ok: true };
        };
        app.use(route('/plain', entraAuth(shared, {}), report));
        app.use(route('/default', entraAuth(shared), report));
        app.use(
          route('/both', entraAuth(shared, {}), requireScopes(['Orders.Read', 'Orders.Write'], {}), ok),
        );
        app.use(route('/either', entraAuth(shared, {}), requireScopeOrRole({ scopes: 'Orders.Read' }), ok));
        const started = await listen(app);
        close = started.close;
        const { base } = started;
        for (const path of ['/plain', '/default']) {
          const anonymous = await fetch(`${base}${path}`);
          expect(anonymous.status, path).toBe(401);
          expect(anonymous.headers.get('content-type'), path).toMatch(/^application\/json/);
          const preflight = await fetch(`${base}${path}`, { method: 'OPTIONS', headers: PREFLIGHT });
          expect(preflight.status, path).toBe(204);
        }
        const one = await fetch(`${base}/both`, {
          headers: bearer(entra.createToken({ scp: 'Orders.Read' })),
        });
        expect(one.status).toBe(403);
        const role = entra.createToken({ roles: ['Inherited.Role'] }, { kind: 'app' });
        expect((await fetch(`${base}/either`, { headers: bearer(role) })).status).toBe(403);
        const scope = entra.createToken({ scp: 'Orders.Read' });
        expect((await fetch(`${base}/either`, { headers: bearer(scope) })).status).toBe(200);
      } finally {
        for (const key of Object.keys(inherited)) delete (Object.prototype as Record<string, unknown>)[key];
        await close();
      }
    });
  });
});
