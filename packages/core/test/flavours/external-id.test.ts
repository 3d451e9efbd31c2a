// Entra External ID (customer tenants) through the public API: the kit impersonating one, and the
// real document shape served at ciamlogin.com host names.
import { generateKeyPairSync, sign } from 'node:crypto';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEntraValidator, type EntraValidatorOptions } from '../../src/index.js';
import { codeOf, errorOf, ManualClock } from '../helpers.js';

const OTHER = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const clock = new ManualClock();
let kit: MockEntra<'externalId'>;

beforeAll(async () => {
  kit = await createMockEntra({ flavour: 'externalId', clock: clock.fn });
});
afterAll(() => kit?.close());

function validator(extra: Partial<EntraValidatorOptions> = {}) {
  return createEntraValidator({
    ...kit.validatorOptions(),
    clock: clock.fn,
    ...(extra as object),
  } as EntraValidatorOptions);
}

describe('External ID tokens', () => {
  test('accepted: the issuer is on {tenantId}.ciamlogin.com whatever host served the document', async () => {
    const v = validator();
    expect(kit.issuer).toBe(`https://${kit.tenantId}.ciamlogin.com/${kit.tenantId}/v2.0`);
    expect(v.config).toMatchObject({
      flavour: 'externalId',
      tenantId: kit.tenantId,
      authority: undefined,
      discoveryUrl: `${kit.authority}/${kit.tenantId}/v2.0/.well-known/openid-configuration`,
    });
    const principal = await v.verify(kit.createToken({ scp: 'Orders.Read' }));
    expect(principal).toMatchObject({ tenantId: kit.tenantId, scopes: ['Orders.Read'], tokenVersion: '2.0' });
    expect(principal.policy).toBeUndefined();
    expect((await v.verify(kit.createToken({}, { kind: 'app' }))).isAppOnly).toBe(true);
    v.close();
  });

  test('a customer who signed in with Google (idp) is not a guest', async () => {
    const v = validator({ allowGuests: false });
    expect((await v.verify(kit.createToken({ idp: 'google.com' }))).isGuest).toBe(false);
    v.close();
  });

  test('another tenant, a workforce issuer of the same tenant, a v1 token: refused with their checks', async () => {
    const v = validator();
    const other = await errorOf(v.verify(kit.createToken({}, { tenantId: OTHER })));
    expect([other.code, other.check]).toEqual(['invalid_issuer', 'iss']);
    const workforce = await errorOf(
      v.verify(kit.createToken({ iss: `https://login.microsoftonline.com/${kit.tenantId}/v2.0` })),
    );
    expect([workforce.code, workforce.check]).toEqual(['invalid_issuer', 'iss']);
    kit.resetCounts();
    const v1 = await errorOf(v.verify(kit.createToken({ ver: '1.0' })));
    expect([v1.code, v1.check, v1.message]).toEqual([
      'unsupported_token_version',
      'ver',
      'This authority issues only v2.0 tokens',
    ]);
    expect(kit.requestCount()).toBe(0);
    const idToken = await errorOf(v.verify(kit.createToken({}, { kind: 'id' })));
    expect([idToken.code, idToken.check]).toEqual(['foreign_token', 'foreign']);
    v.close();
  });

  test('a document that announces another issuer is a configuration error', async () => {
    const v = validator();
    kit.setMetadataOverrides({ issuer: `https://${OTHER}.ciamlogin.com/${OTHER}/v2.0` });
    try {
      await expect(v.warmUp()).rejects.toThrow(/check externalId.tenantId and externalId.domain/);
    } finally {
      kit.setMetadataOverrides(null);
      v.close();
    }
  });

  test('100 concurrent cold verifications: one document, one key set', async () => {
    const v = validator();
    kit.resetCounts();
    const codes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => codeOf(v.verify(kit.createToken({ uti: `u${i}` })))),
    );
    expect(new Set(codes)).toEqual(new Set(['ok']));
    expect(kit.requestCount()).toBe(2);
    v.close();
  });
});

describe('the real document shape at ciamlogin.com', () => {
  const TENANT = '559c1923-19d9-428c-a51a-36c92e884239';
  const ISSUER = `https://${TENANT}.ciamlogin.com/${TENANT}/v2.0`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = { kty: 'RSA', use: 'sig', kid: 'ciam-kid', ...publicKey.export({ format: 'jwk' }) };

  function serve(host: string, keyIssuer?: string) {
    const seen: string[] = [];
    const routes: Record<string, unknown> = {
      [`https://${host}/${TENANT}/v2.0/.well-known/openid-configuration`]: {
        token_endpoint: `https://${host}/${TENANT}/oauth2/v2.0/token`,
        jwks_uri: `https://${host}/${TENANT}/discovery/v2.0/keys`,
        issuer: ISSUER,
        authorization_endpoint: `https://${host}/${TENANT}/oauth2/v2.0/authorize`,
        end_session_endpoint: `https://${host}/${TENANT}/oauth2/v2.0/logout`,
      },
      [`https://${host}/${TENANT}/discovery/v2.0/keys`]: {
        keys: [keyIssuer === undefined ? key : { ...key, issuer: keyIssuer }],
      },
    };
    const fetch = async (url: string) => {
      seen.push(url);
      const body = routes[url];
      return body === undefined ? new Response('not found', { status: 404 }) : Response.json(body);
    };
    return { fetch, seen };
  }

  function mint(claims: Record<string, unknown> = {}) {
    const now = Math.floor(Date.now() / 1000);
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const h = b64({ typ: 'JWT', alg: 'RS256', kid: 'ciam-kid' });
    const p = b64({
      aud: 'b8a4d1e2-7c3f-4e9a-8b6d-2f1e0c9a7b53',
      iss: ISSUER,
      iat: now,
      nbf: now,
      exp: now + 3600,
      azp: 'c3d2e1f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
      oid: '2e8f0c1a-5d4b-4a3e-9c7f-8b6a5d4c3e21',
      scp: 'Orders.Read',
      sub: 'pairwise-subject',
      tid: TENANT,
      ver: '2.0',
      ...claims,
    });
    return `${h}.${p}.${sign('sha256', Buffer.from(`${h}.${p}`), privateKey).toString('base64url')}`;
  }

  test.each([
    ['the default domain', undefined, `${TENANT}.ciamlogin.com`],
    ['the tenant name', 'gainitauth.ciamlogin.com', 'gainitauth.ciamlogin.com'],
    ['a custom URL domain', 'login.contoso.com', 'login.contoso.com'],
  ])('%s serves the document; the GUID-host issuer is accepted', async (_what, domain, host) => {
    const { fetch, seen } = serve(host);
    const v = createEntraValidator({
      externalId: domain === undefined ? { tenantId: TENANT } : { tenantId: TENANT, domain },
      clientId: 'b8a4d1e2-7c3f-4e9a-8b6d-2f1e0c9a7b53',
      fetch,
    });
    expect((await v.verify(mint())).tenantId).toBe(TENANT);
    expect(seen).toEqual([
      `https://${host}/${TENANT}/v2.0/.well-known/openid-configuration`,
      `https://${host}/${TENANT}/discovery/v2.0/keys`,
    ]);
    v.close();
  });

  test.each([
    ['its ciamlogin issuer', ISSUER, 'ok'],
    ['its login.microsoftonline.com issuer', `https://login.microsoftonline.com/${TENANT}/v2.0`, 'ok'],
    [
      'another tenant',
      `https://login.microsoftonline.com/${'1'.repeat(8)}-1111-1111-1111-111111111111/v2.0`,
      'invalid_issuer',
    ],
  ])('a signing key published with %s', async (_what, keyIssuer, code) => {
    const { fetch } = serve(`${TENANT}.ciamlogin.com`, keyIssuer);
    const v = createEntraValidator({
      externalId: { tenantId: TENANT },
      clientId: 'b8a4d1e2-7c3f-4e9a-8b6d-2f1e0c9a7b53',
      fetch,
    });
    expect(await codeOf(v.verify(mint()))).toBe(code);
    v.close();
  });
});
