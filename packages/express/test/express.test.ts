import type { AddressInfo } from 'node:net';
import {
  createEntraValidator,
  EntraConfigError,
  type EntraValidator,
  errorResponse,
  isEntraAuthError,
  isEntraValidator,
} from '@org/entra-core';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import express5, { type ErrorRequestHandler } from 'express';
import express4 from 'express4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as entry from '../src/index.js';
import {
  type EntraAuthMiddleware,
  entraAuth,
  requireAppOnly,
  requireDelegated,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from '../src/index.js';

let entra: MockEntra;
let shared: EntraValidator;
let failing: EntraValidator;

beforeAll(async () => {
  entra = await createMockEntra();
  shared = createEntraValidator(entra.validatorOptions());
  // A validator that fails the way no token can: its error is not an EntraAuthError.
  failing = createEntraValidator(entra.validatorOptions());
  failing.authenticate = () => Promise.reject(new Error('database down'));
});
afterAll(async () => {
  shared.close();
  failing.close();
  await entra.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each([
  ['express 5', express5],
  ['express 4', express4],
])('%s', (_name, createApp) => {
  let base = '';
  let close: () => Promise<void> = async () => {};
  const seenByErrorMiddleware: unknown[] = [];
  let owned: EntraAuthMiddleware;

  beforeAll(async () => {
    const app = createApp();
    owned = entraAuth(entra.validatorOptions());
    app.get('/public', (_req, res) => {
      res.json({ auth: _req.auth ?? null });
    });
    app.get('/owned', owned, (req, res) => {
      res.json({ oid: req.auth?.objectId });
    });
    // The usual shape: authenticate everything mounted after it.
    const api = createApp.Router();
    api.use(entraAuth(shared));
    api.get('/me', (req, res) => {
      res.json({ oid: req.auth?.objectId, scopes: req.auth?.scopes });
    });
    api.get('/orders', requireScopes(['Orders.Read', 'Orders.Write'], { match: 'any' }), (_req, res) => {
      res.json({ ok: true });
    });
    api.get('/throws', () => {
      throw new Error('handler failed');
    });
    app.use('/api', api);
    // passErrors: the app's error middleware renders, for the middleware and the guards after it.
    const passing = createApp.Router();
    passing.use(entraAuth(shared, { passErrors: true }));
    passing.get('/admin', requireRoles('Orders.Admin'), (_req, res) => {
      res.json({ ok: true });
    });
    app.use('/passing', passing);
    app.get('/failing', entraAuth(failing), (_req, res) => {
      res.json({ reached: true });
    });
    app.get('/guard-only', requireDelegated(), (_req, res) => {
      res.json({ reached: true });
    });
    const onError: ErrorRequestHandler = (err, _req, res, _next) => {
      seenByErrorMiddleware.push(err);
      if (isEntraAuthError(err)) res.status(err.status).set(err.headers).json({ custom: err.code });
      else res.status(500).json({ failed: (err as Error).message });
    };
    app.use(onError);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      await new Promise((resolve) => server.close(resolve));
      owned.validator.close();
    };
  });
  afterAll(async () => {
    await close();
  });

  it('sets req.auth on routes after app.use / router.use', async () => {
    const res = await fetch(`${base}/api/me`, { headers: bearer(entra.createToken({ scp: 'Orders.Read' })) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ oid: expect.any(String), scopes: ['Orders.Read'] });
    expect((await fetch(`${base}/public`)).status).toBe(200);
  });

  it('owns a validator made from options, and shares one it is given', async () => {
    expect(isEntraValidator(owned.validator)).toBe(true);
    expect(owned.validator).not.toBe(shared);
    expect(entraAuth(shared).validator).toBe(shared);
    const res = await fetch(`${base}/owned`, { headers: bearer(entra.createToken()) });
    expect(res.status).toBe(200);
  });

  it('answers auth errors itself by default, with the core response', async () => {
    const res = await fetch(`${base}/api/me`);
    const expected = errorResponse(new entry.EntraAuthError('missing_token'));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.text()).toBe(expected.body);
  });

  it('guards use match options', async () => {
    const res = await fetch(`${base}/api/orders`, {
      headers: bearer(entra.createToken({ scp: 'Orders.Write' })),
    });
    expect(res.status).toBe(200);
  });

  it('passErrors hands EntraAuthErrors to the error middleware, guards included', async () => {
    seenByErrorMiddleware.length = 0;
    const missing = await fetch(`${base}/passing/admin`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ custom: 'missing_token' });
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    const app = entra.createToken({ roles: ['Other'] }, { kind: 'app' });
    const forbidden = await fetch(`${base}/passing/admin`, { headers: bearer(app) });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({ custom: 'insufficient_role' });
    expect(seenByErrorMiddleware.map((e) => isEntraAuthError(e) && e.code)).toEqual([
      'missing_token',
      'insufficient_role',
    ]);
  });

  it('sends errors that are not auth errors to next(err), and handler errors stay the handler’s', async () => {
    seenByErrorMiddleware.length = 0;
    const res = await fetch(`${base}/failing`, { headers: bearer(entra.createToken()) });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ failed: 'database down' });
    const thrown = await fetch(`${base}/api/throws`, { headers: bearer(entra.createToken()) });
    expect(thrown.status).toBe(500);
    expect(await thrown.json()).toEqual({ failed: 'handler failed' });
    expect(seenByErrorMiddleware).toHaveLength(2);
  });

  it('a guard without entraAuth before it refuses: there is no principal', async () => {
    const res = await fetch(`${base}/guard-only`, { headers: bearer(entra.createToken()) });
    expect(res.status).toBe(401);
  });

  it('leaves no promise rejection unhandled, whatever the outcome', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const token = entra.createToken();
      const statuses = await Promise.all(
        [
          fetch(`${base}/api/me`),
          fetch(`${base}/api/me`, { headers: { authorization: 'Bearer a b' } }),
          fetch(`${base}/api/me`, { headers: bearer(`${token}x`) }),
          fetch(`${base}/passing/admin`, { headers: bearer(token) }),
          fetch(`${base}/failing`, { headers: bearer(token) }),
          fetch(`${base}/api/throws`, { headers: bearer(token) }),
        ].map(async (r) => (await r).status),
      );
      expect(statuses).toEqual([401, 400, 401, 403, 500, 500]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('set-up errors', () => {
  it('throws EntraConfigError when the app is built, not on a request', () => {
    const options = entra.validatorOptions();
    expect(() => entraAuth(options, { optinal: true } as never)).toThrow(EntraConfigError);
    expect(() => entraAuth(options, { optional: 'yes' } as never)).toThrow(/optional must be true or false/);
    expect(() => entraAuth(options, { passErrors: 1 } as never)).toThrow(/passErrors/);
    expect(() => entraAuth(options, { corsPreflight: 'skip' } as never)).toThrow(/corsPreflight/);
    expect(() => entraAuth({ tenantId: 'contoso.onmicrosoft.com' } as never)).toThrow(EntraConfigError);
    expect(() => entraAuth(null as never)).toThrow(EntraConfigError);
    expect(() => requireScopes([])).toThrow(/must not be empty/);
    expect(() => requireRoles('has space')).toThrow(EntraConfigError);
    expect(() => requireScopes('Orders.Read', { match: 'some' as never })).toThrow(/match/);
    expect(() => requireScopeOrRole({})).toThrow(EntraConfigError);
    expect(typeof requireAppOnly()).toBe('function');
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
      "entraErrorHandler",
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
