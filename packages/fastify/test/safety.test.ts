// Over real HTTP, in Fastify 4 and 5: a handler that needs a principal never runs without one (CORS
// preflights included), options are read as own properties only, and a core helper thrown in a
// handler is answered like the guards' own refusals.
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import fastify5, { type FastifyInstance, type RouteHandlerMethod } from 'fastify';
import fastify4 from 'fastify4';
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
const METHODS = ['GET', 'OPTIONS', 'DELETE'] as const;

async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

describe.each([
  ['fastify 5', fastify5],
  ['fastify 4', fastify4 as unknown as typeof fastify5],
])('%s', (_name, createApp) => {
  describe('a handler that needs a principal never runs without one', () => {
    let app: FastifyInstance;
    let base = '';
    const ran: string[] = [];
    const handler =
      (name: string): RouteHandlerMethod =>
      async (request) => {
        ran.push(name);
        return { ran: name, oid: request.auth?.objectId ?? null };
      };

    beforeAll(async () => {
      app = createApp();
      // Each scope registers the plugin with its own options; routes accept OPTIONS.
      const scope = (options: Record<string, unknown>, routes: (s: FastifyInstance) => void) =>
        app.register(async (s) => {
          await s.register(entraAuth, { validator: shared, ...options });
          routes(s);
        });
      await scope({}, (s) => {
        s.route({ method: [...METHODS], url: '/all', handler: handler('all') });
        s.route({
          method: [...METHODS],
          url: '/guarded',
          preHandler: requireRoles('Orders.Admin'),
          handler: handler('guarded'),
        });
      });
      await scope({ corsPreflight: 'answer' }, (s) => {
        s.route({ method: [...METHODS], url: '/answer', handler: handler('answer') });
      });
      await scope({ corsPreflight: 'authenticate' }, (s) => {
        s.route({ method: [...METHODS], url: '/authenticate', handler: handler('authenticate') });
      });
      await scope({ corsPreflight: 'pass' }, (s) => {
        s.route({
          method: [...METHODS],
          url: '/pass',
          preHandler: requireRoles('Admin'),
          handler: handler('pass'),
        });
      });
      await scope({ optional: true }, (s) => {
        s.route({ method: [...METHODS], url: '/optional', handler: handler('optional') });
        s.route({
          method: [...METHODS],
          url: '/optional-guarded',
          preHandler: requireScopes('Orders.Read'),
          handler: handler('optional-guarded'),
        });
      });
      // Outside every scope of the plugin: a guard with no entraAuth before it.
      app.route({
        method: [...METHODS],
        url: '/guard-only',
        preHandler: requireScopes('Orders.Read'),
        handler: handler('guard-only'),
      });
      base = await listen(app);
    });
    afterAll(() => app.close());

    it('answers a preflight 204 with no body by default, before the guards and the handler', async () => {
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

  describe('core helpers thrown in a handler', () => {
    let app: FastifyInstance;
    let base = '';
    const seenByUser: unknown[] = [];
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }) => warnings.push(warning.code ?? warning.name);
    const isAdmin = createRoleCheck('Orders.Admin');

    beforeAll(async () => {
      process.on('warning', onWarning);
      // allowErrorHandlerOverride: false makes Fastify 5 throw if a second setErrorHandler is called
      // in one scope: the plugin must never take the app's own place.
      app = createApp({ allowErrorHandlerOverride: false });
      const userHandler = (label: string) =>
        async function (
          this: unknown,
          error: Error,
          _request: unknown,
          reply: { code(n: number): { send(b: unknown): unknown } },
        ) {
          seenByUser.push(error);
          return reply.code(500).send({ [label]: isEntraAuthError(error) ? error.code : error.message });
        };
      const routes = (s: FastifyInstance) => {
        s.get('/guard', { preHandler: requireRoles('Orders.Admin') }, async () => ({ ok: true }));
        s.get('/in-handler', async (request) => {
          isAdmin(request.auth);
          return { ok: true };
        });
        s.get('/sync-handler', (request, reply) => {
          isAdmin(request.auth);
          reply.send({ ok: true });
        });
        s.get('/step-up', async (request) => {
          requireAuthContext(request.auth, 'c1');
          return { ok: true };
        });
        s.get('/not-auth', async () => {
          throw new Error('database down');
        });
      };
      // No error handler of the app's own.
      await app.register(
        async (s) => {
          await s.register(entraAuth, { validator: shared });
          routes(s);
        },
        { prefix: '/plain' },
      );
      // The app's setErrorHandler before the plugin, in the same scope.
      await app.register(
        async (s) => {
          s.setErrorHandler(userHandler('before'));
          await s.register(entraAuth, { validator: shared });
          routes(s);
        },
        { prefix: '/before' },
      );
      // The app's setErrorHandler after the plugin, in the same scope.
      await app.register(
        async (s) => {
          await s.register(entraAuth, { validator: shared });
          s.setErrorHandler(userHandler('after'));
          routes(s);
        },
        { prefix: '/after' },
      );
      // A route's own errorHandler.
      await app.register(
        async (s) => {
          await s.register(entraAuth, { validator: shared });
          s.get('/in-handler', { errorHandler: userHandler('route') }, async (request) => {
            isAdmin(request.auth);
            return { ok: true };
          });
          s.get('/not-auth', { errorHandler: userHandler('route') }, async () => {
            throw new Error('database down');
          });
        },
        { prefix: '/route' },
      );
      // passErrors: the app's handler renders the handlers' EntraAuthErrors too.
      await app.register(
        async (s) => {
          await s.register(entraAuth, { validator: shared, passErrors: true });
          s.setErrorHandler(userHandler('passed'));
          routes(s);
        },
        { prefix: '/passed' },
      );
      base = await listen(app);
    });
    afterAll(async () => {
      process.off('warning', onWarning);
      await app.close();
    });

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

    it('answers an EntraAuthError thrown by a handler exactly like the guard, whatever error handler the app has', async () => {
      const token = entra.createToken();
      const byGuard = await observe('/plain/guard', token);
      expect(byGuard).toEqual({
        status: 403,
        challenge: expect.stringContaining('error="insufficient_scope"'),
        cacheControl: 'no-store',
        contentType: 'application/json; charset=utf-8',
        body: { error: 'insufficient_role', error_description: expect.any(String) },
      });
      for (const prefix of ['/plain', '/before', '/after']) {
        expect(await observe(`${prefix}/in-handler`, token), prefix).toEqual(byGuard);
        expect(await observe(`${prefix}/sync-handler`, token), prefix).toEqual(byGuard);
      }
      expect(await observe('/route/in-handler', token)).toEqual(byGuard);
      const admin = entra.createToken({ roles: ['Orders.Admin'] }, { kind: 'app' });
      expect((await observe('/after/in-handler', admin)).body).toEqual({ ok: true });
    });

    it('answers requireAuthContext with its claims challenge (401) or 403', async () => {
      const capable = await observe('/after/step-up', entra.createToken({ xms_cc: ['cp1'] }));
      expect(capable.status).toBe(401);
      expect(capable.challenge).toMatch(
        /^Bearer realm="api", .*error="insufficient_claims", .*claims="[^"]+"$/,
      );
      expect(capable.cacheControl).toBe('no-store');
      expect(capable.body).toEqual({ error: 'insufficient_claims', error_description: expect.any(String) });
      expect((await observe('/plain/step-up', entra.createToken())).status).toBe(403);
      expect((await observe('/before/step-up', entra.createToken({ acrs: ['c1'] }))).body).toEqual({
        ok: true,
      });
    });

    it("hands anything else to the app's error handler (the route's own first), and everything with passErrors", async () => {
      seenByUser.length = 0;
      const token = entra.createToken();
      expect((await observe('/before/not-auth', token)).body).toEqual({ before: 'database down' });
      expect((await observe('/after/not-auth', token)).body).toEqual({ after: 'database down' });
      expect((await observe('/route/not-auth', token)).body).toEqual({ route: 'database down' });
      expect((await observe('/passed/in-handler', token)).body).toEqual({ passed: 'insufficient_role' });
      expect((await observe('/passed/guard', token)).body).toEqual({ passed: 'insufficient_role' });
      expect(seenByUser).toHaveLength(5);
      const plain = await observe('/plain/not-auth', token);
      expect(plain.status).toBe(500);
      expect(plain.body).toMatchObject({ message: 'database down' });
    });

    it('never sets an error handler in the app’s place (no override warning)', () => {
      expect(warnings).not.toContain('FSTWRN004');
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
      const app = createApp();
      for (const [key, value] of Object.entries(inherited)) {
        // Not enumerable, so Fastify and Node themselves are not disturbed: only reads that fall
        // through to the prototype see these.
        Object.defineProperty(Object.prototype, key, { value, configurable: true, writable: true });
      }
      try {
        const report: RouteHandlerMethod = async (request) => ({ oid: request.auth?.objectId ?? null });
        await app.register(async (s) => {
          await s.register(entraAuth, { validator: shared });
          s.route({ method: ['GET', 'OPTIONS'], url: '/plain', handler: report });
          s.get('/both', { preHandler: requireScopes(['Orders.Read', 'Orders.Write'], {}) }, report);
          s.get('/either', { preHandler: requireScopeOrRole({ scopes: 'Orders.Read' }) }, report);
        });
        await app.register(async (s) => {
          await s.register(entraAuth, entra.validatorOptions());
          s.route({ method: ['GET', 'OPTIONS'], url: '/owned', handler: report });
        });
        const base = await listen(app);
        for (const path of ['/plain', '/owned']) {
          const anonymous = await fetch(`${base}${path}`);
          expect(anonymous.status, path).toBe(401);
          expect(await anonymous.json(), path).toEqual({
            error: 'missing_token',
            error_description: expect.any(String),
          });
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
        await app.close();
      }
    });
  });
});
