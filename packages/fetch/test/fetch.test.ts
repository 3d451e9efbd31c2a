import {
  createEntraValidator,
  EntraConfigError,
  type EntraValidator,
  errorResponse,
  isEntraValidator,
} from '@org/entra-core';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as entry from '../src/index.js';
import {
  authenticateRequest,
  EntraAuthError,
  isEntraAuthError,
  requireRoles,
  toErrorResponse,
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

const get = (headers: Record<string, string> = {}, method = 'GET') =>
  new Request('https://api.example/orders', { method, headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const whoami = (_request: Request, principal: { objectId?: string } | undefined) =>
  Response.json({ oid: principal?.objectId ?? null });

describe('withEntraAuth', () => {
  it('calls the handler with the principal and the rest of the arguments', async () => {
    const handler = withEntraAuth(
      shared,
      (request, principal, context: { params: { id: string } }, env: string) =>
        Response.json({ url: request.url, oid: principal?.objectId, id: context.params.id, env }),
    );
    const res = await handler(get(bearer(entra.createToken())), { params: { id: '42' } }, 'prod');
    expect(await res.json()).toEqual({
      url: 'https://api.example/orders',
      oid: expect.any(String),
      id: '42',
      env: 'prod',
    });
  });

  it('owns a validator made from options, and shares one it is given', async () => {
    const owned = withEntraAuth(entra.validatorOptions(), whoami);
    expect(isEntraValidator(owned.validator)).toBe(true);
    expect(owned.validator).not.toBe(shared);
    expect(withEntraAuth(shared, whoami).validator).toBe(shared);
    expect((await owned(get(bearer(entra.createToken())))).status).toBe(200);
    owned.validator.close();
  });

  it('answers auth errors with the core response', async () => {
    const res = await withEntraAuth(shared, whoami)(get());
    const expected = errorResponse(new EntraAuthError('missing_token'));
    expect(res.status).toBe(401);
    expect(Object.fromEntries(res.headers)).toEqual(expected.headers);
    expect(await res.text()).toBe(expected.body);
  });

  it('checks scopes, roles, and scope-or-role', async () => {
    const scoped = withEntraAuth(shared, whoami, { scopes: ['Orders.Read', 'Orders.Write'], match: 'any' });
    expect((await scoped(get(bearer(entra.createToken({ scp: 'Orders.Write' }))))).status).toBe(200);
    const denied = await scoped(get(bearer(entra.createToken())));
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toContain('scope="Orders.Read Orders.Write"');
    const roles = withEntraAuth(shared, whoami, { roles: 'Orders.Admin' });
    expect(
      (await roles(get(bearer(entra.createToken({ roles: ['Orders.Admin'] }, { kind: 'app' }))))).status,
    ).toBe(200);
    expect((await roles(get(bearer(entra.createToken())))).status).toBe(403);
    const either = withEntraAuth(shared, whoami, { scopes: 'Orders.Read', roles: 'Orders.Read.All' });
    expect((await either(get(bearer(entra.createToken({ scp: 'Orders.Read' }))))).status).toBe(200);
    expect(
      (await either(get(bearer(entra.createToken({ roles: ['Orders.Read.All'] }, { kind: 'app' }))))).status,
    ).toBe(200);
    expect((await either(get(bearer(entra.createToken())))).status).toBe(403);
  });

  it('optional lets anonymous requests through, never bad tokens', async () => {
    const optional = withEntraAuth(shared, whoami, { optional: true });
    expect(await (await optional(get())).json()).toEqual({ oid: null });
    expect((await optional(get(bearer('not-a.jwt.token')))).status).toBe(401);
  });

  it('answers CORS preflights 204 before the handler; passes them on only when asked', async () => {
    const preflight = () =>
      get({ origin: 'https://app.example', 'access-control-request-method': 'GET' }, 'OPTIONS');
    const seen: unknown[] = [];
    const record = (request: Request, principal: unknown) => {
      seen.push([request.method, principal]);
      return new Response('handled', { status: 200 });
    };
    const answered = await withEntraAuth(shared, record, { roles: 'Orders.Admin' })(preflight());
    expect([answered.status, await answered.text()]).toEqual([204, '']);
    expect(seen).toEqual([]);
    const passed = withEntraAuth(shared, record, { roles: 'Orders.Admin', corsPreflight: 'pass' });
    expect((await passed(preflight())).status).toBe(200);
    expect(seen).toEqual([['OPTIONS', undefined]]);
    const strict = withEntraAuth(shared, whoami, { corsPreflight: 'authenticate' });
    expect((await strict(preflight())).status).toBe(401);
  });

  it('onError takes over rendering (sync or async), with the error and the request', async () => {
    const seen: unknown[] = [];
    const handler = withEntraAuth(shared, whoami, {
      scopes: 'Orders.Read',
      onError: (error, request) => {
        seen.push([error.code, request.url]);
        return Response.json({ problem: error.code }, { status: error.status, headers: error.headers });
      },
    });
    const res = await handler(get());
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ problem: 'missing_token' });
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    const asyncHandler = withEntraAuth(shared, whoami, {
      onError: async (error) => new Response(error.code, { status: 418 }),
    });
    expect((await asyncHandler(get())).status).toBe(418);
    expect(seen).toEqual([['missing_token', 'https://api.example/orders']]);
  });

  it('answers EntraAuthErrors the handler throws; other errors reject', async () => {
    const checking = withEntraAuth(shared, (_request, principal) => {
      requireRoles(principal, 'Orders.Admin');
      return new Response('ok');
    });
    const res = await checking(get(bearer(entra.createToken())));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'insufficient_role' });
    const broken = withEntraAuth(shared, () => {
      throw new TypeError('bug');
    });
    await expect(broken(get(bearer(entra.createToken())))).rejects.toThrow(TypeError);
  });

  it('throws EntraConfigError at set-up for bad options', () => {
    const options = entra.validatorOptions();
    expect(() => withEntraAuth(options, whoami, { scope: 'x' } as never)).toThrow(/unknown option 'scope'/);
    expect(() => withEntraAuth(options, whoami, { scopes: [] })).toThrow(/must not be empty/);
    expect(() => withEntraAuth(options, whoami, { roles: ['a b'] })).toThrow(EntraConfigError);
    expect(() => withEntraAuth(options, whoami, { optional: true, scopes: 'a' })).toThrow(/optional/);
    expect(() => withEntraAuth(options, whoami, { scopes: 'a', roles: 'b', match: 'all' })).toThrow(/match/);
    expect(() => withEntraAuth(options, whoami, { match: 'any' })).toThrow(/match/);
    expect(() => withEntraAuth(options, whoami, { onError: 'json' } as never)).toThrow(/onError/);
    expect(() => withEntraAuth({ tenantId: 'contoso.onmicrosoft.com' } as never, whoami)).toThrow(
      EntraConfigError,
    );
  });
});

describe('authenticateRequest and toErrorResponse', () => {
  it('authenticate a Request and render an error, for hand-made handlers', async () => {
    const principal = await authenticateRequest(
      shared,
      get(bearer(entra.createToken({ scp: 'Orders.Read' }))),
    );
    expect(principal.scopes).toEqual(['Orders.Read']);
    const error = await authenticateRequest(shared, get({ authorization: 'Basic eA==' })).catch(
      (e: unknown) => e,
    );
    expect(isEntraAuthError(error) && error.code).toBe('missing_token');
    const res = toErrorResponse(error as EntraAuthError);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const down = toErrorResponse(new EntraAuthError('keys_unavailable', { retryAfterSeconds: 12 }));
    expect([down.status, down.headers.get('retry-after'), down.headers.get('www-authenticate')]).toEqual([
      503,
      '12',
      null,
    ]);
  });
});

it('exports exactly its public API', () => {
  expect(Object.keys(entry).sort()).toMatchInlineSnapshot(`
    [
      "EntraAuthError",
      "EntraConfigError",
      "authenticateRequest",
      "combineValidators",
      "createEntraValidator",
      "createRoleCheck",
      "createScopeCheck",
      "createScopeOrRoleCheck",
      "entraSecurityRequirement",
      "entraSecurityScheme",
      "errorResponse",
      "isEntraAuthError",
      "isEntraValidator",
      "requireAppOnly",
      "requireAuthContext",
      "requireDelegated",
      "requireRoles",
      "requireScopeOrRole",
      "requireScopes",
      "toErrorResponse",
      "withEntraAuth",
    ]
  `);
});
