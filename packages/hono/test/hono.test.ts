// Through Hono's own request injector (app.request): the middleware, the guards, the answers, the
// validator it owns or shares, and the set-up errors.
import {
  createEntraValidator,
  EntraConfigError,
  type EntraValidator,
  errorResponse,
  isEntraAuthError,
  isEntraValidator,
} from '@org/entra-core';
import { createMockEntra, createMockGraph, type MockEntra, type MockGraph } from '@org/entra-testing';
import { Hono } from 'hono';
import { Hono as Hono40 } from 'hono4-0';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as entry from '../src/index.js';
import {
  type EntraAuthMiddleware,
  type EntraEnv,
  entraAuth,
  requireAppOnly,
  requireDelegated,
  requireGroups,
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
let graph: MockGraph;
let shared: EntraValidator;
let failing: EntraValidator;

beforeAll(async () => {
  [entra, graph] = await Promise.all([createMockEntra(), createMockGraph()]);
  shared = createEntraValidator(entra.validatorOptions());
  // A validator that fails the way no token can: its error is not an EntraAuthError.
  failing = createEntraValidator(entra.validatorOptions());
  failing.authenticate = () => Promise.reject(new Error('database down'));
});
afterAll(async () => {
  shared.close();
  failing.close();
  await Promise.all([entra.close(), graph.close()]);
});

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const ADMINS = '0b7d8a3e-9c4f-4e21-b6a5-3f2e1d0c9b8a';

describe.each(HONO)('%s', (_name, HonoClass) => {
  describe('entraAuth and the guards', () => {
    const app = new HonoClass<EntraEnv>();
    const caught: unknown[] = [];
    let owned: EntraAuthMiddleware;

    beforeAll(() => {
      owned = entraAuth(entra.validatorOptions());
      const report = (c: { get(key: 'auth'): EntraEnv['Variables']['auth']; json(o: unknown): Response }) =>
        c.json({ oid: c.get('auth')?.objectId ?? null, scopes: c.get('auth')?.scopes ?? null });
      app.onError((error, c) => {
        caught.push(error);
        return c.json({ custom: isEntraAuthError(error) ? error.code : error.message }, 500);
      });
      app.get('/owned', owned, report);
      app.get('/me', entraAuth(shared), report);
      app.get('/optional', entraAuth(shared, { optional: true }), report);
      app.get('/orders', entraAuth(shared), requireScopes('Orders.Read'), report);
      app.get(
        '/any',
        entraAuth(shared),
        requireScopes(['Orders.Read', 'Orders.Write'], { match: 'any' }),
        report,
      );
      app.get('/admin', entraAuth(shared), requireRoles('Orders.Admin'), report);
      app.get(
        '/read',
        entraAuth(shared),
        requireScopeOrRole({ scopes: 'Orders.Read', roles: 'Orders.Read.All' }),
        report,
      );
      app.get('/app', entraAuth(shared), requireAppOnly(), report);
      app.get('/user', entraAuth(shared), requireDelegated(), report);
      app.get(
        '/admins',
        entraAuth(shared),
        requireGroups(ADMINS, { getGraphToken: () => 'graph-token', graphUrl: graph.url }),
        report,
      );
      app.get('/passed', entraAuth(shared, { passErrors: true }), requireRoles('Orders.Admin'), report);
      app.get('/failing', entraAuth(failing), report);
    });
    afterAll(() => owned.validator.close());

    it("sets c.get('auth'); optional routes let anonymous requests through", async () => {
      const res = await app.request('/me', bearer(entra.createToken({ scp: 'Orders.Read' })));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ oid: expect.any(String), scopes: ['Orders.Read'] });
      const anonymous = await app.request('/optional');
      expect(await anonymous.json()).toEqual({ oid: null, scopes: null });
      const bad = await app.request(
        '/optional',
        bearer(entra.createToken({}, { expiresIn: -3600, issuedAt: -7200 })),
      );
      expect(bad.status).toBe(401);
    });

    it('owns a validator made from options, and shares one it is given', async () => {
      expect(isEntraValidator(owned.validator)).toBe(true);
      expect(owned.validator).not.toBe(shared);
      expect(entraAuth(shared).validator).toBe(shared);
      expect((await app.request('/owned', bearer(entra.createToken()))).status).toBe(200);
    });

    it('answers a refusal with exactly the core response', async () => {
      const res = await app.request('/orders', bearer(entra.createToken()));
      const expected = errorResponse(
        new entry.EntraAuthError('insufficient_scope', { scopes: ['Orders.Read'] }),
      );
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toBe(expected.headers['www-authenticate']);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await res.text()).toBe(expected.body);
      const missing = await app.request('/me');
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    });

    it('each guard passes its callers and refuses the others', async () => {
      const user = (scp: string) => bearer(entra.createToken({ scp }));
      const daemon = (...roles: string[]) => bearer(entra.createToken({ roles }, { kind: 'app' }));
      const cases: [string, RequestInit, number, string?][] = [
        ['/orders', user('Orders.Read'), 200],
        ['/orders', user('Orders.Write'), 403, 'insufficient_scope'],
        ['/any', user('Orders.Write'), 200],
        ['/admin', daemon('Orders.Admin'), 200],
        ['/admin', user('Orders.Read'), 403, 'insufficient_role'],
        ['/read', user('Orders.Read'), 200],
        ['/read', daemon('Orders.Read.All'), 200],
        ['/read', daemon('Orders.Admin'), 403, 'insufficient_role'],
        ['/app', daemon('Orders.Admin'), 200],
        ['/app', user('Orders.Read'), 403, 'insufficient_role'],
        ['/user', user('Orders.Read'), 200],
        ['/user', daemon('Orders.Admin'), 403, 'insufficient_scope'],
      ];
      for (const [path, init, status, code] of cases) {
        const res = await app.request(path, init);
        expect(res.status, path).toBe(status);
        if (code !== undefined) expect((await res.json()).error, path).toBe(code);
      }
    });

    it('the groups guard reads the token, or Microsoft Graph on an overage, and never passes on a Graph failure', async () => {
      expect((await app.request('/admins', bearer(entra.createToken({ groups: [ADMINS] })))).status).toBe(
        200,
      );
      const outsider = await app.request('/admins', bearer(entra.createToken({ groups: [] })));
      expect(outsider.status).toBe(403);
      expect((await outsider.json()).error).toBe('insufficient_role');
      const overage = entra.createToken({ hasgroups: true });
      const oid = JSON.parse(
        atob((overage.split('.')[1] as string).replace(/-/g, '+').replace(/_/g, '/')),
      ).oid;
      graph.setGroups(oid, [ADMINS]);
      expect((await app.request('/admins', bearer(overage))).status).toBe(200);
      graph.setFault('down');
      try {
        const other = { hasgroups: true, oid: '5a0e4c39-2b1d-4f8e-9a6c-7d3b2e1f0a9b' };
        const unavailable = await app.request('/admins', bearer(entra.createToken(other)));
        expect(unavailable.status).toBe(503);
        expect(unavailable.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(unavailable.headers.get('cache-control')).toBe('no-store');
      } finally {
        graph.setFault(null);
      }
    });

    it('passErrors throws the EntraAuthError to app.onError, guards included', async () => {
      caught.length = 0;
      const missing = await app.request('/passed');
      expect(missing.status).toBe(500);
      expect(await missing.json()).toEqual({ custom: 'missing_token' });
      const user = await app.request('/passed', bearer(entra.createToken()));
      expect(await user.json()).toEqual({ custom: 'insufficient_role' });
      expect(caught.map((e) => isEntraAuthError(e) && e.code)).toEqual([
        'missing_token',
        'insufficient_role',
      ]);
    });

    it('errors that are not auth errors go to app.onError', async () => {
      caught.length = 0;
      const res = await app.request('/failing', bearer(entra.createToken()));
      expect(await res.json()).toEqual({ custom: 'database down' });
      expect(caught).toHaveLength(1);
    });
  });
});

describe('set-up errors', () => {
  it('throw EntraConfigError when the app is built, not on a request', () => {
    const options = entra.validatorOptions();
    expect(() => entraAuth(options, { optinal: true } as never)).toThrow(EntraConfigError);
    expect(() => entraAuth(options, { passErrors: 'yes' } as never)).toThrow(/passErrors/);
    expect(() => entraAuth(options, { corsPreflight: 'skip' } as never)).toThrow(/corsPreflight/);
    expect(() => entraAuth({ tenantId: 'contoso.onmicrosoft.com' } as never)).toThrow(EntraConfigError);
    expect(() => entraAuth(undefined as never)).toThrow(/entraAuth/);
    expect(() => requireScopes([])).toThrow(/must not be empty/);
    expect(() => requireRoles(['ok', ''])).toThrow(EntraConfigError);
    expect(() => requireScopeOrRole({ scopes: [], roles: [] })).toThrow(EntraConfigError);
    expect(() => requireGroups([], { getGraphToken: () => 'x' })).toThrow(EntraConfigError);
    expect(() => requireGroups(ADMINS, {} as never)).toThrow(EntraConfigError);
    expect(typeof requireAppOnly()).toBe('function');
    expect(typeof requireDelegated()).toBe('function');
  });
});

it('exports exactly its public API', () => {
  expect(Object.keys(entry).sort()).toMatchInlineSnapshot(`
    [
      "EntraAuthError",
      "EntraConfigError",
      "combineValidators",
      "createEntraValidator",
      "createGroupsCheck",
      "createRoleCheck",
      "createScopeCheck",
      "createScopeOrRoleCheck",
      "entraAuth",
      "entraSecurityRequirement",
      "entraSecurityScheme",
      "errorResponse",
      "isEntraAuthError",
      "isEntraValidator",
      "requireAppOnly",
      "requireAuthContext",
      "requireDelegated",
      "requireGroups",
      "requireRoles",
      "requireScopeOrRole",
      "requireScopes",
      "resolveGroups",
    ]
  `);
});
