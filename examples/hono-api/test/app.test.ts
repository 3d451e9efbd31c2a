import type { AddressInfo } from 'node:net';
import SwaggerParser from '@apidevtools/swagger-parser';
import { type ServerType, serve } from '@hono/node-server';
import { createEntraValidator, type EntraValidator } from '@org/entra-hono';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../src/app.js';

const SPA = 'http://localhost:5173';
let entra: MockEntra;
let validator: EntraValidator;
let server: ServerType;
let base: string;

beforeAll(async () => {
  entra = await createMockEntra();
  validator = createEntraValidator(entra.validatorOptions());
  base = await listen(
    createApp({ auth: validator, allowedOrigin: SPA, docsClientId: 'spa-client-id' }).fetch,
    (s) => {
      server = s;
    },
  );
});

afterAll(async () => {
  await close(server);
  validator.close();
  await entra.close();
});

/** Serves a fetch handler on an ephemeral loopback port, as the example's server.ts does. */
function listen(
  fetchHandler: (request: Request) => Response | Promise<Response>,
  keep: (s: ServerType) => void,
) {
  return new Promise<string>((resolve) => {
    keep(
      serve({ fetch: fetchHandler, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
        resolve(`http://127.0.0.1:${info.port}`),
      ),
    );
  });
}

function close(s: ServerType) {
  return new Promise<void>((resolve) => {
    s.close(() => resolve());
    if ('closeAllConnections' in s) s.closeAllConnections();
  });
}

const call = (path: string, token?: string, init: RequestInit = {}) =>
  fetch(base + path, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as object) },
  });

const user = (scp: string) => entra.createToken({ scp });
const app = (roles: string[]) => entra.createToken({ roles }, { kind: 'app' });

describe('routes', () => {
  test('GET /health is public', async () => {
    const res = await call('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('GET /orders without a token: 401 with the bare challenge', async () => {
    const res = await call('/orders');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await res.json()).error).toBe('missing_token');
  });

  test('GET /orders with Orders.Read: 200', async () => {
    const res = await call('/orders', user('Orders.Read'));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.orders).toHaveLength(3);
    expect(body.readBy).toBe('ada@contoso.onmicrosoft.com');
  });

  test('GET /orders without Orders.Read: 403 naming the scope', async () => {
    const res = await call('/orders', user('User.Read'));
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(res.headers.get('www-authenticate')).toContain('scope="Orders.Read"');
    expect((await res.json()).error).toBe('insufficient_scope');
  });

  test('an expired token: 401 invalid_token', async () => {
    const res = await call(
      '/orders',
      entra.createToken({ scp: 'Orders.Read' }, { issuedAt: -7200, expiresIn: 3600 }),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await res.json()).error).toBe('token_expired');
  });

  test('POST /orders/export with an app-only token holding Orders.Export: 200', async () => {
    const res = await call('/orders/export', app(['Orders.Export']), { method: 'POST' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ orders: 3, requestedBy: entra.clientAppId });
  });

  test('POST /orders/export refuses an app without the role, and users', async () => {
    const noRole = await call('/orders/export', app(['Orders.Read.All']), { method: 'POST' });
    expect(noRole.status).toBe(403);
    expect((await noRole.json()).error).toBe('insufficient_role');
    const asUser = await call('/orders/export', user('Orders.Read'), { method: 'POST' });
    expect(asUser.status).toBe(403);
    expect((await asUser.json()).error).toBe('insufficient_role');
  });

  test('GET /me returns the principal', async () => {
    const res = await call('/me', user('Orders.Read'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      kind: 'user',
      tenantId: entra.tenantId,
      clientId: entra.clientAppId,
      username: 'ada@contoso.onmicrosoft.com',
      name: 'Ada Lovelace',
      scopes: ['Orders.Read'],
      roles: [],
      tokenVersion: '2.0',
    });
    const asApp = await (await call('/me', app(['Orders.Export']))).json();
    expect(asApp).toMatchObject({ kind: 'app', roles: ['Orders.Export'], scopes: [] });
  });

  test('a Graph token: 401 with the hint', async () => {
    const res = await call('/me', entra.createToken({}, { kind: 'graph' }));
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body.error).toBe('foreign_token');
    expect(body.error_description).toMatch(/Graph/);
  });
});

describe('CORS', () => {
  test('a preflight is answered with the CORS headers, not 401', async () => {
    const res = await call('/orders', undefined, {
      method: 'OPTIONS',
      headers: {
        origin: SPA,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(res.headers.get('access-control-allow-methods')).toContain('GET');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(res.headers.get('www-authenticate')).toBeNull();
  });

  test('a refusal carries the CORS headers, so the SPA can read the challenge', async () => {
    const res = await call('/orders', user('User.Read'), { headers: { origin: SPA } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(res.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
  });

  test('another origin is not allowed', async () => {
    const res = await call('/health', undefined, { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });
});

describe('OpenAPI and Swagger UI', () => {
  test('openapi.json is a valid OpenAPI 3 document with the Entra scheme for the tenant and per-route scopes', async () => {
    const res = await call('/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    // Throws, naming the problem, when the document does not follow the OpenAPI 3.0 schema.
    await SwaggerParser.validate(structuredClone(doc));
    const scheme = doc.components.securitySchemes.entra;
    expect(scheme.type).toBe('oauth2');
    const flow = scheme.flows.authorizationCode;
    expect(flow.authorizationUrl).toBe(`${entra.authority}/${entra.tenantId}/oauth2/v2.0/authorize`);
    expect(flow.tokenUrl).toBe(`${entra.authority}/${entra.tenantId}/oauth2/v2.0/token`);
    const readScope = `api://${entra.clientId}/Orders.Read`;
    expect(Object.keys(flow.scopes)).toEqual([readScope]);
    expect(doc.paths['/orders'].get.security).toContainEqual({ entra: [readScope] });
    expect(doc.paths['/me'].get.security).toContainEqual({ entra: [] });
    // App-only: the client credentials scheme, whose one scope is <App ID URI>/.default.
    const daemons = doc.components.securitySchemes.entraApp.flows.clientCredentials;
    expect(daemons.tokenUrl).toBe(`${entra.authority}/${entra.tenantId}/oauth2/v2.0/token`);
    expect(Object.keys(daemons.scopes)).toEqual([`api://${entra.clientId}/.default`]);
    expect(doc.paths['/orders/export'].post.security).toContainEqual({
      entraApp: [`api://${entra.clientId}/.default`],
    });
    expect(doc.paths['/orders/export'].post.security).not.toContainEqual({ entra: [] });
    expect(doc.paths['/health'].get.security).toEqual([]);
    expect(doc.info.title).toBe('Orders API (Hono)');
  });

  test('/docs serves Swagger UI with PKCE and the SPA client id, from local files', async () => {
    const page = await call('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/docs/swagger-ui-bundle.js');
    const init = await (await call('/docs/init.js')).text();
    expect(init).toContain('"usePkceWithAuthorizationCodeGrant":true');
    expect(init).toContain('"clientId":"spa-client-id"');
    expect(init).toContain(`api://${entra.clientId}/Orders.Read`);
    const bundle = await call('/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    await bundle.arrayBuffer();
    const css = await call('/docs/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    await css.arrayBuffer();
    expect((await call('/docs/oauth2-redirect.html')).status).toBe(200);
  });

  test('the docs stay public, and nothing else is', async () => {
    expect((await call('/docs/no-such-file.js')).status).toBe(401);
    // Outside swagger-ui-dist's folder there is nothing to serve: auth answers.
    for (const path of ['/docs/..%2fpackage.json', '/docs/%2e%2e/package.json', '/docs/..%5cpackage.json']) {
      expect((await call(path)).status, path).toBe(401);
    }
  });
});

test('createApp also takes validator options', async () => {
  const built = createApp({ auth: entra.validatorOptions() });
  let other!: ServerType;
  const url = await listen(built.fetch, (s) => {
    other = s;
  });
  try {
    const token = { authorization: `Bearer ${user('Orders.Read')}` };
    expect((await fetch(`${url}/orders`, { headers: token })).status).toBe(200);
    // An unknown path is authenticated first, like every path after entraAuth.
    expect((await fetch(`${url}/nowhere`)).status).toBe(401);
    const missing = await fetch(`${url}/nowhere`, { headers: token });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', error_description: 'No such route' });
  } finally {
    await close(other);
    built.validator.close();
  }
});
