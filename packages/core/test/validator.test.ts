import { describe, expect, test } from 'vitest';
import { createEntraValidator, decodeTokenUnverified, EntraConfigError } from '../src/index.js';
import { codeOf, errorOf, OTHER_TENANT, useMockEntra, validatorFor } from './helpers.js';

const { entra, clock } = useMockEntra();

const payloadOf = (token: string) => decodeTokenUnverified(token)?.payload ?? {};

describe('valid tokens', () => {
  test('a v2 delegated token gives a normalised, frozen principal', async () => {
    const { validator } = validatorFor(entra(), clock);
    const token = entra().createToken({ scp: 'Orders.Read Orders.Write' });
    const p = await validator.verify(token);
    expect(p.tenantId).toBe(entra().tenantId);
    expect(p.objectId).toBe(p.claims.oid);
    expect(p.subject).toBe(p.claims.sub);
    expect(p.clientId).toBe(entra().clientAppId);
    expect(p.scopes).toEqual(['Orders.Read', 'Orders.Write']);
    expect(p.roles).toEqual([]);
    expect(p.isAppOnly).toBe(false);
    expect(p.isGuest).toBe(false);
    expect(p.tokenVersion).toBe('2.0');
    expect(p.username).toBe(`ada@${entra().domain}`);
    expect(p.name).toBe('Ada Lovelace');
    expect(p.expiresAt.getTime()).toBe((p.claims.exp as number) * 1000);
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.claims)).toBe(true);
    expect(Object.isFrozen(p.scopes)).toBe(true);
  });

  test('a v1 token: api:// audience, sts issuer from the v1 document (fetched lazily), upn, appid', async () => {
    const { validator } = validatorFor(entra(), clock);
    entra().resetCounts();
    await validator.verify(entra().createToken());
    const v1Path = `/${entra().tenantId}/.well-known/openid-configuration`;
    expect(entra().requestCount(v1Path)).toBe(0);
    const p = await validator.verify(entra().createToken({}, { version: '1.0' }));
    expect(entra().requestCount(v1Path)).toBe(1);
    expect(p.tokenVersion).toBe('1.0');
    expect(p.claims.iss).toBe(entra().issuerV1);
    expect(p.clientId).toBe(entra().clientAppId);
    expect(p.username).toBe(p.claims.upn);
    await validator.verify(entra().createToken({ uti: 'another' }, { version: '1.0' }));
    expect(entra().requestCount(v1Path)).toBe(1);
  });

  test('an app-only token: roles, no scopes, isAppOnly', async () => {
    const { validator } = validatorFor(entra(), clock);
    const p = await validator.verify(entra().createToken({ roles: ['Orders.Read.All'] }, { kind: 'app' }));
    expect(p.isAppOnly).toBe(true);
    expect(p.roles).toEqual(['Orders.Read.All']);
    expect(p.scopes).toEqual([]);
    expect(p.username).toBeUndefined();
  });

  // Real Microsoft-signed v1 app-only tokens (Bot Framework; the Azure AD Graph resource) carry
  // exactly these claims: no oid, no sub, no roles, no scp.
  test.each([
    ['Bot Framework', 'https://api.botframework.com', {}],
    ['Azure AD Graph', '00000002-0000-0000-c000-000000000000', { rh: '0.AAAA', tenant_region_scope: 'NA' }],
  ])('a real v1 app-only token without oid and sub (%s) is accepted', async (_name, aud, extra) => {
    const kit = entra();
    const now = Math.floor(clock.now / 1000);
    const claims: Record<string, unknown> = {
      aud,
      iss: `https://sts.windows.net/${kit.tenantId}/`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      aio: 'E2ZgYJj/Z8H5+ucVDvXDPh1c9ZCAAA==',
      appid: '3e9a4f5c-1b2d-4e6f-8a7b-9c0d1e2f3a4b',
      appidacr: '2',
      idp: `https://sts.windows.net/${kit.tenantId}/`,
      tid: kit.tenantId,
      uti: 'kQ3BvU8Wk0e2Zl9dWJ0xAA',
      ver: '1.0',
      ...extra,
    };
    // Replace the kit's defaults entirely: only these claims, in Entra's order.
    const defaults = Object.keys(payloadOf(kit.createToken({}, { version: '1.0', kind: 'app' })));
    const removed = Object.fromEntries(defaults.filter((k) => !(k in claims)).map((k) => [k, undefined]));
    const token = kit.createToken({ ...removed, ...claims }, { version: '1.0', kind: 'app' });
    expect(Object.keys(payloadOf(token)).sort()).toEqual(Object.keys(claims).sort());

    const lenient = validatorFor(kit, clock, { audience: aud, requireScopeOrRole: false }).validator;
    const principal = await lenient.verify(token);
    expect(principal.objectId).toBeUndefined();
    expect(principal.subject).toBeUndefined();
    expect(principal.isAppOnly).toBe(true);
    expect(principal.isGuest).toBe(false);
    expect(principal.tenantId).toBe(kit.tenantId);
    expect(principal.clientId).toBe('3e9a4f5c-1b2d-4e6f-8a7b-9c0d1e2f3a4b');
    // With the default requireScopeOrRole, it is a permission question (403), not a malformed token.
    const strict = validatorFor(kit, clock, { audience: aud }).validator;
    expect(await codeOf(strict.verify(token))).toBe('missing_permissions');
    // With an application permission granted, the default accepts it too.
    const granted = kit.createToken(
      { ...removed, ...claims, roles: ['Bot.Send'] },
      { version: '1.0', kind: 'app' },
    );
    expect((await strict.verify(granted)).objectId).toBeUndefined();
  });

  test('without idtyp, a token with no scp is app-only', async () => {
    const { validator } = validatorFor(entra(), clock);
    const p = await validator.verify(
      entra().createToken({ idtyp: undefined, roles: ['R'] }, { kind: 'app' }),
    );
    expect(p.isAppOnly).toBe(true);
    const q = await validator.verify(entra().createToken({ idtyp: 'user', scp: '', roles: ['R'] }));
    expect(q.isAppOnly).toBe(false);
    expect(q.scopes).toEqual([]);
  });

  test('guests are recognised, and refused when allowGuests is false', async () => {
    const guest = entra().createToken({}, { kind: 'guest' });
    expect((await validatorFor(entra(), clock).validator.verify(guest)).isGuest).toBe(true);
    expect(await codeOf(validatorFor(entra(), clock, { allowGuests: false }).validator.verify(guest))).toBe(
      'guest_not_allowed',
    );
    expect(
      await codeOf(
        validatorFor(entra(), clock, { allowGuests: false }).validator.verify(
          entra().createToken({ acct: 1 }),
        ),
      ),
    ).toBe('guest_not_allowed');
    expect(
      await codeOf(
        validatorFor(entra(), clock, { allowGuests: false }).validator.verify(entra().createToken()),
      ),
    ).toBe('ok');
  });

  test('authenticate() reads an Authorization header', async () => {
    const { validator } = validatorFor(entra(), clock);
    const token = entra().createToken();
    expect((await validator.authenticate(`Bearer ${token}`)).tenantId).toBe(entra().tenantId);
    expect((await validator.authenticate(`bearer ${token}`)).tenantId).toBe(entra().tenantId);
    expect(await codeOf(validator.authenticate(undefined))).toBe('missing_token');
    expect(await codeOf(validator.authenticate(`Basic ${token}`))).toBe('missing_token');
    expect(await codeOf(validator.authenticate(`Bearer ${token} x`))).toBe('invalid_request');
    expect(await codeOf(validator.authenticate(`Bearer ${token}`.replace('.', '+')))).toBe('malformed_token');
  });

  test('audience: a list, a custom App ID URI, and refusals', async () => {
    const token = entra().createToken({ aud: 'api://orders' });
    expect(await codeOf(validatorFor(entra(), clock).validator.verify(token))).toBe('invalid_audience');
    const v = createEntraValidator({
      ...entra().validatorOptions({ clock: clock.fn }),
      audience: ['api://other', 'api://orders'],
    } as never);
    expect(await codeOf(v.verify(token))).toBe('ok');
    expect(await codeOf(v.verify(entra().createToken({ aud: ['x', 'api://orders'] })))).toBe('ok');
    for (const aud of [[], 42, null, ['api://ORDERS'], 'api://orders/', [1]]) {
      expect(await codeOf(v.verify(entra().createToken({ aud })))).toBe('invalid_audience');
    }
  });
});

describe('claims refused after the signature', () => {
  test.each([
    [
      'expired beyond the tolerance',
      () => entra().createToken({}, { issuedAt: -7200, expiresIn: 3600 }),
      'token_expired',
    ],
    [
      'not yet valid beyond the tolerance',
      () => entra().createToken({}, { issuedAt: 600, notBefore: 600 }),
      'token_not_yet_valid',
    ],
    [
      'issued in the future',
      () => entra().createToken({ nbf: undefined }, { issuedAt: 900 }),
      'token_not_yet_valid',
    ],
    ['no exp', () => entra().createToken({ exp: undefined }), 'malformed_token'],
    ['exp as a string', () => entra().createToken({ exp: '9999999999' }), 'malformed_token'],
    ['exp as null', () => entra().createToken({ exp: null }), 'malformed_token'],
    ['nbf as a string', () => entra().createToken({ nbf: 'soon' }), 'malformed_token'],
    ['another tenant', () => entra().createToken({}, { tenantId: OTHER_TENANT }), 'invalid_issuer'],
    ['iss with a trailing slash', () => entra().createToken({ iss: `${entra().issuer}/` }), 'invalid_issuer'],
    ['iss in upper case', () => entra().createToken({ iss: entra().issuer.toUpperCase() }), 'invalid_issuer'],
    ['iss as an array', () => entra().createToken({ iss: [entra().issuer] }), 'invalid_issuer'],
    [
      'a v1 token with the v2 issuer',
      () => entra().createToken({ iss: entra().issuer }, { version: '1.0' }),
      'invalid_issuer',
    ],
    ['no ver', () => entra().createToken({ ver: undefined }), 'unsupported_token_version'],
    ['ver 3.0', () => entra().createToken({ ver: '3.0' }), 'unsupported_token_version'],
    ['ver as a number', () => entra().createToken({ ver: 2 }), 'unsupported_token_version'],
    ['an ID token', () => entra().createToken({}, { kind: 'id' }), 'foreign_token'],
    [
      'an ID token for the API itself',
      () => entra().createToken({ aud: entra().clientId }, { kind: 'id' }),
      'foreign_token',
    ],
    [
      'an Azure Resource Manager token',
      () => entra().createToken({ aud: 'https://management.azure.com/' }),
      'foreign_token',
    ],
    ['a token for another API', () => entra().createToken({ aud: 'api://billing' }), 'invalid_audience'],
    ['neither scp nor roles', () => entra().createToken({ scp: undefined }), 'missing_permissions'],
    ['empty scp and roles', () => entra().createToken({ scp: '', roles: [] }), 'missing_permissions'],
    ['scp as an array', () => entra().createToken({ scp: ['a'] }), 'malformed_token'],
    ['roles as a string', () => entra().createToken({ roles: 'Admin' }), 'malformed_token'],
    ['roles with a number', () => entra().createToken({ roles: ['a', 1] }), 'malformed_token'],
    [
      'a user token (scp) with no oid and no sub',
      () => entra().createToken({ oid: undefined, sub: undefined }),
      'malformed_token',
    ],
  ])('%s → %s', async (_name, make, code) => {
    const { validator } = validatorFor(entra(), clock);
    expect(await codeOf(validator.verify(make()))).toBe(code);
  });

  test('the clock tolerance is honoured on both sides', async () => {
    const { validator } = validatorFor(entra(), clock, { clockToleranceSeconds: 60 });
    expect(
      await codeOf(validator.verify(entra().createToken({}, { issuedAt: -3650, expiresIn: 3600 }))),
    ).toBe('ok');
    expect(
      await codeOf(validator.verify(entra().createToken({}, { issuedAt: -3661, expiresIn: 3600 }))),
    ).toBe('token_expired');
    expect(await codeOf(validator.verify(entra().createToken({}, { issuedAt: 50 })))).toBe('ok');
    expect(await codeOf(validator.verify(entra().createToken({}, { issuedAt: 61 })))).toBe(
      'token_not_yet_valid',
    );
  });

  test('maxTokenAgeSeconds refuses old tokens, and tokens without iat', async () => {
    const { validator } = validatorFor(entra(), clock, { maxTokenAgeSeconds: 600, clockToleranceSeconds: 0 });
    expect(await codeOf(validator.verify(entra().createToken({}, { issuedAt: -599 })))).toBe('ok');
    expect(await codeOf(validator.verify(entra().createToken({}, { issuedAt: -601 })))).toBe('token_too_old');
    expect(await codeOf(validator.verify(entra().createToken({ iat: undefined })))).toBe('token_too_old');
  });

  test('requireScopeOrRole: false accepts tokens with neither', async () => {
    const { validator } = validatorFor(entra(), clock, { requireScopeOrRole: false });
    expect((await validator.verify(entra().createToken({ scp: undefined }))).scopes).toEqual([]);
  });

  test('tokenVersions: a v1 token on a v2-only API', async () => {
    const { validator } = validatorFor(entra(), clock, { tokenVersions: ['2.0'] });
    expect(await codeOf(validator.verify(entra().createToken({}, { version: '1.0' })))).toBe(
      'unsupported_token_version',
    );
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
    const v1only = validatorFor(entra(), clock, { tokenVersions: ['1.0'] }).validator;
    expect(await codeOf(v1only.verify(entra().createToken()))).toBe('unsupported_token_version');
  });

  test('allowedClientIds: azp (v2) and appid (v1)', async () => {
    const { validator } = validatorFor(entra(), clock, {
      allowedClientIds: [entra().clientAppId.toUpperCase()],
    });
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
    expect(await codeOf(validator.verify(entra().createToken({}, { version: '1.0' })))).toBe('ok');
    expect(await codeOf(validator.verify(entra().createToken({ azp: OTHER_TENANT })))).toBe(
      'client_not_allowed',
    );
    expect(
      await codeOf(validator.verify(entra().createToken({ azp: undefined, appid: undefined, roles: ['x'] }))),
    ).toBe('client_not_allowed');
  });
});

describe('header and signature', () => {
  test.each([
    [
      'a Graph token (nonce in the header)',
      () => entra().createToken({}, { kind: 'graph' }),
      'foreign_token',
    ],
    [
      'a Graph audience without nonce',
      () => entra().createToken({ aud: '00000003-0000-0000-c000-000000000000' }),
      'foreign_token',
    ],
    ['a v1 Graph token', () => entra().createToken({}, { kind: 'graph', version: '1.0' }), 'foreign_token'],
    ['alg none', () => entra().createToken({}, { header: { alg: 'none' } }), 'unsupported_algorithm'],
    ['alg HS256', () => entra().createToken({}, { header: { alg: 'HS256' } }), 'unsupported_algorithm'],
    [
      'alg RS384 (not allowed)',
      () => entra().createToken({}, { header: { alg: 'RS384' } }),
      'unsupported_algorithm',
    ],
    ['no alg', () => entra().createToken({}, { header: { alg: undefined } }), 'malformed_token'],
    ['no kid', () => entra().createToken({}, { header: { kid: undefined } }), 'malformed_token'],
    ['a numeric kid', () => entra().createToken({}, { header: { kid: 7 } }), 'malformed_token'],
    ['crit', () => entra().createToken({}, { header: { crit: ['exp'] } }), 'malformed_token'],
    ['typ at+jwt', () => entra().createToken({}, { header: { typ: 'at+jwt' } }), 'malformed_token'],
    ['an unpublished key', () => entra().createToken({}, { signWith: 'unpublished' }), 'unknown_signing_key'],
  ])('%s → %s', async (_name, make, code) => {
    const { validator } = validatorFor(entra(), clock);
    expect(await codeOf(validator.verify(make()))).toBe(code);
  });

  test('typ may be absent or JWT in any case', async () => {
    const { validator } = validatorFor(entra(), clock);
    expect(await codeOf(validator.verify(entra().createToken({}, { header: { typ: undefined } })))).toBe(
      'ok',
    );
    expect(await codeOf(validator.verify(entra().createToken({}, { header: { typ: 'jwt' } })))).toBe('ok');
  });

  test('jku, x5u, jwk and x5c in the header are never used', async () => {
    const { validator } = validatorFor(entra(), clock);
    entra().resetCounts();
    const token = entra().createToken(
      {},
      {
        header: {
          jku: `${entra().authority}/evil/keys`,
          x5u: `${entra().authority}/evil/x5u`,
          jwk: { kty: 'RSA' },
          x5c: ['MIIB'],
        },
      },
    );
    expect(await codeOf(validator.verify(token))).toBe('ok');
    expect(entra().requestCount(`/evil/keys`)).toBe(0);
    expect(entra().requestCount(`/evil/x5u`)).toBe(0);
  });

  test('a tampered payload, a spliced signature, a forged token that is also expired', async () => {
    const { validator } = validatorFor(entra(), clock);
    const [h, p, s] = entra().createToken({ scp: 'User' }).split('.') as [string, string, string];
    const admin = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), scp: 'Admin' }),
    ).toString('base64url');
    expect(await codeOf(validator.verify(`${h}.${admin}.${s}`))).toBe('invalid_signature');
    const other = entra().createToken({ scp: 'Other' }).split('.')[2];
    expect(await codeOf(validator.verify(`${h}.${p}.${other}`))).toBe('invalid_signature');
    const expired = entra().createToken({}, { issuedAt: -7200, expiresIn: 3600 }).split('.');
    expect(await codeOf(validator.verify(`${expired[0]}.${expired[1]}.${s}`))).toBe('invalid_signature');
    const short = Buffer.from(s, 'base64url').subarray(0, 200).toString('base64url');
    expect(await codeOf(validator.verify(`${h}.${p}.${short}`))).toBe('invalid_signature');
    // One character short: a length of 1 mod 4 is never base64url, whatever the characters.
    expect(await codeOf(validator.verify(`${h}.${p}.${s.slice(0, -1)}`))).toBe('malformed_token');
  });

  test.each([
    ['not a string', 42],
    ['empty', ''],
    ['two segments', 'a.b'],
    ['four segments', 'a.b.c.d'],
    ['five segments (JWE)', 'a.b.c.d.e'],
    ['padding', 'eyJhbGciOiJSUzI1NiJ9=.e30.AA'],
    ['a header that is not JSON', 'bm90IGpzb24.e30.AA'],
  ])('malformed: %s', async (_name, token) => {
    const { validator } = validatorFor(entra(), clock);
    expect(await codeOf(validator.verify(token as string))).toBe('malformed_token');
  });

  test('tokens over maxTokenLength are refused before decoding', async () => {
    const { validator } = validatorFor(entra(), clock, { maxTokenLength: 1000 });
    expect(await codeOf(validator.verify(entra().createToken({ pad: 'x'.repeat(1000) })))).toBe(
      'malformed_token',
    );
  });

  test('a forged token never reaches the network more than the key lookup', async () => {
    const { validator } = validatorFor(entra(), clock);
    await validator.warmUp();
    entra().resetCounts();
    const [h, p] = entra().createToken().split('.');
    expect(await codeOf(validator.verify(`${h}.${p}.${'A'.repeat(342)}`))).toBe('invalid_signature');
    expect(entra().requestCount()).toBe(0);
  });

  test('Graph tokens are refused before any request', async () => {
    const { validator } = validatorFor(entra(), clock);
    entra().resetCounts();
    const e = await errorOf(validator.verify(entra().createToken({}, { kind: 'graph' })));
    expect(e.code).toBe('foreign_token');
    expect(e.message).toMatch(/Microsoft Graph/);
    expect(entra().requestCount()).toBe(0);
  });
});

describe('parsed headers', () => {
  test("a header another validator parsed is still checked against this one's algorithms", async () => {
    // The same header segment, RS384: accepted by one validator's algorithms, not by the other's.
    const token = entra().createToken({}, { header: { alg: 'RS384' } });
    const lenient = validatorFor(entra(), clock, { algorithms: ['RS256', 'RS384'] }).validator;
    const strict = validatorFor(entra(), clock).validator;
    expect(await codeOf(lenient.verify(token))).toBe('ok');
    expect(await codeOf(strict.verify(token))).toBe('unsupported_algorithm');
    expect(await codeOf(lenient.verify(token))).toBe('ok');
  });
});

describe('the verified-token cache', () => {
  test('a token verified twice is cached: the same frozen principal after, without a signature check', async () => {
    const { validator } = validatorFor(entra(), clock);
    const token = entra().createToken();
    // Cached on its second verification: a token presented once is never stored.
    const once = await validator.verify(token);
    const first = await validator.verify(token);
    expect(first).not.toBe(once);
    const second = await validator.verify(token);
    expect(second).toBe(first);
    expect(() => {
      (first.claims as Record<string, unknown>).scp = 'Admin';
    }).toThrow(TypeError);
    expect(() => (first.scopes as string[]).push('Admin')).toThrow(TypeError);
    first.expiresAt.setTime(0);
    expect(second.expiresAt.getTime()).toBe((first.claims.exp as number) * 1000);
    // JSON keeps every field, expiresAt as an ISO date.
    const json = JSON.parse(JSON.stringify(first));
    expect(json).toMatchObject({
      tenantId: first.tenantId,
      objectId: first.objectId,
      scopes: [...first.scopes],
    });
    expect(json.expiresAt).toBe(new Date((first.claims.exp as number) * 1000).toISOString());
  });

  test('a cached token still expires', async () => {
    const { validator } = validatorFor(entra(), clock, { clockToleranceSeconds: 0 });
    const token = entra().createToken({}, { expiresIn: 60 });
    expect(await codeOf(validator.verify(token))).toBe('ok');
    clock.advance(61);
    try {
      expect(await codeOf(validator.verify(token))).toBe('token_expired');
    } finally {
      clock.advance(-61);
    }
  });

  test('tokenCache: false verifies every time (same result, new object)', async () => {
    const { validator } = validatorFor(entra(), clock, { tokenCache: false });
    const token = entra().createToken();
    const a = await validator.verify(token);
    const b = await validator.verify(token);
    expect(b).not.toBe(a);
    expect(b.objectId).toBe(a.objectId);
  });

  test('a token that ends like a cached one (same signature, other payload) is verified, not served', async () => {
    const { validator } = validatorFor(entra(), clock);
    const token = entra().createToken({ scp: 'Orders.Read' });
    await validator.verify(token);
    const cached = await validator.verify(token);
    const [header, , signature] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...cached.claims, scp: 'Admin' })).toString(
      'base64url',
    );
    const forged = `${header}.${forgedPayload}.${signature}`;
    expect(forged.slice(-43)).toBe(token.slice(-43));
    expect(await codeOf(validator.verify(forged))).toBe('invalid_signature');
    expect(await codeOf(validator.authenticate(`Bearer ${forged}`))).toBe('invalid_signature');
    // The cached token is still served after the forgery was refused.
    expect(await validator.authenticate(`Bearer ${token}`)).toBe(cached);
  });

  test('authenticate serves a cached token however the header spells the scheme, and checks the rest as before', async () => {
    const { validator } = validatorFor(entra(), clock);
    const token = entra().createToken();
    await validator.verify(token);
    const first = await validator.verify(token);
    for (const header of [
      `Bearer ${token}`,
      `bearer   ${token}`,
      `BEARER ${token} \t`,
      `  Bearer ${token}`,
      [`Bearer ${token}`],
    ]) {
      expect(await validator.authenticate(header)).toBe(first);
    }
    for (const header of [
      `Bearer ${token}"`,
      `Bearer ${token}, Bearer ${token}`,
      `Bearer\t${token}`,
      `Basic ${token}`,
    ]) {
      expect(await codeOf(validator.authenticate(header))).not.toBe('ok');
    }
  });

  test('the cache is bounded: the least recently used token leaves first', async () => {
    const { validator } = validatorFor(entra(), clock, { tokenCache: { max: 2 } });
    const [a, b, c] = [1, 2, 3].map((i) => entra().createToken({ uti: `u${i}` })) as [string, string, string];
    // Each verified twice (cached on the second).
    await validator.verify(a);
    const pa = await validator.verify(a);
    await validator.verify(b);
    const pb = await validator.verify(b);
    expect(await validator.verify(a)).toBe(pa); // a is now the most recently used
    await validator.verify(c);
    const pc = await validator.verify(c); // evicts b
    expect(await validator.verify(a)).toBe(pa);
    expect(await validator.verify(c)).toBe(pc);
    expect(await validator.verify(b)).not.toBe(pb);
  });

  test('tokens presented once are remembered as bits, forgotten after max tokens: a lasting stream of new tokens caches none', async () => {
    const { validator } = validatorFor(entra(), clock, { tokenCache: { max: 4 } });
    const tokens = Array.from({ length: 12 }, (_, i) => entra().createToken({ uti: `s${i}` }));
    // Each token twice in a row: cached on the second verification, served on the third.
    const [t0] = tokens as [string];
    await validator.verify(t0);
    const cached = await validator.verify(t0);
    expect(await validator.verify(t0)).toBe(cached);
    // A stream of new tokens, each once: none is stored, so t0 (stored, recently used) stays.
    for (const t of tokens.slice(1)) await validator.verify(t);
    expect(await validator.verify(t0)).toBe(cached);
    // The bits were cleared after max tokens: t1, seen once long ago, is verified and not yet stored.
    const again = await validator.verify(tokens[1] as string);
    expect(await validator.verify(tokens[1] as string)).not.toBe(again);
  });
});

describe('warmUp, events, errors', () => {
  test('warmUp fetches the v2 document and its key set, one request each; verification then needs none', async () => {
    const { validator, events } = validatorFor(entra(), clock);
    entra().resetCounts();
    await validator.warmUp();
    expect(entra().requestCount()).toBe(2);
    expect(entra().requestCount(`/${entra().tenantId}/v2.0/.well-known/openid-configuration`)).toBe(1);
    expect(entra().requestCount(`/${entra().tenantId}/discovery/v2.0/keys`)).toBe(1);
    await validator.verify(entra().createToken());
    expect(entra().requestCount()).toBe(2);
    expect(events.map((e) => e.type)).toEqual(['metadata_fetched', 'keys_fetched', 'token_verified']);
    expect(events[1]).toMatchObject({ type: 'keys_fetched', trigger: 'warm_up', keyCount: 1 });
  });

  test('rejections are reported by code, and no event carries the token', async () => {
    const { validator, events } = validatorFor(entra(), clock);
    const token = entra().createToken({}, { issuedAt: -7200, expiresIn: 3600 });
    await codeOf(validator.verify(token));
    expect(events.at(-1)).toEqual({
      type: 'token_rejected',
      code: 'token_expired',
      check: 'exp',
      durationMs: expect.any(Number),
    });
    const serialized = JSON.stringify(events);
    for (const part of token.split('.')) expect(serialized).not.toContain(part);
  });

  test('a throwing event listener never breaks verification', async () => {
    const v = createEntraValidator(
      entra().validatorOptions({
        clock: clock.fn,
        onEvent: () => {
          throw new Error('listener bug');
        },
      }) as never,
    );
    expect(await codeOf(v.verify(entra().createToken()))).toBe('ok');
  });

  test('a discovery document for another tenant fails warmUp with a configuration error', async () => {
    const v = createEntraValidator({
      ...entra().validatorOptions({ clock: clock.fn }),
      tenantId: OTHER_TENANT,
    } as never);
    entra().setMetadataOverrides({ issuer: entra().issuer });
    try {
      const e = await v.warmUp().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(e).toBeInstanceOf(EntraConfigError);
      expect((e as Error).message).toMatch(/check tenantId/);
      expect(await codeOf(v.verify(entra().createToken()))).toBe('keys_unavailable');
    } finally {
      entra().setMetadataOverrides(null);
    }
  });

  test('error messages never contain the token, the kid, or the expected issuer, audience or tenant', async () => {
    const { validator } = validatorFor(entra(), clock);
    const tokens = [
      entra().createToken({ aud: 'api://attacker-"chosen"' }),
      entra().createToken({}, { tenantId: OTHER_TENANT }),
      entra().createToken({}, { signWith: 'unpublished', kid: 'kid-"injection"\r\n' }),
      entra().createToken({}, { header: { alg: 'none"\\' } }),
    ];
    for (const token of tokens) {
      const e = await errorOf(validator.verify(token));
      const text = `${e.message} ${e.wwwAuthenticate}`;
      for (const secret of [
        token,
        entra().issuer,
        entra().clientId,
        entra().tenantId,
        OTHER_TENANT,
        'attacker',
        'injection',
        entra().currentKid,
      ]) {
        expect(text).not.toContain(secret);
      }
    }
  });

  test('close() is safe to call twice and verification still works', async () => {
    const { validator } = validatorFor(entra(), clock);
    await validator.warmUp();
    validator.close();
    validator.close();
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
  });
});
