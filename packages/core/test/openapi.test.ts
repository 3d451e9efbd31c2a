import { describe, expect, test } from 'vitest';
import {
  createEntraValidator,
  EntraConfigError,
  entraSecurityRequirement,
  entraSecurityScheme,
} from '../src/index.js';

const TENANT = '6f0c3c2a-4b1e-4d8f-9a57-3c2b1d0e9f11';
const CLIENT = 'b8a4d1e2-7c3f-4e9a-8b6d-2f1e0c9a7b53';

describe('OpenAPI security scheme', () => {
  test('authorization code flow against the tenant, with full scope URIs', () => {
    const v = createEntraValidator({ tenantId: TENANT, clientId: CLIENT });
    expect(entraSecurityScheme(v, { scopes: { 'Orders.Read': 'Read orders' } })).toEqual({
      type: 'oauth2',
      description: expect.any(String),
      flows: {
        authorizationCode: {
          authorizationUrl: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`,
          tokenUrl: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
          refreshUrl: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
          scopes: { [`api://${CLIENT}/Orders.Read`]: 'Read orders' },
        },
      },
    });
  });

  test('a custom App ID URI audience and another cloud', () => {
    const v = createEntraValidator({
      tenantId: 'organizations',
      audience: ['api://orders/'],
      allowAnyTenant: true,
      cloud: 'china',
    });
    const s = entraSecurityScheme(v, { scopes: { Read: 'r' } });
    expect(Object.keys(s.flows.authorizationCode.scopes)).toEqual(['api://orders/Read']);
    expect(s.flows.authorizationCode.authorizationUrl).toBe(
      'https://login.partner.microsoftonline.cn/organizations/oauth2/v2.0/authorize',
    );
  });

  test('a B2C discovery URL gives the policy endpoints', () => {
    const v = createEntraValidator({
      tenantId: TENANT,
      clientId: CLIENT,
      discoveryUrl:
        'https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_signin/v2.0/.well-known/openid-configuration',
    });
    expect(entraSecurityScheme(v, { scopes: {} }).flows.authorizationCode.tokenUrl).toBe(
      'https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_signin/oauth2/v2.0/token',
    );
  });

  test('a custom App ID URI audience prefixes the scopes; only a bare client id without clientId needs appIdUri', () => {
    const v = createEntraValidator({
      tenantId: TENANT,
      audience: ['00000000-1111-4222-8333-444444444444', 'https://orders.contoso.com/'],
    });
    expect(
      Object.keys(entraSecurityScheme(v, { scopes: { Read: 'r' } }).flows.authorizationCode.scopes),
    ).toEqual(['https://orders.contoso.com/Read']);
    const guidOnly = createEntraValidator({
      tenantId: TENANT,
      audience: '00000000-1111-4222-8333-444444444444',
    });
    expect(() => entraSecurityScheme(guidOnly, { scopes: { Read: 'r' } })).toThrow(EntraConfigError);
    expect(
      Object.keys(
        entraSecurityScheme(v, { scopes: { Read: 'r' }, appIdUri: 'https://orders.contoso.com' }).flows
          .authorizationCode.scopes,
      ),
    ).toEqual(['https://orders.contoso.com/Read']);
    expect(() => entraSecurityScheme(v, undefined as never)).toThrow(/needs \{ scopes \}/);
  });

  test('requirements list full scope URIs', () => {
    const v = createEntraValidator({ tenantId: TENANT, clientId: CLIENT });
    expect(entraSecurityRequirement(v, ['Orders.Read'])).toEqual([
      { entra: [`api://${CLIENT}/Orders.Read`] },
    ]);
    expect(entraSecurityRequirement(v.config)).toEqual([{ entra: [] }]);
    expect(entraSecurityRequirement(v, ['A'], { schemeName: 'aad' })).toEqual([
      { aad: [`api://${CLIENT}/A`] },
    ]);
  });
});
