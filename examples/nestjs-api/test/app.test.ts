import SwaggerParser from '@apidevtools/swagger-parser';
import type { INestApplication } from '@nestjs/common';
import { createEntraValidator, type EntraValidator } from '@org/entra-nestjs';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../src/app.js';

const SPA = 'http://localhost:5173';
let entra: MockEntra;
let validator: EntraValidator;
let nest: INestApplication;
let base: string;

beforeAll(async () => {
  entra = await createMockEntra();
  validator = createEntraValidator(entra.validatorOptions());
  nest = await createApp({ auth: validator, allowedOrigin: SPA, docsClientId: 'spa-client-id' });
  await nest.listen(0, '127.0.0.1');
  base = await nest.getUrl();
});

afterAll(async () => {
  await nest.close();
  validator.close();
  await entra.close();
});

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

  test('GET /orders with Orders.Read: 200, from the service injected by type', async () => {
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
    expect(await res.json()).toMatchObject({ orders: 3, requestedBy: entra.clientAppId });
  });

  test('POST /orders/export refuses an app without the role, and users', async () => {
    const noRole = await call('/orders/export', app(['Orders.Read.All']), { method: 'POST' });
    expect(noRole.status).toBe(403);
    expect((await noRole.json()).error).toBe('insufficient_role');
    const asUser = await call('/orders/export', user('Orders.Read'), { method: 'POST' });
    expect(asUser.status).toBe(403);
    expect(asUser.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
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
    const res = await call('/orders', undefined, { headers: { origin: SPA } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(res.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
  });

  test('another origin is not allowed', async () => {
    const res = await call('/health', undefined, { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });
});

describe('OpenAPI and Swagger UI', () => {
  test("/openapi.json is a valid OpenAPI document with the Entra scheme and each route's scopes", async () => {
    const res = await call('/openapi.json');
    expect(res.status).toBe(200);
    const document = await res.json();
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeDefined();
    const scheme = document.components.securitySchemes.entra;
    const tenantBase = `${entra.authority}/${entra.tenantId}/oauth2/v2.0`;
    expect(scheme).toMatchObject({
      type: 'oauth2',
      flows: {
        authorizationCode: {
          authorizationUrl: `${tenantBase}/authorize`,
          tokenUrl: `${tenantBase}/token`,
          scopes: { [`api://${entra.clientId}/Orders.Read`]: 'Read your orders' },
        },
      },
    });
    expect(document.components.securitySchemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.paths['/orders'].get.security).toEqual([
      { entra: [`api://${entra.clientId}/Orders.Read`] },
      { bearerToken: [] },
    ]);
    expect(document.components.securitySchemes.entraApp).toMatchObject({
      type: 'oauth2',
      flows: {
        clientCredentials: {
          tokenUrl: `${tenantBase}/token`,
          scopes: { [`api://${entra.clientId}/.default`]: expect.any(String) },
        },
      },
    });
    expect(document.paths['/orders/export'].post.security).toEqual([
      { entraApp: [`api://${entra.clientId}/.default`] },
      { bearerToken: [] },
    ]);
    expect(document.paths['/health'].get.security).toBeUndefined();
  });

  test('/docs serves Swagger UI with PKCE and the SPA client id', async () => {
    const page = await call('/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
    const init = await (await call('/docs/swagger-ui-init.js')).text();
    expect(init).toContain('"usePkceWithAuthorizationCodeGrant": true');
    expect(init).toContain('"clientId": "spa-client-id"');
    expect(init).toContain(`api://${entra.clientId}/Orders.Read`);
  });
});

test('createApp also takes validator options', async () => {
  const other = await createApp({ auth: entra.validatorOptions() });
  await other.listen(0, '127.0.0.1');
  const url = await other.getUrl();
  try {
    expect((await fetch(`${url}/orders`)).status).toBe(401);
    const ok = await fetch(`${url}/orders`, { headers: { authorization: `Bearer ${user('Orders.Read')}` } });
    expect(ok.status).toBe(200);
  } finally {
    await other.close();
  }
});
