import { request as httpRequest } from 'node:http';
import { Controller, Get, type INestApplication, Injectable, Module, UseGuards } from '@nestjs/common';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEntraValidator,
  EntraAuthError,
  EntraAuthGuard,
  EntraAuthModule,
  type EntraValidator,
  errorResponse,
  RequireScopes,
} from '../src/index.js';
import { type Platform, startApp } from './app.js';

let entra: MockEntra;
let down: MockEntra;
let shared: EntraValidator;

beforeAll(async () => {
  [entra, down] = await Promise.all([createMockEntra(), createMockEntra()]);
  down.setFault('down');
  shared = createEntraValidator(entra.validatorOptions());
});
afterAll(async () => {
  shared.close();
  await Promise.all([entra.close(), down.close()]);
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const PREFLIGHT = { origin: 'https://spa.example', 'access-control-request-method': 'GET' };

async function call(url: string, headers: Record<string, string> = {}, method = 'GET') {
  const res = await fetch(url, { method, headers });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? '' : JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, body };
}

/** The core's answer for an error, as every adapter must send it. */
function expectRefusal(res: Awaited<ReturnType<typeof call>>, error: EntraAuthError) {
  const want = errorResponse(error);
  expect(res.status).toBe(want.status);
  expect(res.body).toEqual(JSON.parse(want.body));
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('www-authenticate')).toBe(want.headers['www-authenticate'] ?? null);
}

describe.each(['express', 'fastify'] as Platform[])('on platform-%s', (platform) => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    ({ app, url } = await startApp(platform, [EntraAuthModule.forRoot({ validator: shared })]));
  });
  afterAll(async () => {
    await app.close();
  });

  it('needs a token on every route by default, and sets the principal on the platform request', async () => {
    expectRefusal(await call(`${url}/me`), new EntraAuthError('missing_token'));
    const token = entra.createToken();
    const oid = (await shared.verify(token)).objectId;
    expect(await call(`${url}/me`, bearer(token))).toMatchObject({
      status: 200,
      body: { oid, sameOnRequest: true },
    });
    expect((await call(`${url}/tenant`, bearer(token))).body).toEqual({ tenantId: entra.tenantId });
  });

  it('answers bad tokens with the core refusal', async () => {
    const expired = entra.createToken({}, { issuedAt: -7200, expiresIn: 3600 });
    const res = await call(`${url}/me`, bearer(expired));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'token_expired' });
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="api", error="invalid_token"/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expectRefusal(
      await call(`${url}/me`, { authorization: 'Bearer a"b' }),
      new EntraAuthError('invalid_request'),
    );
  });

  it('refuses two Authorization headers (the raw header list is read on both platforms)', async () => {
    const token = entra.createToken();
    const status = await new Promise<number>((resolve, reject) => {
      // Two header lines (a raw list): Node keeps only the first in `headers`.
      const headers = ['authorization', `Bearer ${token}`, 'authorization', `Bearer ${token}`];
      const req = httpRequest(`${url}/me`, { headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
  });

  it('@Public() routes need no token and see no principal, even with one', async () => {
    expect(await call(`${url}/health`)).toMatchObject({ status: 200, body: { status: 'ok', user: null } });
    expect((await call(`${url}/health`, bearer(entra.createToken()))).body).toEqual({
      status: 'ok',
      user: null,
    });
  });

  it('a requirement on a @Public() handler refuses: nothing authenticated the caller', async () => {
    const token = entra.createToken({ scp: 'Orders.Read' });
    expectRefusal(await call(`${url}/public-guarded`, bearer(token)), new EntraAuthError('missing_token'));
  });

  it('@OptionalAuth() lets requests without a token through, and still refuses bad ones', async () => {
    expect((await call(`${url}/optional`)).body).toEqual({ oid: null, sameOnRequest: true });
    expect((await call(`${url}/optional`, { authorization: 'Basic dTpw' })).body).toEqual({
      oid: null,
      sameOnRequest: true,
    });
    const token = entra.createToken();
    expect((await call(`${url}/optional`, bearer(token))).body).toMatchObject({ sameOnRequest: true });
    expect((await call(`${url}/optional`, bearer(`${token}x`))).status).toBe(401);
  });

  it('@RequireScopes needs every scope; stacked decorators all apply', async () => {
    const read = entra.createToken({ scp: 'Orders.Read' });
    expect((await call(`${url}/orders`, bearer(read))).status).toBe(200);
    const other = await call(`${url}/orders`, bearer(entra.createToken({ scp: 'User.Read' })));
    expectRefusal(other, new EntraAuthError('insufficient_scope', { scopes: ['Orders.Read'] }));
    expect((await call(`${url}/both`, bearer(read))).status).toBe(403);
    const both = entra.createToken({ scp: 'Orders.Read Orders.Write' });
    expect((await call(`${url}/both`, bearer(both))).status).toBe(200);
    expect((await call(`${url}/stacked`, bearer(read))).status).toBe(403);
    expect((await call(`${url}/stacked`, bearer(both))).status).toBe(200);
  });

  it('@RequireRoles, @RequireScopeOrRole, @AppOnly and @Delegated answer 403 as the core words it', async () => {
    const user = entra.createToken({ scp: 'Orders.Read' });
    const daemon = entra.createToken({ roles: ['Orders.Read.All'] }, { kind: 'app' });
    const admin = entra.createToken({ roles: ['Orders.Admin'] }, { kind: 'app' });
    expectRefusal(await call(`${url}/admin`, bearer(user)), new EntraAuthError('insufficient_role'));
    expect((await call(`${url}/admin`, bearer(admin))).status).toBe(200);
    expect((await call(`${url}/read`, bearer(user))).status).toBe(200);
    expect((await call(`${url}/read`, bearer(daemon))).status).toBe(200);
    expect((await call(`${url}/read`, bearer(admin))).status).toBe(403);
    const appOnly = await call(`${url}/app-only`, bearer(user));
    expect(appOnly.status).toBe(403);
    expect(appOnly.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    expect((await call(`${url}/app-only`, bearer(daemon))).status).toBe(200);
    const delegated = await call(`${url}/user-only`, bearer(daemon));
    expect(delegated.status).toBe(403);
    expect(delegated.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    expect((await call(`${url}/user-only`, bearer(user))).status).toBe(200);
  });

  it('controller requirements apply to handlers, which replace them kind by kind or leave with @Public()', async () => {
    const read = entra.createToken({ scp: 'Orders.Read' });
    const write = entra.createToken({ scp: 'Orders.Write' });
    expect((await call(`${url}/scoped/list`, bearer(read))).status).toBe(200);
    expect((await call(`${url}/scoped/list`, bearer(write))).status).toBe(403);
    expect((await call(`${url}/scoped/write`, bearer(write))).status).toBe(200);
    expect((await call(`${url}/scoped/write`, bearer(read))).status).toBe(403);
    const adminNoScope = entra.createToken({ roles: ['Orders.Admin'] }, { kind: 'app' });
    expect((await call(`${url}/scoped/admin`, bearer(adminNoScope))).status).toBe(403);
    expect((await call(`${url}/scoped/open`)).body).toEqual({ open: true });
  });

  it('answers core helpers thrown in handlers like the guard (no setup but the module)', async () => {
    const plain = await call(`${url}/step-up`, bearer(entra.createToken()));
    expectRefusal(plain, new EntraAuthError('insufficient_role'));
    const capable = entra.createToken({ roles: ['Orders.Admin'], xms_cc: ['cp1'] });
    const challenged = await call(`${url}/step-up`, bearer(capable));
    expect(challenged.status).toBe(401);
    expect(challenged.body).toMatchObject({ error: 'insufficient_claims' });
    expect(challenged.headers.get('www-authenticate')).toMatch(/claims="[A-Za-z0-9+/=]+"$/);
    const stepped = entra.createToken({ roles: ['Orders.Admin'], acrs: ['c1'] });
    expect((await call(`${url}/step-up`, bearer(stepped))).status).toBe(200);
    const groups = await call(`${url}/groups`, bearer(entra.createToken({ groups: ['another-group'] })));
    expect(groups.status).toBe(403);
    expect(groups.body).toEqual({
      error: 'insufficient_role',
      error_description: 'The caller is not a member of a required group',
    });
    expect(groups.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
  });

  it('leaves other errors to Nest', async () => {
    const token = entra.createToken();
    const boom = await call(`${url}/boom`, bearer(token));
    expect(boom.status).toBe(500);
    expect(boom.body).toEqual({ statusCode: 500, message: 'Internal server error' });
    expect(boom.headers.get('www-authenticate')).toBeNull();
    const teapot = await call(`${url}/teapot`, bearer(token));
    expect(teapot).toMatchObject({ status: 418, body: { message: 'short and stout' } });
  });

  it('answers a CORS preflight that reaches the guard 204 with no body, without running the handler', async () => {
    const res = await call(`${url}/any`, PREFLIGHT, 'OPTIONS');
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers.get('www-authenticate')).toBeNull();
    // A plain OPTIONS (no Origin) is authenticated like any request.
    expect((await call(`${url}/any`, {}, 'OPTIONS')).status).toBe(401);
    expect((await call(`${url}/any`, bearer(entra.createToken()), 'OPTIONS')).body).toMatchObject({
      handled: true,
    });
  });
});

describe.each(['express', 'fastify'] as Platform[])('options on platform-%s', (platform) => {
  const apps: INestApplication[] = [];
  async function start(imports: unknown[], controllers?: unknown[]) {
    const started = await startApp(platform, imports, controllers);
    apps.push(started.app);
    return started.url;
  }
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it("corsPreflight: 'authenticate' makes a preflight an ordinary request; 'pass' hands it on unauthenticated", async () => {
    const authenticate = await start([
      EntraAuthModule.forRoot({ validator: shared, corsPreflight: 'authenticate' }),
    ]);
    expect((await call(`${authenticate}/any`, PREFLIGHT, 'OPTIONS')).status).toBe(401);
    const pass = await start([EntraAuthModule.forRoot({ validator: shared, corsPreflight: 'pass' })]);
    expect(await call(`${pass}/any`, PREFLIGHT, 'OPTIONS')).toMatchObject({
      status: 200,
      body: { handled: true, oid: null },
    });
    // Passed on, a preflight still meets the route's requirements as they stand: none run without a token.
    expect((await call(`${pass}/me`, {})).status).toBe(401);
  });

  it('globalGuard: false authenticates only where EntraAuthGuard or a requirement is applied', async () => {
    @Controller('manual')
    class ManualController {
      @Get('open')
      open() {
        return { open: true };
      }
      @UseGuards(EntraAuthGuard)
      @Get('guarded')
      guarded() {
        return { guarded: true };
      }
      @RequireScopes('Orders.Read')
      @Get('scoped')
      scoped() {
        return { scoped: true };
      }
    }
    const base = await start(
      [EntraAuthModule.forRoot({ validator: shared, globalGuard: false })],
      [ManualController],
    );
    expect((await call(`${base}/manual/open`)).body).toEqual({ open: true });
    expect((await call(`${base}/manual/guarded`)).status).toBe(401);
    expect((await call(`${base}/manual/guarded`, bearer(entra.createToken()))).status).toBe(200);
    expect((await call(`${base}/manual/scoped`)).status).toBe(401);
    expect(
      (await call(`${base}/manual/scoped`, bearer(entra.createToken({ scp: 'Orders.Read' })))).status,
    ).toBe(200);
  });

  it('forRootAsync: options from an injected provider, resolved when the app starts', async () => {
    @Injectable()
    class Settings {
      readonly entra = entra.validatorOptions();
    }
    @Module({ providers: [Settings], exports: [Settings] })
    class SettingsModule {}
    const base = await start([
      EntraAuthModule.forRootAsync({
        imports: [SettingsModule],
        inject: [Settings],
        useFactory: async (settings: Settings) => ({ ...settings.entra, corsPreflight: 'answer' as const }),
      }),
    ]);
    expect((await call(`${base}/me`)).status).toBe(401);
    expect((await call(`${base}/me`, bearer(entra.createToken()))).status).toBe(200);
  });

  it('an unreachable issuer is 503 with Retry-After', async () => {
    const base = await start([EntraAuthModule.forRoot(down.validatorOptions())]);
    const res = await call(`${base}/me`, bearer(down.createToken()));
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'keys_unavailable' });
    expect(res.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('set-up', () => {
  it('closes a validator it created when the app closes, never a shared one', async () => {
    const { app } = await startApp('express', [EntraAuthModule.forRoot(entra.validatorOptions())]);
    const { ENTRA_VALIDATOR } = await import('../src/index.js');
    const owned = app.get<EntraValidator>(ENTRA_VALIDATOR);
    let closed = 0;
    const close = owned.close.bind(owned);
    owned.close = () => {
      closed++;
      close();
    };
    await app.close();
    expect(closed).toBe(1);

    const mine = createEntraValidator(entra.validatorOptions());
    let sharedClosed = 0;
    mine.close = () => {
      sharedClosed++;
    };
    const second = await startApp('express', [EntraAuthModule.forRoot({ validator: mine })]);
    expect(second.app.get(ENTRA_VALIDATOR)).toBe(mine);
    await second.app.close();
    expect(sharedClosed).toBe(0);
  });

  it('refuses option mistakes when the module is declared, with the fix', () => {
    expect(() => EntraAuthModule.forRoot({} as never)).toThrow(/tenantId/);
    expect(() => EntraAuthModule.forRoot(null as never)).toThrow(/EntraAuthModule\.forRoot/);
    expect(() => EntraAuthModule.forRoot({ validator: shared, tenantId: 't' } as never)).toThrow(/not both/);
    expect(() => EntraAuthModule.forRoot({ validator: {} } as never)).toThrow(/createEntraValidator/);
    expect(() => EntraAuthModule.forRoot({ validator: shared, globalGuard: 'no' } as never)).toThrow(
      /globalGuard must be true or false/,
    );
    expect(() => EntraAuthModule.forRoot({ validator: shared, corsPreflight: 'skip' } as never)).toThrow(
      /corsPreflight/,
    );
    expect(() => EntraAuthModule.forRootAsync({} as never)).toThrow(/useFactory/);
    expect(() => RequireScopes()).toThrow(/must not be empty/);
    expect(() => RequireScopes('Orders Read')).toThrow(/without spaces/);
  });

  it('rejects the start when an async factory gives bad options', async () => {
    const started = startApp('express', [EntraAuthModule.forRootAsync({ useFactory: () => ({}) as never })]);
    await expect(started).rejects.toThrow(/tenantId is required/);
  });

  it('reads its options as own properties: a polluted Object.prototype turns no guard off', async () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.globalGuard = false;
    proto.corsPreflight = 'pass';
    try {
      const { app, url } = await startApp('fastify', [EntraAuthModule.forRoot({ validator: shared })]);
      try {
        expect((await call(`${url}/me`)).status).toBe(401);
        expect((await call(`${url}/any`, PREFLIGHT, 'OPTIONS')).status).toBe(204);
      } finally {
        await app.close();
      }
    } finally {
      delete proto.globalGuard;
      delete proto.corsPreflight;
    }
  });
});
