import type { Server } from 'node:http';
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
import Koa3, { type Middleware } from 'koa';
import Koa2 from 'koa2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as entry from '../src/index.js';
import {
  type EntraAuthMiddleware,
  entraAuth,
  requireAppOnly,
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

const reportAuth: Middleware = (ctx) => {
  ctx.body = { oid: ctx.state.auth?.objectId ?? null, scopes: ctx.state.auth?.scopes ?? null };
};

describe.each([
  ['koa 3', Koa3],
  ['koa 2', Koa2],
])('%s', (_name, KoaClass) => {
  let base = '';
  let server: Server;
  let owned: EntraAuthMiddleware;
  const caught: unknown[] = [];

  beforeAll(async () => {
    const app = new KoaClass();
    app.silent = true;
    owned = entraAuth(entra.validatorOptions());
    // The app's own error handling, upstream of everything: sees what passErrors throws.
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        caught.push(error);
        if (!ctx.path.startsWith('/custom')) throw error; // Koa's own onerror renders these
        ctx.status = isEntraAuthError(error) ? error.status : 500;
        ctx.body = { custom: isEntraAuthError(error) ? error.code : (error as Error).message };
      }
    });
    app.use(route('/owned', owned, reportAuth));
    app.use(route('/me', entraAuth(shared), reportAuth));
    app.use(route('/optional', entraAuth(shared, { optional: true }), reportAuth));
    app.use(route('/orders', entraAuth(shared), requireScopes('Orders.Read'), reportAuth));
    app.use(
      route(
        '/custom/admin',
        entraAuth(shared, { passErrors: true }),
        requireRoles('Orders.Admin'),
        reportAuth,
      ),
    );
    app.use(route('/koa-default', entraAuth(shared, { passErrors: true }), reportAuth));
    app.use(route('/custom/failing', entraAuth(failing), reportAuth));
    app.use(
      route('/custom/throws', entraAuth(shared), () => {
        throw new Error('handler failed');
      }),
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    owned.validator.close();
  });

  it('sets ctx.state.auth', async () => {
    const res = await fetch(`${base}/me`, { headers: bearer(entra.createToken({ scp: 'Orders.Read' })) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ oid: expect.any(String), scopes: ['Orders.Read'] });
    const anonymous = await fetch(`${base}/optional`);
    expect(await anonymous.json()).toEqual({ oid: null, scopes: null });
  });

  it('owns a validator made from options, and shares one it is given', async () => {
    expect(isEntraValidator(owned.validator)).toBe(true);
    expect(owned.validator).not.toBe(shared);
    expect(entraAuth(shared).validator).toBe(shared);
    expect((await fetch(`${base}/owned`, { headers: bearer(entra.createToken()) })).status).toBe(200);
  });

  it('renders auth errors itself by default, with the core response', async () => {
    const res = await fetch(`${base}/orders`, { headers: bearer(entra.createToken()) });
    const expected = errorResponse(
      new entry.EntraAuthError('insufficient_scope', { scopes: ['Orders.Read'] }),
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(expected.headers['www-authenticate']);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.text()).toBe(expected.body);
  });

  it('passErrors throws the EntraAuthError to upstream middleware, guards included', async () => {
    caught.length = 0;
    const missing = await fetch(`${base}/custom/admin`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ custom: 'missing_token' });
    const user = await fetch(`${base}/custom/admin`, { headers: bearer(entra.createToken()) });
    expect(user.status).toBe(403);
    expect(await user.json()).toEqual({ custom: 'insufficient_role' });
    expect(caught.map((e) => isEntraAuthError(e) && e.code)).toEqual(['missing_token', 'insufficient_role']);
  });

  it('a thrown EntraAuthError is ctx.throw-compatible: Koa renders status, headers and message', async () => {
    const res = await fetch(`${base}/koa-default`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(await res.text()).toBe(new entry.EntraAuthError('missing_token').message);
  });

  it('throws errors that are not auth errors, and leaves handler errors alone', async () => {
    caught.length = 0;
    const failed = await fetch(`${base}/custom/failing`, { headers: bearer(entra.createToken()) });
    expect(await failed.json()).toEqual({ custom: 'database down' });
    const thrown = await fetch(`${base}/custom/throws`, { headers: bearer(entra.createToken()) });
    expect(thrown.status).toBe(500);
    expect(await thrown.json()).toEqual({ custom: 'handler failed' });
    expect(caught).toHaveLength(2);
  });
});

describe('set-up errors', () => {
  it('throws EntraConfigError when the app is built, not on a request', () => {
    const options = entra.validatorOptions();
    expect(() => entraAuth(options, { optinal: true } as never)).toThrow(EntraConfigError);
    expect(() => entraAuth(options, { passErrors: 'yes' } as never)).toThrow(/passErrors/);
    expect(() => entraAuth({ tenantId: 'contoso.onmicrosoft.com' } as never)).toThrow(EntraConfigError);
    expect(() => requireScopes([])).toThrow(/must not be empty/);
    expect(() => requireRoles(['ok', ''])).toThrow(EntraConfigError);
    expect(() => requireScopeOrRole({ scopes: [], roles: [] })).toThrow(EntraConfigError);
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
