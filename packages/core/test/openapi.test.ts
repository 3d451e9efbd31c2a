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

  test('the options object form, and every caller', () => {
    const v = createEntraValidator({ tenantId: TENANT, clientId: CLIENT });
    const read = `api://${CLIENT}/Orders.Read`;
    const all = `api://${CLIENT}/.default`;
    expect(entraSecurityRequirement(v, { scopes: ['Orders.Read'] })).toEqual([{ entra: [read] }]);
    expect(entraSecurityRequirement(v, { caller: 'app' })).toEqual([{ entraApp: [all] }]);
    expect(entraSecurityRequirement(v, [], { caller: 'app' })).toEqual([{ entraApp: [all] }]);
    expect(entraSecurityRequirement(v, { caller: 'any' })).toEqual([{ entra: [] }, { entraApp: [all] }]);
    expect(entraSecurityRequirement(v, ['Orders.Read'], { caller: 'any' })).toEqual([
      { entra: [read] },
      { entraApp: [all] },
    ]);
    expect(
      entraSecurityRequirement(v, {
        caller: 'any',
        schemeName: 'aad',
        appSchemeName: 'daemon',
        appIdUri: 'https://orders.contoso.com/',
      }),
    ).toEqual([{ aad: [] }, { daemon: ['https://orders.contoso.com/.default'] }]);
  });

  test('requirement mistakes are configuration errors', () => {
    const v = createEntraValidator({ tenantId: TENANT, clientId: CLIENT });
    expect(() => entraSecurityRequirement(v, { caller: 'app', scopes: ['Orders.Read'] })).toThrow(
      /app-only tokens carry no delegated scopes/,
    );
    expect(() => entraSecurityRequirement(v, { caller: 'daemon' as never })).toThrow(EntraConfigError);
    expect(() => entraSecurityRequirement(v, null as never)).toThrow(EntraConfigError);
  });
});

describe('OpenAPI client credentials scheme (app-only routes)', () => {
  test('the token endpoint of the tenant and the .default scope, the app roles in the description', () => {
    const v = createEntraValidator({ tenantId: TENANT, clientId: CLIENT });
    const scheme = entraSecurityScheme(v, {
      flow: 'clientCredentials',
      appRoles: { 'Orders.Export': 'Export every order' },
    });
    expect(scheme).toEqual({
      type: 'oauth2',
      description: expect.stringContaining('`Orders.Export` (Export every order)'),
      flows: {
        clientCredentials: {
          tokenUrl: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
          scopes: { [`api://${CLIENT}/.default`]: expect.any(String) },
        },
      },
    });
    expect(scheme.description).toContain(`api://${CLIENT}/.default`);
    expect(Object.keys(scheme.flows)).toEqual(['clientCredentials']);
  });

  test('another cloud, a custom App ID URI, a token URL and a description of your own', () => {
    const usgov = createEntraValidator({ tenantId: TENANT, clientId: CLIENT, cloud: 'usgov' });
    expect(entraSecurityScheme(usgov, { flow: 'clientCredentials' }).flows.clientCredentials.tokenUrl).toBe(
      `https://login.microsoftonline.us/${TENANT}/oauth2/v2.0/token`,
    );
    const custom = entraSecurityScheme(usgov.config, {
      flow: 'clientCredentials',
      appIdUri: 'https://orders.contoso.com',
      tokenUrl: 'https://login.example/t/token',
      description: 'Daemons',
    });
    expect(custom).toEqual({
      type: 'oauth2',
      description: 'Daemons',
      flows: {
        clientCredentials: {
          tokenUrl: 'https://login.example/t/token',
          scopes: { 'https://orders.contoso.com/.default': expect.any(String) },
        },
      },
    });
  });

  test('a multi-tenant validator needs the token URL of the calling tenant', () => {
    const v = createEntraValidator({ tenantId: 'organizations', clientId: CLIENT, allowAnyTenant: true });
    expect(() => entraSecurityScheme(v, { flow: 'clientCredentials' })).toThrow(/pass tokenUrl/);
    const tokenUrl = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`;
    expect(
      entraSecurityScheme(v, { flow: 'clientCredentials', tokenUrl }).flows.clientCredentials.tokenUrl,
    ).toBe(tokenUrl);
    // The user flow may go through `organizations`: the user's sign-in picks the tenant.
    expect(entraSecurityScheme(v, { scopes: {} }).flows.authorizationCode.tokenUrl).toContain(
      '/organizations/',
    );
  });

  test('mistakes are configuration errors', () => {
    const v = createEntraValidator({ tenantId: TENANT, clientId: CLIENT });
    expect(() =>
      entraSecurityScheme(v, { flow: 'clientCredentials', appRoles: 'Orders.Export' as never }),
    ).toThrow(/appRoles is an object/);
    expect(() => entraSecurityScheme(v, { flow: 'implicit' } as never)).toThrow(/flow: 'clientCredentials'/);
  });

  test('options are read as own properties', () => {
    const v = createEntraValidator({ tenantId: TENANT, clientId: CLIENT });
    const inherited = { flow: 'clientCredentials', caller: 'app', appIdUri: 'https://evil.example' };
    try {
      Object.assign(Object.prototype, inherited);
      const scheme = entraSecurityScheme(v, { scopes: { Read: 'r' } });
      expect(Object.keys(scheme.flows)).toEqual(['authorizationCode']);
      expect(Object.keys(scheme.flows.authorizationCode.scopes)).toEqual([`api://${CLIENT}/Read`]);
      expect(entraSecurityRequirement(v, {})).toEqual([{ entra: [] }]);
    } finally {
      for (const key of Object.keys(inherited)) delete (Object.prototype as Record<string, unknown>)[key];
    }
  });
});
