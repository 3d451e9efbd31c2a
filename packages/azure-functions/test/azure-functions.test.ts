// The wrapper, called as the Functions host calls it: with @azure/functions' own HttpRequest and
// InvocationContext (no host), the HttpResponseInit read back through its HttpResponse.
import { HttpRequest, HttpResponse, type HttpResponseInit, InvocationContext } from '@azure/functions';
import { createMockEntra, createMockGraph, type MockEntra, type MockGraph } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as entry from '../src/index.js';
import {
  createEntraValidator,
  createRoleCheck,
  EntraAuthError,
  EntraConfigError,
  type EntraPrincipal,
  type EntraValidator,
  errorResponse,
  isEntraValidator,
  requireAuthContext,
  requireGroups,
  toErrorResponse,
  withEntraAuth,
} from '../src/index.js';

const ADMINS = '0d1c2b3a-4f5e-4a6b-8c7d-9e0f1a2b3c4d';
let entra: MockEntra;
let down: MockEntra;
let graph: MockGraph;
let shared: EntraValidator;

beforeAll(async () => {
  [entra, down, graph] = await Promise.all([createMockEntra(), createMockEntra(), createMockGraph()]);
  down.setFault('down');
  shared = createEntraValidator(entra.validatorOptions());
});
afterAll(async () => {
  shared.close();
  await Promise.all([entra.close(), down.close(), graph.close()]);
});

const request = (headers: Record<string, string> = {}, method = 'GET', body?: string) =>
  new HttpRequest({
    method,
    url: 'https://orders.azurewebsites.net/api/orders',
    headers,
    ...(body === undefined ? {} : { body: { string: body } }),
  });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const context = () => new InvocationContext({ functionName: 'orders' });
const PREFLIGHT = { origin: 'https://spa.example', 'access-control-request-method': 'GET' };

/** What the host sends for a handler's result: @azure/functions' own conversion. */
async function sent(init: HttpResponseInit) {
  const response = new HttpResponse(init);
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
  };
}

/** The answer every adapter gives for this error. */
function expected(error: EntraAuthError) {
  const { status, headers, body } = errorResponse(error);
  return { status, headers, body };
}

const whoami = (_request: HttpRequest, principal: EntraPrincipal | undefined) => ({
  jsonBody: { oid: principal?.objectId ?? null },
});

describe('withEntraAuth', () => {
  it('calls the handler with the request, the principal and the InvocationContext it was called with', async () => {
    const seen: unknown[] = [];
    const handler = withEntraAuth(shared, (req, principal, ctx) => {
      seen.push(req, principal, ctx);
      return { jsonBody: { oid: principal.objectId } };
    });
    const req = request(bearer(entra.createToken({ oid: '11111111-2222-4333-8444-555555555555' })));
    const ctx = context();
    const res = await handler(req, ctx);
    expect(res).toEqual({ jsonBody: { oid: '11111111-2222-4333-8444-555555555555' } });
    expect(seen[0]).toBe(req);
    expect((seen[1] as EntraPrincipal).objectId).toBe('11111111-2222-4333-8444-555555555555');
    expect(seen[2]).toBe(ctx);
  });

  it("returns the handler's own response as it is", async () => {
    const own: HttpResponseInit = { status: 201, headers: { location: '/orders/1' }, body: 'created' };
    const asIs = withEntraAuth(shared, () => own);
    expect(await asIs(request(bearer(entra.createToken())), context())).toBe(own);
    const instance = new HttpResponse({ status: 202, jsonBody: { queued: true } });
    const asyncInstance = withEntraAuth(shared, async () => instance);
    expect(await asyncInstance(request(bearer(entra.createToken())), context())).toBe(instance);
  });

  it('never reads the request body', async () => {
    let text: string | undefined;
    const handler = withEntraAuth(shared, async (req) => {
      expect(req.bodyUsed).toBe(false);
      text = await req.text();
      return { status: 204 };
    });
    const refused = request({}, 'POST', '{"item":"gears"}');
    await handler(refused, context());
    expect(refused.bodyUsed).toBe(false);
    await handler(request(bearer(entra.createToken()), 'POST', '{"item":"gears"}'), context());
    expect(text).toBe('{"item":"gears"}');
  });

  it('owns a validator made from options, and shares one it is given', async () => {
    const owned = withEntraAuth(entra.validatorOptions(), whoami);
    expect(isEntraValidator(owned.validator)).toBe(true);
    expect(owned.validator).not.toBe(shared);
    expect(withEntraAuth(shared, whoami).validator).toBe(shared);
    expect((await owned(request(bearer(entra.createToken())), context())).jsonBody.oid).toEqual(
      expect.any(String),
    );
    owned.validator.close();
  });

  it('answers refusals as { status, headers, jsonBody }, sent exactly as every adapter sends them', async () => {
    const res = await withEntraAuth(shared, whoami)(request(), context());
    expect(res).toEqual({
      status: 401,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'www-authenticate': 'Bearer realm="api"',
      },
      jsonBody: { error: 'missing_token', error_description: expect.any(String) },
    });
    expect(await sent(res)).toEqual(expected(new EntraAuthError('missing_token')));
    expect(toErrorResponse(new EntraAuthError('token_expired'))).toEqual({
      status: 401,
      headers: expect.objectContaining({ 'www-authenticate': expect.stringContaining('invalid_token') }),
      jsonBody: { error: 'token_expired', error_description: expect.any(String) },
    });
  });

  it('checks scopes, roles, and scope-or-role', async () => {
    const scoped = withEntraAuth(shared, whoami, { scopes: ['Orders.Read', 'Orders.Write'], match: 'any' });
    expect(
      (await scoped(request(bearer(entra.createToken({ scp: 'Orders.Write' }))), context())).status,
    ).toBe(undefined);
    const denied = await sent(
      await scoped(request(bearer(entra.createToken({ scp: 'User.Read' }))), context()),
    );
    expect(denied.status).toBe(403);
    expect(denied.headers['www-authenticate']).toContain('scope="Orders.Read Orders.Write"');
    const roles = withEntraAuth(shared, whoami, { roles: 'Orders.Admin' });
    const app = (r: string[]) => request(bearer(entra.createToken({ roles: r }, { kind: 'app' })));
    expect((await roles(app(['Orders.Admin']), context())).jsonBody).toHaveProperty('oid');
    expect(JSON.parse((await sent(await roles(app(['Other']), context()))).body).error).toBe(
      'insufficient_role',
    );
    const either = withEntraAuth(shared, whoami, { scopes: 'Orders.Read', roles: 'Orders.Read.All' });
    expect((await either(app(['Orders.Read.All']), context())).jsonBody).toHaveProperty('oid');
    expect(
      (await either(request(bearer(entra.createToken({ scp: 'Orders.Read' }))), context())).jsonBody,
    ).toHaveProperty('oid');
  });

  it('answers 503 with Retry-After when the issuer is unreachable', async () => {
    const handler = withEntraAuth(down.validatorOptions(), whoami);
    const res = await sent(await handler(request(bearer(down.createToken())), context()));
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(JSON.parse(res.body).error).toBe('keys_unavailable');
    handler.validator.close();
  });

  it('refuses two Authorization values (joined by the platform) as invalid_request', async () => {
    const token = entra.createToken();
    const res = await withEntraAuth(shared, whoami)(
      request({ authorization: `Bearer ${token}, Bearer ${token}` }),
      context(),
    );
    expect(res.status).toBe(400);
    expect(res.jsonBody.error).toBe('invalid_request');
  });
});

describe('CORS preflights', () => {
  let calls = 0;
  const counting = (_request: HttpRequest, principal: EntraPrincipal | undefined) => {
    calls += 1;
    return { jsonBody: { handled: true, authenticated: principal !== undefined } };
  };

  it('are answered 204 with no body, without calling the handler', async () => {
    calls = 0;
    const res = await withEntraAuth(shared, counting, { scopes: 'Orders.Read' })(
      request(PREFLIGHT, 'OPTIONS'),
      context(),
    );
    expect(res).toEqual({ status: 204 });
    expect(await sent(res)).toEqual({ status: 204, headers: {}, body: '' });
    expect(calls).toBe(0);
  });

  it("corsPreflight: 'authenticate' makes them ordinary requests; a plain OPTIONS always is one", async () => {
    const strict = withEntraAuth(shared, counting, { corsPreflight: 'authenticate' });
    expect((await strict(request(PREFLIGHT, 'OPTIONS'), context())).status).toBe(401);
    const answered = withEntraAuth(shared, counting);
    expect((await answered(request({ origin: 'https://spa.example' }, 'OPTIONS'), context())).status).toBe(
      401,
    );
    calls = 0;
    const withToken = { ...PREFLIGHT, ...bearer(entra.createToken()) };
    expect((await strict(request(withToken, 'OPTIONS'), context())).jsonBody).toEqual({
      handled: true,
      authenticated: true,
    });
    expect(calls).toBe(1);
  });

  it("corsPreflight: 'pass' gives them to the handler with no principal, past the requirement", async () => {
    const passed = withEntraAuth(shared, counting, { corsPreflight: 'pass', roles: 'Orders.Admin' });
    expect((await passed(request(PREFLIGHT, 'OPTIONS'), context())).jsonBody).toEqual({
      handled: true,
      authenticated: false,
    });
  });
});

describe('optional', () => {
  const handler = () => withEntraAuth(shared, whoami, { optional: true });
  it('lets a request without a token through with no principal', async () => {
    expect((await handler()(request(), context())).jsonBody).toEqual({ oid: null });
  });
  it('still refuses a bad token', async () => {
    const expired = entra.createToken({}, { issuedAt: -7200, expiresIn: 3600 });
    const res = await handler()(request(bearer(expired)), context());
    expect(res.status).toBe(401);
    expect(res.jsonBody.error).toBe('token_expired');
  });
});

describe('core helpers thrown inside the handler', () => {
  it('are answered like the wrapper’s own refusals, with no setup', async () => {
    const isAdmin = createRoleCheck('Orders.Admin');
    const checked = withEntraAuth(shared, (_request, user) => {
      isAdmin(user);
      return { jsonBody: 'never' };
    });
    const res = await checked(request(bearer(entra.createToken({ roles: ['Orders.Read'] }))), context());
    expect(await sent(res)).toEqual(expected(new EntraAuthError('insufficient_role')));
  });

  it('requireAuthContext: a claims challenge for a client that can answer one', async () => {
    const stepUp = withEntraAuth(shared, (_request, user) => {
      requireAuthContext(user, 'c1');
      return { jsonBody: 'sensitive' };
    });
    const capable = await stepUp(request(bearer(entra.createToken({ xms_cc: ['cp1'] }))), context());
    expect(capable.status).toBe(401);
    expect(capable.jsonBody.error).toBe('insufficient_claims');
    expect(String((capable.headers as Record<string, string>)['www-authenticate'])).toContain('claims=');
    const done = await stepUp(request(bearer(entra.createToken({ acrs: ['c1'] }))), context());
    expect(done.jsonBody).toBe('sensitive');
  });

  it('requireGroups: 403 outside the groups, 503 with Retry-After when Graph fails', async () => {
    const groupsOptions = { getGraphToken: () => 'graph-token', graphUrl: graph.url };
    const admins = withEntraAuth(shared, async (_request, user) => {
      await requireGroups(user, ADMINS, groupsOptions);
      return { jsonBody: 'admin' };
    });
    const outsider = await admins(request(bearer(entra.createToken({ groups: [] }))), context());
    expect(outsider.status).toBe(403);
    expect(outsider.jsonBody.error).toBe('insufficient_role');
    const member = await admins(request(bearer(entra.createToken({ groups: [ADMINS] }))), context());
    expect(member.jsonBody).toBe('admin');
    graph.setFault('down');
    try {
      const overage = await sent(
        await admins(request(bearer(entra.createToken({ hasgroups: true }))), context()),
      );
      expect(overage.status).toBe(503);
      expect(overage.headers['retry-after']).toMatch(/^\d+$/);
      expect(JSON.parse(overage.body).error).toBe('groups_unavailable');
    } finally {
      graph.setFault(null);
    }
  });

  it('any other error propagates to the host', async () => {
    const failure = new Error('database down');
    const broken = withEntraAuth(shared, () => {
      throw failure;
    });
    await expect(broken(request(bearer(entra.createToken())), context())).rejects.toBe(failure);
  });
});

describe('mistakes fail at start-up', () => {
  it.each([
    [{ scope: 'Orders.Read' }, /unknown option 'scope'/],
    [{ optional: true, scopes: 'Orders.Read' }, /optional cannot be combined with scopes or roles/],
    [{ match: 'any' }, /match applies to scopes or roles/],
    [{ scopes: 'A', roles: 'B', match: 'all' }, /drop match/],
    [{ corsPreflight: 'skip' }, /corsPreflight must be/],
    [{ scopes: [] }, EntraConfigError],
    [{ onError: () => ({}) }, /unknown option 'onError'/],
  ])('%o', (options, message) => {
    expect(() => withEntraAuth(shared, whoami, options as never)).toThrow(message);
  });

  it('a handler that is not a function, or no validator options', () => {
    expect(() => withEntraAuth(shared, undefined as never)).toThrow(/the second argument is your handler/);
    expect(() => withEntraAuth(undefined as never, whoami)).toThrow(EntraConfigError);
    expect(() => withEntraAuth({ tenantId: 't' } as never, whoami)).toThrow(EntraConfigError);
  });

  it('options are read as own properties: a polluted Object.prototype configures nothing', async () => {
    const inherited = { optional: true, corsPreflight: 'pass' };
    let handler: ReturnType<typeof withEntraAuth>;
    try {
      Object.assign(Object.prototype, inherited);
      handler = withEntraAuth(shared, whoami, {});
    } finally {
      for (const key of Object.keys(inherited)) delete (Object.prototype as Record<string, unknown>)[key];
    }
    expect((await handler(request(), context())).status).toBe(401);
    expect((await handler(request(PREFLIGHT, 'OPTIONS'), context())).status).toBe(204);
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
      "toErrorResponse",
      "withEntraAuth",
    ]
  `);
});
