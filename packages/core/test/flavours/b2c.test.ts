// Azure AD B2C through the public API: a kit impersonating a B2C tenant (a document and key set per
// policy, B2C-shaped tokens), and B2C's real document shape served at its real host names.
import { generateKeyPairSync, sign } from 'node:crypto';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createEntraValidator,
  type EntraEvent,
  type EntraValidator,
  type EntraValidatorOptions,
  requireScopes,
} from '../../src/index.js';
import { codeOf, errorOf, ManualClock } from '../helpers.js';

const SIGNIN = 'B2C_1_signupsignin';
const RESET = 'B2C_1_passwordreset';
const clock = new ManualClock();
let b2c: MockEntra<'b2c'>;
let tfpKit: MockEntra<'b2c'>;

beforeAll(async () => {
  [b2c, tfpKit] = await Promise.all([
    createMockEntra({ flavour: 'b2c', policies: [SIGNIN, RESET], clock: clock.fn }),
    createMockEntra({ flavour: 'b2c', policies: [SIGNIN], issuerFormat: 'tfp', clock: clock.fn }),
  ]);
});
afterAll(async () => {
  await Promise.all([b2c?.close(), tfpKit?.close()]);
});

function validatorOf(kit: MockEntra<'b2c'>, extra: Partial<EntraValidatorOptions> = {}) {
  const events: EntraEvent[] = [];
  const validator = createEntraValidator({
    ...kit.validatorOptions(),
    clock: clock.fn,
    onEvent: (e: EntraEvent) => events.push(e),
    ...(extra as object),
  } as EntraValidatorOptions);
  return { validator, events };
}

const docPath = (kit: MockEntra<'b2c'>, policy: string) =>
  `/${kit.domain}/${policy}/v2.0/.well-known/openid-configuration`;
const keysPath = (kit: MockEntra<'b2c'>, policy: string) => `/${kit.domain}/${policy}/discovery/v2.0/keys`;

async function refusal(validator: EntraValidator, token: string) {
  const e = await errorOf(validator.verify(token));
  return { code: e.code, check: e.check, status: e.status };
}

describe('accepted B2C tokens', () => {
  test('a user token of a configured policy: ver 1.0, no tid, sub = the user, the policy on the principal', async () => {
    const { validator } = validatorOf(b2c);
    const token = b2c.createToken({ scp: 'Orders.Read' });
    const principal = await validator.verify(token);
    expect(principal).toMatchObject({
      tenantId: b2c.tenantId,
      objectId: '2e8f0c1a-5d4b-4a3e-9c7f-8b6a5d4c3e21',
      subject: '2e8f0c1a-5d4b-4a3e-9c7f-8b6a5d4c3e21',
      clientId: b2c.clientAppId,
      scopes: ['Orders.Read'],
      roles: [],
      isAppOnly: false,
      isGuest: false,
      tokenVersion: '1.0',
      name: 'Ada Lovelace',
      policy: SIGNIN,
    });
    expect(principal.claims.tid).toBeUndefined();
    expect(JSON.parse(JSON.stringify(principal)).policy).toBe(SIGNIN);
    expect(() => requireScopes(principal, 'Orders.Read')).not.toThrow();
    validator.close();
  });

  test('a payload nonce does not make a B2C access token an ID token; a real ID token is still refused', async () => {
    const { validator } = validatorOf(b2c);
    const token = b2c.createToken();
    expect(JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).nonce).toBeTypeOf(
      'string',
    );
    expect(await codeOf(validator.verify(token))).toBe('ok');
    expect(await refusal(validator, b2c.createToken({}, { kind: 'id' }))).toEqual({
      code: 'foreign_token',
      check: 'foreign',
      status: 401,
    });
    expect(await refusal(validator, b2c.createToken({ at_hash: 'x' }))).toMatchObject({
      code: 'foreign_token',
    });
    validator.close();
  });

  test('the policy is compared without case, and read from acr when tfp is absent (older policies)', async () => {
    const { validator } = validatorOf(b2c);
    const upper = await validator.verify(b2c.createToken({ tfp: SIGNIN.toUpperCase() }));
    expect(upper.policy).toBe(SIGNIN);
    const acr = await validator.verify(b2c.createToken({ tfp: undefined, acr: RESET.toLowerCase() }));
    expect(acr.policy).toBe(RESET);
    validator.close();
  });

  test('oid only when the user flow emits it: without it, sub is the object id', async () => {
    const { validator } = validatorOf(b2c);
    const principal = await validator.verify(b2c.createToken({ oid: undefined }));
    expect(principal.objectId).toBe(principal.subject);
    expect(principal.isAppOnly).toBe(false);
    validator.close();
  });

  test('a social account (idp) is a customer, not a guest, even with allowGuests: false', async () => {
    const { validator } = validatorOf(b2c, { allowGuests: false });
    const principal = await validator.verify(b2c.createToken({ idp: 'google.com' }));
    expect(principal.isGuest).toBe(false);
    validator.close();
  });

  test('a tid, when present, must be the issuer tenant', async () => {
    const { validator } = validatorOf(b2c);
    expect(await codeOf(validator.verify(b2c.createToken({ tid: b2c.tenantId })))).toBe('ok');
    expect(
      await refusal(validator, b2c.createToken({ tid: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6' })),
    ).toEqual({
      code: 'invalid_issuer',
      check: 'tid',
      status: 401,
    });
    validator.close();
  });

  test('client credentials: the app permissions are in scp, and nothing but idtyp marks the token app-only', async () => {
    const { validator } = validatorOf(b2c);
    const principal = await validator.verify(b2c.createToken({}, { kind: 'app' }));
    expect(principal.scopes).toEqual(['access_as_application']);
    expect(principal.isAppOnly).toBe(false);
    expect((await validator.verify(b2c.createToken({ idtyp: 'app' }, { kind: 'app' }))).isAppOnly).toBe(true);
    validator.close();
  });

  test('the tfp issuer form: accepted when the policy announces it, the other form refused', async () => {
    const { validator } = validatorOf(tfpKit);
    expect(tfpKit.issuer).toBe(`${tfpKit.authority}/tfp/${tfpKit.tenantId}/${SIGNIN}/v2.0/`);
    expect(await codeOf(validator.verify(tfpKit.createToken()))).toBe('ok');
    const tenantForm = tfpKit.createToken({ iss: `${tfpKit.authority}/${tfpKit.tenantId}/v2.0/` });
    expect(await refusal(validator, tenantForm)).toEqual({
      code: 'invalid_issuer',
      check: 'iss',
      status: 401,
    });
    validator.close();
  });

  test('the tenant named by GUID: the metadata URL carries the GUID', async () => {
    const { b2c: options, clientId } = b2c.validatorOptions();
    const validator = createEntraValidator({
      b2c: { ...options, tenantId: b2c.tenantId },
      clientId,
      clock: clock.fn,
    });
    expect(validator.config.discoveryUrl).toBe(
      `${b2c.authority}/${b2c.tenantId}/${SIGNIN}/v2.0/.well-known/openid-configuration`,
    );
    expect(await codeOf(validator.verify(b2c.createToken()))).toBe('ok');
    validator.close();
  });
});

describe('refused B2C tokens', () => {
  test('another policy: invalid_issuer, check policy, before any request', async () => {
    const { validator, events } = validatorOf(b2c);
    b2c.resetCounts();
    const other = b2c.createToken({}, { policy: 'B2C_1_someone_else' });
    expect(await refusal(validator, other)).toEqual({ code: 'invalid_issuer', check: 'policy', status: 401 });
    expect(b2c.requestCount()).toBe(0);
    expect(events.at(-1)).toMatchObject({ type: 'token_rejected', code: 'invalid_issuer', check: 'policy' });
    validator.close();
  });

  test('neither tfp nor acr, or a policy claim that is not a string: refused (policy), no request', async () => {
    const { validator } = validatorOf(b2c);
    b2c.resetCounts();
    for (const claims of [{ tfp: undefined }, { tfp: 42 }, { tfp: undefined, acr: ['B2C_1_signupsignin'] }]) {
      expect(await refusal(validator, b2c.createToken(claims))).toEqual({
        code: 'invalid_issuer',
        check: 'policy',
        status: 401,
      });
    }
    expect(b2c.requestCount()).toBe(0);
    validator.close();
  });

  test('another B2C tenant signed by the same keys: invalid_issuer (iss)', async () => {
    const { validator } = validatorOf(b2c);
    const token = b2c.createToken({}, { tenantId: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6' });
    expect(await refusal(validator, token)).toEqual({ code: 'invalid_issuer', check: 'iss', status: 401 });
    validator.close();
  });

  test('a workforce token of the same tenant (v2 issuer on the B2C host) is refused', async () => {
    const { validator } = validatorOf(b2c);
    const token = b2c.createToken({ iss: `${b2c.authority}/${b2c.tenantId}/v2.0` });
    expect(await refusal(validator, token)).toMatchObject({ code: 'invalid_issuer', check: 'iss' });
    validator.close();
  });

  test('no scp and no roles: missing_permissions (requireScopeOrRole: false lets it through)', async () => {
    const { validator } = validatorOf(b2c);
    expect(await refusal(validator, b2c.createToken({ scp: undefined }))).toEqual({
      code: 'missing_permissions',
      check: 'scp',
      status: 403,
    });
    const open = validatorOf(b2c, { requireScopeOrRole: false }).validator;
    expect(await codeOf(open.verify(b2c.createToken({ scp: undefined })))).toBe('ok');
    validator.close();
    open.close();
  });

  test("tokenVersions ['1.0'] keeps accepting B2C (its tokens say 1.0)", async () => {
    const { validator } = validatorOf(b2c, { tokenVersions: ['1.0'] });
    expect(await codeOf(validator.verify(b2c.createToken()))).toBe('ok');
    validator.close();
  });
});

describe('metadata and keys: one document and key set per policy', () => {
  test('100 concurrent cold verifications fetch each policy’s document and keys once', async () => {
    const { validator } = validatorOf(b2c);
    b2c.resetCounts();
    const tokens = Array.from({ length: 100 }, (_, i) =>
      b2c.createToken({ uti: `t${i}` }, { policy: i % 2 === 0 ? SIGNIN : RESET }),
    );
    const codes = await Promise.all(tokens.map((t) => codeOf(validator.verify(t))));
    expect(new Set(codes)).toEqual(new Set(['ok']));
    for (const policy of [SIGNIN, RESET]) {
      expect(b2c.requestCount(docPath(b2c, policy))).toBe(1);
      expect(b2c.requestCount(keysPath(b2c, policy))).toBe(1);
    }
    expect(b2c.requestCount()).toBe(4);
    validator.close();
  });

  test('warmUp fetches every policy’s document and keys, one request each', async () => {
    const { validator } = validatorOf(b2c);
    b2c.resetCounts();
    await validator.warmUp();
    expect(b2c.requestCount()).toBe(4);
    expect(b2c.requestCount(docPath(b2c, RESET))).toBe(1);
    expect(await codeOf(validator.verify(b2c.createToken({}, { policy: RESET })))).toBe('ok');
    expect(b2c.requestCount()).toBe(4);
    validator.close();
  });

  test('a document announcing another tenant’s issuer is a configuration error at warmUp', async () => {
    const { b2c: options, clientId } = b2c.validatorOptions();
    const validator = createEntraValidator({ b2c: { ...options, tenantId: b2c.tenantId }, clientId });
    b2c.setMetadataOverrides({ issuer: `${b2c.authority}/0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6/v2.0/` });
    try {
      await expect(validator.warmUp()).rejects.toThrow(/check b2c.domain and b2c.tenantId/);
    } finally {
      b2c.setMetadataOverrides(null);
      validator.close();
    }
  });

  test('a tenant the B2C host does not serve: keys_unavailable, never a verified token', async () => {
    const { b2c: options, clientId } = b2c.validatorOptions();
    const validator = createEntraValidator({
      b2c: { ...options, tenantId: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6' },
      clientId,
    });
    await expect(validator.warmUp()).rejects.toMatchObject({ code: 'keys_unavailable' });
    expect(await codeOf(validator.verify(b2c.createToken()))).toBe('keys_unavailable');
    validator.close();
  });
});

describe("B2C's real document shape at its real host names", () => {
  const TENANT = '775527ff-9a37-4307-8b3d-cc311f58d925';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = {
    kid: 'X5eXk4xyojNFum1kl2Ytv8dlNP4-c57dO6QGTVBwaNk',
    nbf: 1493763266,
    use: 'sig',
    kty: 'RSA',
    ...publicKey.export({ format: 'jwk' }),
  };

  function document(host: string, issuer: string) {
    return {
      issuer,
      authorization_endpoint: `https://${host}/contoso.onmicrosoft.com/oauth2/v2.0/authorize?p=b2c_1_signupsignin`,
      token_endpoint: `https://${host}/contoso.onmicrosoft.com/oauth2/v2.0/token?p=b2c_1_signupsignin`,
      end_session_endpoint: `https://${host}/contoso.onmicrosoft.com/oauth2/v2.0/logout?p=b2c_1_signupsignin`,
      jwks_uri: `https://${host}/contoso.onmicrosoft.com/discovery/v2.0/keys?p=b2c_1_signupsignin`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      response_types_supported: [
        'code',
        'code id_token',
        'code token',
        'code id_token token',
        'id_token',
        'id_token token',
        'token',
        'token id_token',
      ],
      scopes_supported: ['openid'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      claims_supported: [
        'name',
        'sub',
        'idp',
        'oid',
        'tfp',
        'iss',
        'iat',
        'exp',
        'aud',
        'acr',
        'nonce',
        'auth_time',
      ],
    };
  }

  function serve(host: string, issuer: string) {
    const seen: string[] = [];
    const routes: Record<string, unknown> = {
      [`https://${host}/contoso.onmicrosoft.com/B2C_1_signupsignin/v2.0/.well-known/openid-configuration`]:
        document(host, issuer),
      [`https://${host}/contoso.onmicrosoft.com/discovery/v2.0/keys?p=b2c_1_signupsignin`]: { keys: [jwk] },
    };
    const fetch = async (url: string) => {
      seen.push(url);
      const body = routes[url];
      return body === undefined ? new Response('not found', { status: 404 }) : Response.json(body);
    };
    return { fetch, seen };
  }

  function mint(iss: string) {
    const now = Math.floor(Date.now() / 1000);
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const h = b64({ typ: 'JWT', alg: 'RS256', kid: jwk.kid });
    const p = b64({
      iss,
      exp: now + 3600,
      nbf: now,
      aud: 'f2a76e08-93f2-4350-833c-965c02483b11',
      oid: '1558f87f-452b-4757-bcd1-883a1a3b1d2c',
      sub: '1558f87f-452b-4757-bcd1-883a1a3b1d2c',
      name: 'David',
      tfp: 'B2C_1_signupsignin',
      nonce: 'anyRandomValue',
      scp: 'read',
      azp: '38307aee-303c-4fff-8087-d8d2a1b2c3d4',
      ver: '1.0',
      iat: now,
    });
    return `${h}.${p}.${sign('sha256', Buffer.from(`${h}.${p}`), privateKey).toString('base64url')}`;
  }

  test.each([
    ['contoso.b2clogin.com', `https://contoso.b2clogin.com/${TENANT}/v2.0/`],
    ['login.contoso.com', `https://login.contoso.com/${TENANT}/v2.0/`],
    ['contoso.b2clogin.com', `https://contoso.b2clogin.com/tfp/${TENANT}/b2c_1_signupsignin/v2.0/`],
  ])('%s announcing %s: its tokens verify, with a ?p= key set on the same host', async (host, issuer) => {
    const { fetch, seen } = serve(host, issuer);
    const validator = createEntraValidator({
      b2c: { domain: host, tenantId: 'contoso.onmicrosoft.com', policies: ['B2C_1_signupsignin'] },
      clientId: 'f2a76e08-93f2-4350-833c-965c02483b11',
      fetch,
    });
    const principal = await validator.verify(mint(issuer));
    expect(principal).toMatchObject({ tenantId: TENANT, policy: 'B2C_1_signupsignin', scopes: ['read'] });
    expect(seen).toHaveLength(2);
    // A token naming the other form, or the other domain, is refused.
    const other = issuer.includes('/tfp/')
      ? `https://${host}/${TENANT}/v2.0/`
      : `https://${host}/tfp/${TENANT}/B2C_1_signupsignin/v2.0/`;
    expect(await codeOf(validator.verify(mint(other)))).toBe('invalid_issuer');
    validator.close();
  });

  test('a document announcing an issuer on another host is refused', async () => {
    const { fetch } = serve('contoso.b2clogin.com', `https://evil.example/${TENANT}/v2.0/`);
    const validator = createEntraValidator({
      b2c: {
        domain: 'contoso.b2clogin.com',
        tenantId: 'contoso.onmicrosoft.com',
        policies: ['B2C_1_signupsignin'],
      },
      clientId: 'f2a76e08-93f2-4350-833c-965c02483b11',
      fetch,
    });
    await expect(validator.warmUp()).rejects.toThrow(/check b2c.domain and b2c.tenantId/);
    expect(await codeOf(validator.verify(mint(`https://evil.example/${TENANT}/v2.0/`)))).toBe(
      'keys_unavailable',
    );
  });
});
