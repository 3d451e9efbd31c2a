// The registered functions, called as the Functions host calls them: @azure/functions' own
// HttpRequest and InvocationContext in, its HttpResponse out; tokens from the local Entra look-alike.
import SwaggerParser from '@apidevtools/swagger-parser';
import { HttpRequest, HttpResponse, InvocationContext } from '@azure/functions';
import { createEntraValidator, type EntraValidator } from '@org/entra-azure-functions';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../src/config.js';
import { registerOrdersApi } from '../src/functions.js';
import { FunctionRegistry } from '../src/local-host.js';

const SPA = 'http://localhost:5173';
let entra: MockEntra;
let validator: EntraValidator;
const registry = new FunctionRegistry();

beforeAll(async () => {
  entra = await createMockEntra();
  validator = createEntraValidator(entra.validatorOptions());
  registerOrdersApi(registry, { auth: validator, allowedOrigin: SPA, docsClientId: 'spa-client-id' });
});

afterAll(async () => {
  validator.close();
  await entra.close();
});

interface Call {
  method?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** Calls the function registered for `path` and the method, as the host would. */
async function call(path: string, { method = 'GET', token, headers = {} }: Call = {}) {
  const found = registry.match(method, path);
  if (found === undefined) throw new Error(`no function for ${method} ${path}`);
  const request = new HttpRequest({
    method,
    url: `http://localhost:7071${path}`,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    params: found.params,
  });
  const result = await found.fn.options.handler(
    request,
    new InvocationContext({ functionName: found.fn.name }),
  );
  const response = new HttpResponse(result as never);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text),
  };
}

const user = (scp: string) => entra.createToken({ scp });
const app = (roles: string[]) => entra.createToken({ roles }, { kind: 'app' });

test('registers each route with app.http: anonymous (Entra decides), OPTIONS for CORS', () => {
  expect(
    registry.functions.map(({ name, options }) => [name, options.route, options.methods, options.authLevel]),
  ).toEqual([
    ['health', 'health', ['GET', 'OPTIONS'], 'anonymous'],
    ['openapi', 'openapi.json', ['GET', 'OPTIONS'], 'anonymous'],
    ['docs', 'docs/{file?}', ['GET'], 'anonymous'],
    ['me', 'me', ['GET', 'OPTIONS'], 'anonymous'],
    ['listOrders', 'orders', ['GET', 'OPTIONS'], 'anonymous'],
    ['exportOrders', 'orders/export', ['POST', 'OPTIONS'], 'anonymous'],
  ]);
});

describe('routes', () => {
  test('GET /health is public', async () => {
    const res = await call('/health');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  test('GET /orders without a token: 401 with the bare challenge', async () => {
    const res = await call('/orders');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json().error).toBe('missing_token');
  });

  test('GET /orders with Orders.Read: 200', async () => {
    const res = await call('/orders', { token: user('Orders.Read') });
    expect(res.status).toBe(200);
    expect(res.json().orders).toHaveLength(3);
    expect(res.json().readBy).toBe('ada@contoso.onmicrosoft.com');
  });

  test('GET /orders without Orders.Read: 403 naming the scope', async () => {
    const res = await call('/orders', { token: user('User.Read') });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(res.headers.get('www-authenticate')).toContain('scope="Orders.Read"');
    expect(res.json().error).toBe('insufficient_scope');
  });

  test('an expired token: 401 invalid_token', async () => {
    const expired = entra.createToken({ scp: 'Orders.Read' }, { issuedAt: -7200, expiresIn: 3600 });
    const res = await call('/orders', { token: expired });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(res.json().error).toBe('token_expired');
  });

  test('POST /orders/export with an app-only token holding Orders.Export: 200', async () => {
    const res = await call('/orders/export', { method: 'POST', token: app(['Orders.Export']) });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ orders: 3, requestedBy: entra.clientAppId });
  });

  test('POST /orders/export refuses an app without the role, and users (even with the role)', async () => {
    const noRole = await call('/orders/export', { method: 'POST', token: app(['Orders.Read.All']) });
    expect(noRole.status).toBe(403);
    expect(noRole.json().error).toBe('insufficient_role');
    const asUser = await call('/orders/export', { method: 'POST', token: user('Orders.Read') });
    expect(asUser.status).toBe(403);
    const userWithRole = entra.createToken({ scp: 'Orders.Read', roles: ['Orders.Export'] });
    const refused = await call('/orders/export', { method: 'POST', token: userWithRole });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  test('GET /me returns the principal, user or app', async () => {
    const res = await call('/me', { token: user('Orders.Read') });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      kind: 'user',
      tenantId: entra.tenantId,
      clientId: entra.clientAppId,
      username: 'ada@contoso.onmicrosoft.com',
      scopes: ['Orders.Read'],
      roles: [],
      tokenVersion: '2.0',
    });
    const asApp = (await call('/me', { token: app(['Orders.Export']) })).json();
    expect(asApp).toMatchObject({ kind: 'app', roles: ['Orders.Export'], scopes: [] });
  });

  test('a Graph token: 401 with the hint', async () => {
    const res = await call('/me', { token: entra.createToken({}, { kind: 'graph' }) });
    expect(res.status).toBe(401);
    expect(res.json().error).toBe('foreign_token');
    expect(res.json().error_description).toMatch(/Graph/);
  });
});

describe('CORS', () => {
  const preflight = {
    origin: SPA,
    'access-control-request-method': 'GET',
    'access-control-request-headers': 'authorization',
  };

  test('a preflight is answered with the CORS headers, not 401', async () => {
    const res = await call('/orders', { method: 'OPTIONS', headers: preflight });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(res.text).toBe('');
  });

  test('a refusal carries the CORS headers, so the SPA can read the challenge', async () => {
    const res = await call('/orders', { token: user('User.Read'), headers: { origin: SPA } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(res.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  test('another origin is not allowed', async () => {
    const evil = 'https://evil.example';
    const res = await call('/health', { headers: { origin: evil } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await call('/orders', { method: 'OPTIONS', headers: { ...preflight, origin: evil } });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('OpenAPI and Swagger UI', () => {
  test('openapi.json is a valid OpenAPI 3 document', async () => {
    const res = await call('/openapi.json');
    expect(res.status).toBe(200);
    await expect(SwaggerParser.validate(res.json())).resolves.toMatchObject({ openapi: '3.0.3' });
  });

  test('the Entra schemes: sign-in for user routes, client credentials for the app-only route', async () => {
    const doc = (await call('/openapi.json')).json();
    const flow = doc.components.securitySchemes.entra.flows.authorizationCode;
    expect(flow.authorizationUrl).toBe(`${entra.authority}/${entra.tenantId}/oauth2/v2.0/authorize`);
    expect(flow.tokenUrl).toBe(`${entra.authority}/${entra.tenantId}/oauth2/v2.0/token`);
    const readScope = `api://${entra.clientId}/Orders.Read`;
    expect(Object.keys(flow.scopes)).toEqual([readScope]);
    const appScope = `api://${entra.clientId}/.default`;
    expect(doc.components.securitySchemes.entraApp.flows).toEqual({
      clientCredentials: { tokenUrl: flow.tokenUrl, scopes: { [appScope]: expect.any(String) } },
    });
    expect(doc.paths['/orders'].get.security).toEqual([{ entra: [readScope] }, { bearerToken: [] }]);
    expect(doc.paths['/orders/export'].post.security).toEqual([
      { entraApp: [appScope] },
      { bearerToken: [] },
    ]);
    expect(doc.paths['/me'].get.security).toEqual([
      { entra: [] },
      { entraApp: [appScope] },
      { bearerToken: [] },
    ]);
    expect(doc.paths['/health'].get.security).toEqual([]);
  });

  test('/docs serves Swagger UI with PKCE and the SPA client id, and only its own assets', async () => {
    const page = await call('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('/docs/swagger-ui-bundle.js');
    const init = (await call('/docs/init.js')).text;
    expect(init).toContain('"usePkceWithAuthorizationCodeGrant":true');
    expect(init).toContain('"clientId":"spa-client-id"');
    expect(init).toContain(`api://${entra.clientId}/Orders.Read`);
    const bundle = await call('/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect((await call('/docs/oauth2-redirect.html')).status).toBe(200);
    expect((await call('/docs/package.json')).status).toBe(404);
  });
});

test('registerOrdersApi also takes validator options (one validator for every function)', async () => {
  const own = new FunctionRegistry();
  const { validator: created } = registerOrdersApi(own, { auth: entra.validatorOptions() });
  try {
    const found = own.match('GET', '/orders');
    const request = new HttpRequest({
      method: 'GET',
      url: 'http://localhost:7071/orders',
      headers: { authorization: `Bearer ${user('Orders.Read')}` },
    });
    const result = await found!.fn.options.handler(request, new InvocationContext());
    expect(new HttpResponse(result as never).status).toBe(200);
  } finally {
    created.close();
  }
});

describe('configuration from the environment', () => {
  test('a tenant and a client id: real Entra, nothing started', async () => {
    const loaded = await loadConfig({
      ENTRA_TENANT_ID: ' 6f0c3c2a-4b1e-4d8f-9a57-3c2b1d0e9f11 ',
      ENTRA_CLIENT_ID: 'b8a4d1e2-7c3f-4e9a-8b6d-2f1e0c9a7b53',
      ENTRA_AUDIENCE: 'api://orders, https://orders.contoso.com',
      CORS_ORIGIN: 'https://spa.contoso.com',
    });
    expect(loaded.local).toBeUndefined();
    expect(loaded.config).toEqual({
      auth: {
        tenantId: '6f0c3c2a-4b1e-4d8f-9a57-3c2b1d0e9f11',
        clientId: 'b8a4d1e2-7c3f-4e9a-8b6d-2f1e0c9a7b53',
        audience: ['api://orders', 'https://orders.contoso.com'],
      },
      allowedOrigin: 'https://spa.contoso.com',
      docsClientId: undefined,
    });
  });

  test('one without the other is refused', async () => {
    await expect(loadConfig({ ENTRA_TENANT_ID: 'contoso.onmicrosoft.com' })).rejects.toThrow(/Set both/);
  });

  test('neither: the local look-alike', async () => {
    const loaded = await loadConfig({});
    try {
      expect(loaded.local).toBeDefined();
      expect(loaded.config.auth).toMatchObject({ authority: loaded.local!.authority });
      expect(loaded.config.allowedOrigin).toBe(SPA);
    } finally {
      await loaded.local?.close();
    }
  });
});
