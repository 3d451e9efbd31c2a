// Flavour configuration mistakes: each an EntraConfigError at start-up with the fix, before any request.
import { describe, expect, test } from 'vitest';
import { createEntraValidator, EntraConfigError } from '../../src/index.js';

const CLIENT = 'b8a4d1e2-7c3f-4e9a-8b6d-2f1e0c9a7b53';
const TENANT = '6f0c3c2a-4b1e-4d8f-9a57-3c2b1d0e9f11';
const B2C = {
  domain: 'contoso.b2clogin.com',
  tenantId: 'contoso.onmicrosoft.com',
  policies: ['B2C_1_signupsignin'],
};

function mistake(options: Record<string, unknown>): string {
  try {
    createEntraValidator({ clientId: CLIENT, ...options } as never);
  } catch (e) {
    expect(e).toBeInstanceOf(EntraConfigError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('Azure AD B2C', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      'b2c with a tenantId',
      { b2c: B2C, tenantId: TENANT },
      /Give the tenant inside b2c \(b2c.tenantId\), not as tenantId.*combineValidators/,
    ],
    [
      'b2c with a cloud',
      { b2c: B2C, cloud: 'china' },
      /cloud applies to workforce tenants: an Azure AD B2C validator takes its host from b2c.domain/,
    ],
    [
      'b2c with an authority',
      { b2c: B2C, authority: 'https://contoso.b2clogin.com' },
      /authority applies to workforce tenants/,
    ],
    [
      'b2c with a discoveryUrl',
      { b2c: B2C, discoveryUrl: 'https://contoso.b2clogin.com/x/v2.0/.well-known/openid-configuration' },
      /remove discoveryUrl, b2c builds the metadata URL/,
    ],
    [
      'b2c with allowedTenants',
      { b2c: B2C, allowedTenants: [TENANT] },
      /allowedTenants applies to multi-tenant workforce APIs/,
    ],
    ['b2c and externalId', { b2c: B2C, externalId: { tenantId: TENANT } }, /Set b2c or externalId, not both/],
    [
      'b2c not an object',
      { b2c: 'contoso.b2clogin.com' },
      /b2c must be an object: \{ domain: 'contoso.b2clogin.com'/,
    ],
    [
      'an unknown b2c key',
      { b2c: { ...B2C, policy: 'B2C_1_x' } },
      /b2c: Unknown option 'policy': did you mean b2c.policies/,
    ],
    ['no domain', { b2c: { ...B2C, domain: undefined } }, /b2c.domain is required/],
    [
      'a domain with a path',
      { b2c: { ...B2C, domain: 'contoso.b2clogin.com/contoso.onmicrosoft.com' } },
      /b2c.domain must be a host without a path.*b2c.tenantId.*b2c.policies/,
    ],
    [
      'an https URL with a path',
      { b2c: { ...B2C, domain: 'https://contoso.b2clogin.com/tfp/x' } },
      /without a path/,
    ],
    [
      'a domain with a query',
      { b2c: { ...B2C, domain: 'https://contoso.b2clogin.com?p=B2C_1_x' } },
      /without a path/,
    ],
    [
      'http on a public host',
      { b2c: { ...B2C, domain: 'http://contoso.b2clogin.com' } },
      /must be an https host/,
    ],
    [
      'the onmicrosoft.com name as domain',
      { b2c: { ...B2C, domain: 'contoso.onmicrosoft.com' } },
      /not the tenant's onmicrosoft.com name: give that as b2c.tenantId/,
    ],
    ['a ciamlogin domain', { b2c: { ...B2C, domain: 'contoso.ciamlogin.com' } }, /use externalId/],
    ['the workforce sign-in host', { b2c: { ...B2C, domain: 'login.microsoftonline.com' } }, /b2clogin.com/],
    ['no tenantId', { b2c: { ...B2C, tenantId: undefined } }, /b2c.tenantId is required/],
    [
      'the b2clogin host as tenantId',
      { b2c: { ...B2C, tenantId: 'contoso.b2clogin.com' } },
      /'contoso.b2clogin.com' is b2c.domain/,
    ],
    ['a tenantId that is neither', { b2c: { ...B2C, tenantId: 'not a tenant' } }, /GUID or its domain/],
    ['empty policies', { b2c: { ...B2C, policies: [] } }, /b2c.policies must list the policies/],
    [
      'policies as a string',
      { b2c: { ...B2C, policies: 'B2C_1_signupsignin' } },
      /b2c.policies must list the policies/,
    ],
    [
      'a policy without its B2C_1_ prefix',
      { b2c: { ...B2C, policies: ['signupsignin'] } },
      /'B2C_1_<name>' for a user flow, 'B2C_1A_<name>' for a custom policy/,
    ],
    [
      'tokenVersions without 1.0',
      { b2c: B2C, tokenVersions: ['2.0'] },
      /tokenVersions must include '1.0' for Azure AD B2C/,
    ],
  ])('%s', (_name, options, message) => {
    expect(mistake(options)).toMatch(message);
  });

  test('accepted forms: a host, an https origin, a loopback origin, policies in any case, duplicates folded', () => {
    for (const domain of [
      'contoso.b2clogin.com',
      'https://contoso.b2clogin.com/',
      'login.contoso.com',
      'http://127.0.0.1:8080',
    ]) {
      const v = createEntraValidator({ b2c: { ...B2C, domain }, clientId: CLIENT });
      expect(new URL(v.config.discoveryUrl).pathname).toBe(
        '/contoso.onmicrosoft.com/B2C_1_signupsignin/v2.0/.well-known/openid-configuration',
      );
    }
    const v = createEntraValidator({
      b2c: { ...B2C, policies: ['B2C_1_signupsignin', 'b2c_1_SIGNUPSIGNIN', 'B2C_1A_custom'] },
      clientId: CLIENT,
    });
    expect(v.config).toMatchObject({
      flavour: 'b2c',
      tenantId: 'contoso.onmicrosoft.com',
      authority: undefined,
      multiTenant: false,
      policies: ['B2C_1_signupsignin', 'B2C_1A_custom'],
    });
  });

  test('the options are read as own properties', () => {
    const inherited = Object.create({ policies: ['B2C_1_signupsignin'] });
    Object.assign(inherited, { domain: 'contoso.b2clogin.com', tenantId: 'contoso.onmicrosoft.com' });
    expect(mistake({ b2c: inherited })).toMatch(/b2c.policies must list the policies/);
  });
});

describe('Entra External ID', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a non-GUID tenant',
      { externalId: { tenantId: 'contoso.onmicrosoft.com' } },
      /externalId.tenantId must be the external tenant's GUID/,
    ],
    ['no tenant', { externalId: {} }, /externalId.tenantId must be the external tenant's GUID/],
    [
      'externalId with a tenantId',
      { externalId: { tenantId: TENANT }, tenantId: TENANT },
      /Give the tenant inside externalId/,
    ],
    [
      'externalId with a cloud',
      { externalId: { tenantId: TENANT }, cloud: 'usgov' },
      /an Entra External ID validator takes its host from externalId.domain/,
    ],
    [
      'a domain with a path',
      { externalId: { tenantId: TENANT, domain: `contoso.ciamlogin.com/${TENANT}` } },
      /externalId.domain must be a host without a path/,
    ],
    ['a b2clogin domain', { externalId: { tenantId: TENANT, domain: 'contoso.b2clogin.com' } }, /use b2c/],
    [
      'the workforce sign-in host',
      { externalId: { tenantId: TENANT, domain: 'login.microsoftonline.com' } },
      /leave domain out/,
    ],
    [
      'an unknown key',
      { externalId: { tenantId: TENANT, domian: 'x' } },
      /externalId: Unknown option 'domian': did you mean 'domain'/,
    ],
    [
      'tokenVersions without 2.0',
      { externalId: { tenantId: TENANT }, tokenVersions: ['1.0'] },
      /tokenVersions must include '2.0' for Entra External ID/,
    ],
  ])('%s', (_name, options, message) => {
    expect(mistake(options)).toMatch(message);
  });

  test('domain defaults to {tenantId}.ciamlogin.com', () => {
    const v = createEntraValidator({ externalId: { tenantId: TENANT.toUpperCase() }, clientId: CLIENT });
    expect(v.config.discoveryUrl).toBe(
      `https://${TENANT}.ciamlogin.com/${TENANT}/v2.0/.well-known/openid-configuration`,
    );
    expect(v.config.tenantId).toBe(TENANT);
  });
});

describe('workforce', () => {
  test('without tenantId, b2c or externalId: the message names all three', () => {
    expect(mistake({})).toMatch(/tenantId is required.*set b2c or externalId instead/);
  });

  test("another library's B2C options point at b2c", () => {
    expect(mistake({ tenantId: TENANT, isB2C: true })).toMatch(/did you mean 'b2c'/);
    expect(mistake({ tenantId: TENANT, policies: ['B2C_1_x'] })).toMatch(/did you mean b2c.policies/);
  });
});
