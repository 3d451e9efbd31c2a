import {
  createEntraValidator,
  EntraConfigError,
  type EntraValidator,
  errorResponse,
  isEntraAuthError,
  isEntraValidator,
} from '@org/entra-core';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import fastify5, { type FastifyInstance } from 'fastify';
import fastify4 from 'fastify4';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as entry from '../src/index.js';
import { entraAuth, requireAppOnly, requireDelegated, requireRoles, requireScopes } from '../src/index.js';

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
  ['fastify 5', fastify5],
  ['fastify 4', fastify4 as unknown as typeof fastify5],
])('%s', (_name, createApp) => {
  let app: FastifyInstance;
  const handled: unknown[] = [];

  beforeAll(async () => {
    app = createApp();
    app.get('/public', async (request) => ({
      decorated: 'auth' in request,
      root: app.hasDecorator('entra'),
    }));
    // Protected scope: the plugin's hook and decorations stay inside it.
    await app.register(async (scope) => {
      await scope.register(entraAuth, { validator: shared });
      scope.get('/me', async (request) => ({ oid: request.auth?.objectId, same: scope.entra === shared }));
      scope.get('/orders', { preHandler: requireScopes('Orders.Read') }, async () => ({ ok: true }));
      scope.get('/user-only', { preHandler: [requireDelegated()] }, async () => ({ ok: true }));
    });
    await app.register(async (scope) => {
      await scope.register(entraAuth, { validator: shared, optional: true });
      scope.get('/optional', async (request) => ({ auth: request.auth ?? null }));
    });
    // passErrors: the app's error handler renders, for the hook and the guards.
    await app.register(async (scope) => {
      await scope.register(entraAuth, { validator: shared, passErrors: true });
      scope.setErrorHandler(async (error, _request, reply) => {
        handled.push(error);
        return reply
          .code(isEntraAuthError(error) ? error.status : 500)
          .send({ custom: isEntraAuthError(error) ? error.code : (error as Error).message });
      });
      scope.get('/custom/admin', { preHandler: requireRoles('Orders.Admin') }, async () => ({ ok: true }));
    });
    await app.register(async (scope) => {
      await scope.register(entraAuth, { validator: failing });
      scope.get('/failing', async () => ({ reached: true }));
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it('sets request.auth in the scope it is registered in, and nowhere else', async () => {
    const me = await app.inject({ url: '/me', headers: bearer(entra.createToken()) });
    expect(me.json()).toEqual({ oid: expect.any(String), same: true });
    const outside = await app.inject({ url: '/public' });
    expect(outside.statusCode).toBe(200);
    expect(outside.json()).toEqual({ decorated: false, root: false });
    expect((await app.inject({ url: '/optional' })).json()).toEqual({ auth: null });
  });

  it('renders auth errors itself by default, with the core response', async () => {
    const res = await app.inject({ url: '/orders', headers: bearer(entra.createToken()) });
    const expected = errorResponse(
      new entry.EntraAuthError('insufficient_scope', { scopes: ['Orders.Read'] }),
    );
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toBe(expected.headers['www-authenticate']);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toBe(expected.body);
    const app2 = await app.inject({
      url: '/user-only',
      headers: bearer(entra.createToken({}, { kind: 'app' })),
    });
    expect(app2.statusCode).toBe(403);
  });

  it('passErrors throws to setErrorHandler, guards included', async () => {
    handled.length = 0;
    expect((await app.inject({ url: '/custom/admin' })).json()).toEqual({ custom: 'missing_token' });
    const user = await app.inject({ url: '/custom/admin', headers: bearer(entra.createToken()) });
    expect(user.statusCode).toBe(403);
    expect(user.json()).toEqual({ custom: 'insufficient_role' });
    expect(handled.map((e) => isEntraAuthError(e) && e.code)).toEqual(['missing_token', 'insufficient_role']);
  });

  it('throws errors that are not auth errors to the error handler', async () => {
    const res = await app.inject({ url: '/failing', headers: bearer(entra.createToken()) });
    expect(res.statusCode).toBe(500);
  });

  it('owns a validator made from options: app.entra, closed with the app', async () => {
    const own = createApp();
    await own.register(entraAuth, entra.validatorOptions({ corsPreflight: 'authenticate' }));
    own.get('/me', async (request) => ({ oid: request.auth?.objectId }));
    await own.ready();
    expect(isEntraValidator(own.entra)).toBe(true);
    expect(own.entra).not.toBe(shared);
    expect((await own.inject({ url: '/me', headers: bearer(entra.createToken()) })).statusCode).toBe(200);
    const close = vi.spyOn(own.entra, 'close');
    await own.close();
    expect(close).toHaveBeenCalledOnce();
  });

  it('leaves a shared validator open when the app closes', async () => {
    const other = createApp();
    await other.register(entraAuth, { validator: shared });
    const close = vi.spyOn(shared, 'close');
    await other.close();
    expect(close).not.toHaveBeenCalled();
    close.mockRestore();
  });

  it("ignores Fastify's own register options (prefix, logLevel), as @fastify/autoload passes them", async () => {
    const other = createApp();
    const options: object = entra.validatorOptions({ prefix: '/api', logLevel: 'warn' });
    await other.register(entraAuth, options as never);
    await other.register(async (scope) => {
      await scope.register(entraAuth, { validator: shared, prefix: '/v2' } as never);
    });
    await other.ready();
    await other.close();
  });

  it('can be registered again in a child scope: optional outside, required inside', async () => {
    const nested = createApp();
    await nested.register(entraAuth, { validator: shared, optional: true });
    nested.get('/feed', async (request) => ({ oid: request.auth?.objectId ?? null }));
    await nested.register(async (scope) => {
      await scope.register(entraAuth, { validator: shared });
      scope.get('/mine', async (request) => ({ oid: request.auth?.objectId }));
    });
    expect((await nested.inject({ url: '/feed' })).json()).toEqual({ oid: null });
    expect((await nested.inject({ url: '/mine' })).statusCode).toBe(401);
    const mine = await nested.inject({ url: '/mine', headers: bearer(entra.createToken()) });
    expect(mine.json()).toEqual({ oid: expect.any(String) });
    expect(nested.entra).toBe(shared);
    await nested.close();
  });

  it('refuses bad options when the app is built', async () => {
    const cases: [unknown, RegExp][] = [
      [entra.validatorOptions({ optinal: true }), /Unknown option 'optinal'/],
      [{ validator: shared, tenantId: entra.tenantId }, /either \{ validator \} or validator options/],
      [{ validator: {} }, /validator must be a validator/],
      [{ validator: shared, passErrors: 'yes' }, /passErrors/],
      [{ validator: shared, corsPreflight: 'skip' }, /corsPreflight/],
      [{ tenantId: 'contoso.onmicrosoft.com' }, /audience|clientId/],
    ];
    for (const [options, message] of cases) {
      const broken = createApp();
      await expect(broken.register(entraAuth, options as never)).rejects.toThrow(message);
      await broken.close().catch(() => {});
    }
    expect(() => requireScopes([])).toThrow(EntraConfigError);
    expect(() => requireRoles('two words')).toThrow(EntraConfigError);
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
