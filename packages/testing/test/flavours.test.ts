// The kit impersonating Azure AD B2C, Entra External ID and the national clouds: what it serves, the
// tokens it makes, and the options it refuses.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMockEntra, type MockEntra } from '../src/index.js';
import { decode, OTHER_TENANT } from './http.js';

const TENANT = '6f0c3c2a-4b1e-4d8f-9a57-3c2b1d0e9f11';
const DOMAIN = 'contoso.onmicrosoft.com';

async function get(kit: { authority: string }, path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${kit.authority}${path}`);
  return { status: response.status, body: await response.json() };
}

describe('Azure AD B2C', () => {
  let b2c: MockEntra<'b2c'>;
  let tfp: MockEntra<'b2c'>;
  beforeAll(async () => {
    [b2c, tfp] = await Promise.all([
      createMockEntra({ flavour: 'b2c', policies: ['B2C_1_signupsignin', 'B2C_1A_signin'] }),
      createMockEntra({ flavour: 'b2c', issuerFormat: 'tfp' }),
    ]);
  });
  afterAll(() => Promise.all([b2c.close(), tfp.close()]));

  test('the kit: flavour, policies, issuer, validatorOptions in the b2c shape', () => {
    expect(b2c).toMatchObject({
      flavour: 'b2c',
      cloud: 'public',
      policies: ['B2C_1_signupsignin', 'B2C_1A_signin'],
    });
    expect(b2c.issuer).toBe(`${b2c.authority}/${TENANT}/v2.0/`);
    expect(b2c.issuerV1).toBe(b2c.issuer);
    expect(tfp.policies).toEqual(['B2C_1_signupsignin']);
    expect(tfp.issuer).toBe(`${tfp.authority}/tfp/${TENANT}/B2C_1_signupsignin/v2.0/`);
    expect(b2c.validatorOptions({ clockToleranceSeconds: 0 })).toEqual({
      clientId: b2c.clientId,
      b2c: { domain: b2c.authority, tenantId: DOMAIN, policies: ['B2C_1_signupsignin', 'B2C_1A_signin'] },
      clockToleranceSeconds: 0,
    });
  });

  test('a document per policy, for the tenant name or GUID, the policy in any case', async () => {
    for (const tenant of [DOMAIN, TENANT]) {
      for (const policy of ['B2C_1_signupsignin', 'b2c_1a_SIGNIN']) {
        const { status, body } = await get(b2c, `/${tenant}/${policy}/v2.0/.well-known/openid-configuration`);
        expect(status).toBe(200);
        const served = policy.toLowerCase() === 'b2c_1_signupsignin' ? 'B2C_1_signupsignin' : 'B2C_1A_signin';
        expect(body).toMatchObject({
          issuer: `${b2c.authority}/${TENANT}/v2.0/`,
          authorization_endpoint: `${b2c.authority}/${tenant}/oauth2/v2.0/authorize?p=${served.toLowerCase()}`,
          jwks_uri: `${b2c.authority}/${tenant}/${served}/discovery/v2.0/keys`,
          scopes_supported: ['openid'],
        });
        expect(body.claims_supported).toContain('tfp');
      }
    }
    const tfpDoc = await get(tfp, `/${DOMAIN}/B2C_1_signupsignin/v2.0/.well-known/openid-configuration`);
    expect(tfpDoc.body.issuer).toBe(tfp.issuer);
  });

  test('B2C key sets: kid, nbf, use, kty, e, n and nothing else', async () => {
    const { status, body } = await get(b2c, `/${DOMAIN}/B2C_1_signupsignin/discovery/v2.0/keys`);
    expect(status).toBe(200);
    expect(body.keys.length).toBeGreaterThan(0);
    for (const key of body.keys) {
      expect(Object.keys(key)).toEqual(['kid', 'nbf', 'use', 'kty', 'e', 'n']);
      expect(key.nbf).toBeTypeOf('number');
    }
    expect(b2c.jwks()).toEqual(body);
  });

  test('what a B2C tenant does not serve: other policies (404), workforce paths (404), other tenants (400)', async () => {
    const unknownPolicy = await get(b2c, `/${DOMAIN}/B2C_1_other/v2.0/.well-known/openid-configuration`);
    expect(unknownPolicy.status).toBe(404);
    expect(unknownPolicy.body.error_description).toMatch(/^AADB2C90008/);
    expect((await get(b2c, `/${DOMAIN}/v2.0/.well-known/openid-configuration`)).status).toBe(404);
    expect((await get(b2c, `/${DOMAIN}/discovery/v2.0/keys`)).status).toBe(404);
    expect(
      (await get(b2c, `/${OTHER_TENANT}/B2C_1_signupsignin/v2.0/.well-known/openid-configuration`)).status,
    ).toBe(400);
    expect((await get(b2c, '/common/B2C_1_signupsignin/v2.0/.well-known/openid-configuration')).status).toBe(
      400,
    );
  });

  test('metadata overrides reach the policy documents', async () => {
    b2c.setMetadataOverrides({ issuer: 'https://elsewhere.example/' });
    try {
      const { body } = await get(b2c, `/${DOMAIN}/B2C_1_signupsignin/v2.0/.well-known/openid-configuration`);
      expect(body.issuer).toBe('https://elsewhere.example/');
    } finally {
      b2c.setMetadataOverrides(null);
    }
  });

  test("tokens in B2C's shape and claim order: ver 1.0, tfp, sub = oid, a nonce, no tid", () => {
    const { header, payload } = decode(b2c.createToken());
    expect(header).toEqual({ typ: 'JWT', alg: 'RS256', kid: b2c.currentKid });
    expect(Object.keys(payload)).toEqual([
      'iss',
      'exp',
      'nbf',
      'aud',
      'oid',
      'sub',
      'name',
      'tfp',
      'nonce',
      'scp',
      'azp',
      'ver',
      'iat',
    ]);
    expect(payload).toMatchObject({
      iss: b2c.issuer,
      aud: b2c.clientId,
      tfp: 'B2C_1_signupsignin',
      scp: 'access_as_user',
      azp: b2c.clientAppId,
      ver: '1.0',
    });
    expect(payload.sub).toBe(payload.oid);
    expect(payload.nonce).toMatch(/^[\w-]{22}$/);
    expect(payload.exp - payload.iat).toBe(3600);
  });

  test('the app and id kinds, another policy, another tenant, the tfp issuer form', () => {
    const app = decode(b2c.createToken({}, { kind: 'app' })).payload;
    expect(app).toMatchObject({ scp: 'access_as_application', azp: b2c.clientAppId, ver: '1.0' });
    expect(app.oid).toBeUndefined();
    const id = decode(b2c.createToken({}, { kind: 'id' })).payload;
    expect(id).toMatchObject({ aud: b2c.clientAppId, tfp: 'B2C_1_signupsignin' });
    expect(id.scp).toBeUndefined();
    expect(id.azp).toBeUndefined();
    expect(id.auth_time).toBe(id.iat);
    expect(decode(b2c.createToken({}, { policy: 'B2C_1A_signin' })).payload.tfp).toBe('B2C_1A_signin');
    expect(decode(b2c.createToken({}, { tenantId: OTHER_TENANT })).payload.iss).toBe(
      `${b2c.authority}/${OTHER_TENANT}/v2.0/`,
    );
    expect(decode(tfp.createToken({}, { policy: 'B2C_1_x' })).payload.iss).toBe(
      `${tfp.authority}/tfp/${TENANT}/B2C_1_x/v2.0/`,
    );
  });

  test.each<[string, object, RegExp]>([
    ['a guest', { kind: 'guest' }, /a b2c kit makes delegated, app, id tokens, not 'guest'/],
    ['a Graph token', { kind: 'graph' }, /not 'graph'/],
    ['a version', { version: '2.0' }, /B2C tokens always say ver '1.0'/],
    ['an empty policy', { policy: '' }, /policy is a non-empty string/],
  ])('createToken refuses %s', (_what, options, message) => {
    expect(() => b2c.createToken({}, options)).toThrow(message);
  });
});

describe('Entra External ID', () => {
  let kit: MockEntra<'externalId'>;
  beforeAll(async () => {
    kit = await createMockEntra({ flavour: 'externalId' });
  });
  afterAll(() => kit.close());

  test('the document announces the ciamlogin.com issuer; keys on the kit', async () => {
    expect(kit.issuer).toBe(`https://${TENANT}.ciamlogin.com/${TENANT}/v2.0`);
    expect(kit.validatorOptions()).toEqual({
      clientId: kit.clientId,
      externalId: { tenantId: TENANT, domain: kit.authority },
    });
    for (const tenant of [TENANT, DOMAIN]) {
      const { status, body } = await get(kit, `/${tenant}/v2.0/.well-known/openid-configuration`);
      expect(status).toBe(200);
      expect(body.issuer).toBe(kit.issuer);
      expect(body.jwks_uri).toBe(`${kit.authority}/${TENANT}/discovery/v2.0/keys`);
    }
    const keys = await get(kit, `/${TENANT}/discovery/v2.0/keys`);
    expect(keys.body.keys[0].issuer).toBe(kit.issuer);
  });

  test('no v1.0 endpoints, no other tenant, no policy paths', async () => {
    expect((await get(kit, `/${TENANT}/.well-known/openid-configuration`)).status).toBe(404);
    expect((await get(kit, `/${TENANT}/discovery/keys`)).status).toBe(404);
    expect((await get(kit, `/${OTHER_TENANT}/v2.0/.well-known/openid-configuration`)).status).toBe(400);
    expect((await get(kit, '/organizations/v2.0/.well-known/openid-configuration')).status).toBe(400);
    expect((await get(kit, `/${TENANT}/B2C_1_x/v2.0/.well-known/openid-configuration`)).status).toBe(404);
  });

  test('tokens: v2.0 with the ciamlogin.com issuer; no guest, no v1', () => {
    const { payload } = decode(kit.createToken());
    expect(payload).toMatchObject({ iss: kit.issuer, tid: TENANT, ver: '2.0', scp: 'access_as_user' });
    expect(decode(kit.createToken({}, { tenantId: OTHER_TENANT })).payload.iss).toBe(
      `https://${OTHER_TENANT}.ciamlogin.com/${OTHER_TENANT}/v2.0`,
    );
    expect(decode(kit.createToken({}, { kind: 'app' })).payload.idtyp).toBe('app');
    expect(() => kit.createToken({}, { kind: 'guest' })).toThrow(/not 'guest'/);
    expect(() => kit.createToken({}, { version: '1.0' })).toThrow(/External ID tokens say ver '2.0'/);
    expect(() => kit.createToken({}, { policy: 'B2C_1_x' })).toThrow(/for B2C kits only/);
  });
});

describe('national clouds', () => {
  test.each([
    [
      'usgov',
      'https://sts.windows.net',
      'microsoftonline.us',
      'graph.microsoft.us',
      'https://graph.microsoft.us',
    ],
    [
      'china',
      'https://sts.chinacloudapi.cn',
      'chinacloudapi.cn',
      'microsoftgraph.chinacloudapi.cn',
      'https://microsoftgraph.chinacloudapi.cn',
    ],
  ] as const)(
    '%s: v1 issuer on %s, its cloud fields, its Graph',
    async (cloud, v1Host, instance, msgraph, graph) => {
      await using kit = await createMockEntra({ cloud });
      expect(kit).toMatchObject({ flavour: 'workforce', cloud, policies: [] });
      expect(kit.validatorOptions()).toEqual({
        tenantId: TENANT,
        clientId: kit.clientId,
        authority: kit.authority,
        cloud,
      });
      expect(kit.issuerV1).toBe(`${v1Host}/${TENANT}/`);
      expect(kit.issuerFor('organizations', '1.0')).toBe(`${v1Host}/{tenantid}/`);
      const v2 = await get(kit, `/${TENANT}/v2.0/.well-known/openid-configuration`);
      expect(v2.body).toMatchObject({
        issuer: kit.issuer,
        cloud_instance_name: instance,
        msgraph_host: msgraph,
      });
      const v1 = await get(kit, `/${TENANT}/.well-known/openid-configuration`);
      expect(v1.body.issuer).toBe(kit.issuerV1);
      expect(decode(kit.createToken({}, { version: '1.0' })).payload.iss).toBe(kit.issuerV1);
      expect(decode(kit.createToken({}, { version: '1.0', kind: 'graph' })).payload.aud).toBe(graph);
      expect(decode(kit.createToken({}, { version: '1.0', kind: 'guest' })).payload.idp).toMatch(
        new RegExp(`^${v1Host}/`),
      );
    },
  );
});

describe('options', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['an unknown flavour', { flavour: 'ciam' }, /flavour must be 'workforce', 'b2c' or 'externalId'/],
    ['an unknown cloud', { cloud: 'germany' }, /cloud must be 'public', 'usgov' or 'china'/],
    ['a cloud for B2C', { flavour: 'b2c', cloud: 'china' }, /cloud applies to the workforce flavour only/],
    [
      'policies for a workforce kit',
      { policies: ['B2C_1_x'] },
      /policies and issuerFormat apply to flavour: 'b2c' only/,
    ],
    [
      'an issuerFormat for External ID',
      { flavour: 'externalId', issuerFormat: 'tfp' },
      /apply to flavour: 'b2c' only/,
    ],
    ['no policies', { flavour: 'b2c', policies: [] }, /policies must be a non-empty list/],
    ['a policy id without its prefix', { flavour: 'b2c', policies: ['signin'] }, /B2C policy ids/],
    [
      'an unknown issuerFormat',
      { flavour: 'b2c', issuerFormat: 'policy' },
      /issuerFormat must be 'tenant' or 'tfp'/,
    ],
  ])('%s', async (_what, options, message) => {
    await expect(createMockEntra(options as never)).rejects.toThrow(message);
  });
});
