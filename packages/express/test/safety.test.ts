// Over real HTTP, in Express 4 and 5: a handler that needs a principal never runs without one
// (CORS preflights included), options are read as own properties only, and a core helper thrown in
// a handler is answered like the guards' own refusals.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import express5, { type ErrorRequestHandler, type RequestHandler } from 'express';
import express4 from 'express4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEntraValidator,
  createRoleCheck,
  type EntraValidator,
  entraAuth,
  entraErrorHandler,
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

async function listen(app: express5.Express): Promise<{ base: string; close: () => Promise<void> }> {
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.each([
  ['express 5', express5],
  ['express 4', express4 as unknown as typeof express5],
])('%s', (_name, createApp) => {
  describe('a handler that needs a principal never runs without one', () => {
    let base = '';
    let close = async () => {};
    const ran: string[] = [];
    const handler =
      (name: string): RequestHandler =>
      (req, res) => {
        ran.push(name);
        res.json({ ran: name, oid: req.auth?.objectId ?? null });
      };

    beforeAll(async () => {
      const app = createApp();
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
      ({ base, close } = await listen(app));
    });
    afterAll(() => close());

    it('answers a preflight 204 with no body by default, before the handler and the guards', async () => {
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
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="api"');
      const token = entra.createToken();
      const signed = await fetch(`${base}/authenticate`, {
        method: 'OPTIONS',
        headers: { ...PREFLIGHT, ...bearer(token) },
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
      // Anything else on that route is still authenticated and checked.
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

  describe('core helpers thrown in a handler, with entraErrorHandler()', () => {
    let base = '';
    let close = async () => {};
    const seenAfter: unknown[] = [];

    beforeAll(async () => {
      const app = createApp();
      const isAdmin = createRoleCheck('Orders.Admin');
      app.get('/guard', entraAuth(shared), requireRoles('Orders.Admin'), (_req, res) => {
        res.json({ ok: true });
      });
      app.get('/in-handler', entraAuth(shared), (req, res) => {
        isAdmin(req.auth);
        res.json({ ok: true });
      });
      app.get('/step-up', entraAuth(shared), (req, res) => {
        requireAuthContext(req.auth, 'c1');
        res.json({ ok: true });
      });
      app.get('/next-error', entraAuth(shared), (req, _res, next) => {
        try {
          isAdmin(req.auth);
        } catch (error) {
          next(error);
        }
      });
      app.get('/not-auth', () => {
        throw new Error('database down');
      });
      app.get('/streaming', entraAuth(shared), (req, res) => {
        res.status(200).write('partial');
        isAdmin(req.auth);
      });
      app.use(entraErrorHandler());
      const after: ErrorRequestHandler = (err, _req, res, _next) => {
        seenAfter.push(err);
        if (res.headersSent) res.end();
        else res.status(500).json({ failed: (err as Error).message });
      };
      app.use(after);
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
      expect(await observe('/next-error', token)).toEqual(byGuard);
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
      const other = await observe('/step-up', entra.createToken());
      expect(other.status).toBe(403);
      expect(other.body.error).toBe('insufficient_scope');
      expect((await observe('/step-up', entra.createToken({ acrs: ['c1'] }))).body).toEqual({ ok: true });
    });

    it('passes anything else on, and errors after the response started', async () => {
      seenAfter.length = 0;
      const res = await fetch(`${base}/not-auth`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ failed: 'database down' });
      const streaming = await fetch(`${base}/streaming`, { headers: bearer(entra.createToken()) });
      expect(streaming.status).toBe(200);
      expect(await streaming.text()).toBe('partial');
      expect(seenAfter).toHaveLength(2);
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
        // Not enumerable, so Express and Node themselves are not disturbed: only reads that fall
        // through to the prototype see these.
        Object.defineProperty(Object.prototype, key, { value, configurable: true, writable: true });
      }
      let close = async () => {};
      try {
        const app = createApp();
        app.all('/plain', entraAuth(shared, {}), (req, res) => {
          res.json({ oid: req.auth?.objectId ?? null });
        });
        app.all('/default', entraAuth(shared), (req, res) => {
          res.json({ oid: req.auth?.objectId ?? null });
        });
        app.get(
          '/both',
          entraAuth(shared, {}),
          requireScopes(['Orders.Read', 'Orders.Write'], {}),
          (_q, s) => {
            s.json({ ok: true });
          },
        );
        app.get('/either', entraAuth(shared, {}), requireScopeOrRole({ scopes: 'Orders.Read' }), (_q, s) => {
          s.json({ ok: true });
        });
        const started = await listen(app);
        close = started.close;
        const { base } = started;
        for (const path of ['/plain', '/default']) {
          // Not optional: no token is refused, and answered by the middleware (not passErrors).
          const anonymous = await fetch(`${base}${path}`);
          expect(anonymous.status, path).toBe(401);
          expect(anonymous.headers.get('content-type'), path).toMatch(/^application\/json/);
          // Not 'pass': the preflight never reaches the handler.
          const preflight = await fetch(`${base}${path}`, { method: 'OPTIONS', headers: PREFLIGHT });
          expect(preflight.status, path).toBe(204);
        }
        // match is 'all' unless given: one of the two scopes is not enough.
        const one = await fetch(`${base}/both`, {
          headers: bearer(entra.createToken({ scp: 'Orders.Read' })),
        });
        expect(one.status).toBe(403);
        // No roles were listed: an inherited role grants nothing.
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
