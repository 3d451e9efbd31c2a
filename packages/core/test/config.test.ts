import { describe, expect, test } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { createEntraValidator, EntraConfigError, type EntraValidatorOptions } from '../src/index.js';

const TENANT = '6f0c3c2a-4b1e-4d8f-9a57-3c2b1d0e9f11';
const CLIENT = 'b8a4d1e2-7c3f-4e9a-8b6d-2f1e0c9a7b53';

function configError(options: unknown): string {
  try {
    createEntraValidator(options as EntraValidatorOptions);
  } catch (e) {
    expect(e).toBeInstanceOf(EntraConfigError);
    return (e as Error).message;
  }
  throw new Error('expected an EntraConfigError');
}

describe('createEntraValidator: configuration mistakes fail at once, saying how to fix them', () => {
  test.each([
    ['no options', undefined, /options object/],
    ['no tenant', { clientId: CLIENT }, /tenantId is required/],
    [
      'a tenant name that is neither GUID nor domain',
      { tenantId: 'contoso', clientId: CLIENT },
      /verified domain/,
    ],
    ['no audience and no clientId', { tenantId: TENANT }, /Set audience .* or clientId/],
    [
      'an App ID URI as clientId',
      { tenantId: TENANT, clientId: 'api://x' },
      /put an App ID URI .* in audience/,
    ],
    ['an empty audience', { tenantId: TENANT, audience: '' }, /audience must contain only non-empty strings/],
    ['an empty audience list', { tenantId: TENANT, audience: [] }, /audience must not be empty/],
    [
      'multi-tenant without a tenant policy',
      { tenantId: 'organizations', clientId: CLIENT },
      /allowedTenants .* allowAnyTenant/,
    ],
    ['common without a tenant policy', { tenantId: 'common', clientId: CLIENT }, /allowedTenants/],
    [
      'an empty allowedTenants',
      { tenantId: 'common', clientId: CLIENT, allowedTenants: [] },
      /allowedTenants must not be empty/,
    ],
    [
      'allowedTenants by name',
      { tenantId: 'common', clientId: CLIENT, allowedTenants: ['contoso.com'] },
      /tenant GUIDs/,
    ],
    [
      'both tenant policies',
      { tenantId: 'common', clientId: CLIENT, allowedTenants: [TENANT], allowAnyTenant: true },
      /not both/,
    ],
    [
      'allowedTenants on a single tenant',
      { tenantId: TENANT, clientId: CLIENT, allowedTenants: [TENANT] },
      /multi-tenant APIs only/,
    ],
    [
      'an http authority off loopback',
      { tenantId: TENANT, clientId: CLIENT, authority: 'http://login.example.com' },
      /http: is accepted only for loopback/,
    ],
    [
      'an authority that is not a URL',
      { tenantId: TENANT, clientId: CLIENT, authority: 'login.microsoftonline.com' },
      /not a valid URL/,
    ],
    [
      'an authority with a query',
      { tenantId: TENANT, clientId: CLIENT, authority: 'https://login.microsoftonline.com/?x=1' },
      /query string/,
    ],
    [
      'an authority with credentials',
      { tenantId: TENANT, clientId: CLIENT, authority: 'https://u:p@login.microsoftonline.com' },
      /credentials/,
    ],
    [
      'an http discovery URL off loopback',
      { tenantId: TENANT, clientId: CLIENT, discoveryUrl: 'http://x.b2clogin.com/a' },
      /discoveryUrl must use https/,
    ],
    ['an unknown cloud', { tenantId: TENANT, clientId: CLIENT, cloud: 'germany' }, /cloud must be/],
    [
      'an unknown option',
      { tenantId: TENANT, clientId: CLIENT, audiance: 'x' },
      /Unknown option 'audiance': did you mean 'audience'\?/,
    ],
    [
      'an unknown jwks option',
      { tenantId: TENANT, clientId: CLIENT, jwks: { ttl: 1 } },
      /^jwks: Unknown option 'ttl'\. Known options: refreshIntervalSeconds/,
    ],
    [
      'an MSAL-style authority naming another tenant',
      {
        tenantId: TENANT,
        clientId: CLIENT,
        authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
      },
      /authority names a tenant \('contoso\.onmicrosoft\.com'\) but tenantId is .*authority: 'https:\/\/login\.microsoftonline\.com'/,
    ],
    [
      'an authority with a version',
      { tenantId: TENANT, clientId: CLIENT, authority: 'https://login.microsoftonline.com/v2.0' },
      /without a version: use authority: 'https:\/\/login\.microsoftonline\.com'/,
    ],
    [
      'a jwks that is not an object',
      { tenantId: TENANT, clientId: CLIENT, jwks: 5 },
      /jwks must be an object/,
    ],
    [
      'a negative cooldown',
      { tenantId: TENANT, clientId: CLIENT, jwks: { cooldownSeconds: -1 } },
      /non-negative/,
    ],
    ['a zero timeout', { tenantId: TENANT, clientId: CLIENT, jwks: { timeoutMs: 0 } }, /positive/],
    [
      'an empty tokenVersions',
      { tenantId: TENANT, clientId: CLIENT, tokenVersions: [] },
      /tokenVersions must not be empty/,
    ],
    [
      'an unknown token version',
      { tenantId: TENANT, clientId: CLIENT, tokenVersions: ['3.0'] },
      /only '1.0' and '2.0'/,
    ],
    ['an HMAC algorithm', { tenantId: TENANT, clientId: CLIENT, algorithms: ['HS256'] }, /only 'RS256'/],
    ['an empty algorithm list', { tenantId: TENANT, clientId: CLIENT, algorithms: [] }, /must not be empty/],
    [
      'an empty client allow-list',
      { tenantId: TENANT, clientId: CLIENT, allowedClientIds: [] },
      /allowedClientIds must not be empty/,
    ],
    [
      'a non-boolean allowGuests',
      { tenantId: TENANT, clientId: CLIENT, allowGuests: 'no' },
      /allowGuests must be true or false/,
    ],
    ['a tiny maxTokenLength', { tenantId: TENANT, clientId: CLIENT, maxTokenLength: 10 }, /at least 256/],
    ['a NaN tolerance', { tenantId: TENANT, clientId: CLIENT, clockToleranceSeconds: Number.NaN }, /finite/],
    [
      'a clock that is not a function',
      { tenantId: TENANT, clientId: CLIENT, clock: 5 },
      /clock must be a function/,
    ],
    [
      'a fetch that is not a function',
      { tenantId: TENANT, clientId: CLIENT, fetch: 'x' },
      /fetch must be a function/,
    ],
    [
      'an onEvent that is not a function',
      { tenantId: TENANT, clientId: CLIENT, onEvent: {} },
      /onEvent must be a function/,
    ],
    ['a bad token cache', { tenantId: TENANT, clientId: CLIENT, tokenCache: 5 }, /tokenCache must be/],
    [
      'a fractional token cache size',
      { tenantId: TENANT, clientId: CLIENT, tokenCache: { max: 1.5 } },
      /whole number/,
    ],
  ])('%s', (_name, options, message) => {
    expect(configError(options)).toMatch(message);
  });

  test('messages never echo long option names back', () => {
    expect(configError({ tenantId: TENANT, clientId: CLIENT, ['x'.repeat(500)]: 1 }).length).toBeLessThan(
      600,
    );
  });
});

describe('defaults and normalisation', () => {
  test('clientId alone accepts the client id and api://{clientId}', () => {
    const o = resolveConfig({ tenantId: TENANT.toUpperCase(), clientId: CLIENT.toUpperCase() });
    expect([...o.audiences]).toEqual([CLIENT, `api://${CLIENT}`]);
    expect(o.tenantId).toBe(TENANT);
  });

  test('audience wins over clientId; GUID audiences are lower-cased, URIs kept', () => {
    const o = resolveConfig({
      tenantId: TENANT,
      clientId: CLIENT,
      audience: ['api://My-API', CLIENT.toUpperCase()],
    });
    expect([...o.audiences]).toEqual(['api://My-API', CLIENT]);
  });

  test('the documented defaults', () => {
    const o = resolveConfig({ tenantId: TENANT, audience: 'api://x' });
    expect(o.cloud).toBe('public');
    expect([...o.tokenVersions]).toEqual(['1.0', '2.0']);
    expect([...o.algorithms]).toEqual(['RS256']);
    expect(o.clockToleranceSeconds).toBe(300);
    expect(o.maxTokenAgeSeconds).toBeUndefined();
    expect(o.allowGuests).toBe(true);
    expect(o.requireScopeOrRole).toBe(true);
    expect(o.maxTokenLength).toBe(16384);
    expect(o.jwks).toEqual({
      refreshIntervalSeconds: 3600,
      cooldownSeconds: 30,
      maxStaleSeconds: 86400,
      timeoutMs: 5000,
      maxResponseBytes: 1048576,
    });
    expect(o.tokenCacheMax).toBe(5000);
    expect(o.clock).toBe(Date.now);
  });

  test('tokenCache: false turns the cache off', () => {
    expect(resolveConfig({ tenantId: TENANT, clientId: CLIENT, tokenCache: false }).tokenCacheMax).toBe(0);
    expect(resolveConfig({ tenantId: TENANT, clientId: CLIENT, tokenCache: { max: 10 } }).tokenCacheMax).toBe(
      10,
    );
  });

  test('loopback http authorities are accepted, for tests', () => {
    for (const authority of [
      'http://127.0.0.1:8080',
      'http://localhost:1',
      'http://[::1]:3000',
      'http://127.1.2.3',
    ]) {
      expect(resolveConfig({ tenantId: TENANT, clientId: CLIENT, authority }).authority).toBe(
        authority.replace(/\/$/, ''),
      );
    }
  });

  test('an MSAL-style authority that names the configured tenant is used as its base: the tenant is never doubled', async () => {
    const seen: string[] = [];
    const fetch = async (url: string) => {
      seen.push(url);
      return new Response('{}', { status: 404 });
    };
    for (const [authority, tenantId] of [
      ['https://login.microsoftonline.com/contoso.onmicrosoft.com', 'contoso.onmicrosoft.com'],
      ['https://login.microsoftonline.com/Contoso.onmicrosoft.com/', 'contoso.onmicrosoft.com'],
      [`https://login.microsoftonline.com/${TENANT}/v2.0`, TENANT],
      ['https://login.microsoftonline.com/organizations/oauth2/v2.0', 'organizations'],
    ] as const) {
      const o = resolveConfig({
        tenantId,
        clientId: CLIENT,
        authority,
        allowAnyTenant: tenantId === 'organizations',
      });
      expect(o.authority).toBe('https://login.microsoftonline.com');
      const v = createEntraValidator({
        tenantId,
        clientId: CLIENT,
        authority,
        fetch,
        allowAnyTenant: tenantId === 'organizations',
      });
      await v.warmUp().catch(() => undefined);
      expect(seen.pop()).toBe(
        `https://login.microsoftonline.com/${tenantId}/v2.0/.well-known/openid-configuration`,
      );
    }
    // A path that is not a tenant (a gateway's prefix) is kept as it is.
    expect(
      resolveConfig({ tenantId: TENANT, clientId: CLIENT, authority: 'https://gateway.example.com/entra' })
        .authority,
    ).toBe('https://gateway.example.com/entra');
  });

  test.each([
    ['tenantID', 'tenantId'],
    ['clientID', 'clientId'],
    ['clockSkew', 'clockToleranceSeconds'],
    ['clockTolerance', 'clockToleranceSeconds'],
    ['identityMetadata', 'discoveryUrl'],
    ['validateIssuer', 'allowedTenants'],
    ['issuerBaseURL', 'authority'],
    ['jwksUri', 'discoveryUrl'],
    ['issuer', 'discoveryUrl'],
    ['tokenSigningAlg', 'algorithms'],
    ['maxTokenAge', 'maxTokenAgeSeconds'],
    ['isB2C', "'b2c'"],
    ['policyName', 'b2c.policies'],
    ['audiences', "'audience'"],
    ['alowGuests', "'allowGuests'"],
  ])("another library's or a mistyped option %s: did you mean %s", (name, hint) => {
    const e = (() => {
      try {
        resolveConfig({ tenantId: TENANT, clientId: CLIENT, [name]: true } as never);
      } catch (error) {
        return error as Error;
      }
      throw new Error('no error');
    })();
    expect(e).toBeInstanceOf(EntraConfigError);
    expect(e.message).toMatch(new RegExp(`^Unknown option '${name}': did you mean [^?]*${hint}`));
  });

  test('domains, aliases and verified domains are valid tenants', () => {
    for (const tenantId of ['contoso.onmicrosoft.com', 'consumers', 'Organizations']) {
      expect(() =>
        createEntraValidator({ tenantId, clientId: CLIENT, allowAnyTenant: tenantId === 'Organizations' }),
      ).not.toThrow();
    }
  });

  test('a multi-tenant validator with a predicate is accepted', () => {
    expect(() =>
      createEntraValidator({ tenantId: 'common', clientId: CLIENT, allowedTenants: () => true }),
    ).not.toThrow();
  });

  test('creating a validator makes no request', () => {
    let calls = 0;
    createEntraValidator({
      tenantId: TENANT,
      clientId: CLIENT,
      fetch: async () => {
        calls++;
        return new Response('{}');
      },
    });
    expect(calls).toBe(0);
  });

  test('config is exposed, normalised and frozen', () => {
    const v = createEntraValidator({
      tenantId: 'organizations',
      clientId: CLIENT,
      allowAnyTenant: true,
      cloud: 'usgov',
    });
    expect(v.config).toEqual({
      tenantId: 'organizations',
      clientId: CLIENT,
      audiences: [CLIENT, `api://${CLIENT}`],
      authority: 'https://login.microsoftonline.us',
      discoveryUrl: 'https://login.microsoftonline.us/organizations/v2.0/.well-known/openid-configuration',
      multiTenant: true,
      flavour: 'workforce',
      policies: undefined,
      tokenVersions: ['1.0', '2.0'],
      clockToleranceSeconds: 300,
      maxTokenLength: 16384,
    });
    expect(Object.isFrozen(v.config)).toBe(true);
  });
});
