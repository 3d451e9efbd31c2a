import { createLocalJWKSet, createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CreateTokenOptions, createMockEntra, type MockEntra } from '../src/index.js';
import { CONSUMERS, decode, getJson, OTHER_TENANT, v1DiscoveryPath, v2DiscoveryPath } from './http.js';

// The kit and jose share this clock; 500 ms past the second checks that times are whole seconds.
let nowMs = Date.UTC(2026, 0, 15, 10, 0, 0) + 500;
const now = () => Math.floor(nowMs / 1000);
let entra: MockEntra;
beforeAll(async () => {
  entra = await createMockEntra({ clock: () => nowMs });
});
afterAll(() => entra.close());

const GRAPH = '00000003-0000-0000-c000-000000000000';
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Verifies as a relying party would: discovery of the token's tenant and version, then jose
 * against the served jwks_uri, checking issuer and audience.
 */
async function verify(
  token: string,
  audience: string,
  { version = '2.0', tenant = entra.tenantId }: { version?: string; tenant?: string } = {},
): Promise<JWTPayload> {
  const doc = await getJson(entra, version === '1.0' ? v1DiscoveryPath(tenant) : v2DiscoveryPath(tenant));
  const keys = createRemoteJWKSet(new URL(doc.jwks_uri));
  const { payload } = await jwtVerify(token, keys, {
    issuer: doc.issuer,
    audience,
    algorithms: ['RS256'],
    currentDate: new Date(nowMs),
  });
  return payload;
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; claim?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; claim?: string };
  }
  throw new Error('expected a rejection');
}

describe('every kind and version verifies against the served keys and issuer', () => {
  const audiences = {
    delegated: () => [entra.clientId, entra.audience],
    app: () => [entra.clientId, entra.audience],
    guest: () => [entra.clientId, entra.audience],
    graph: () => [GRAPH, 'https://graph.microsoft.com'],
    id: () => [entra.clientAppId, entra.clientAppId],
  } as const;
  for (const kind of ['delegated', 'app', 'guest', 'graph', 'id'] as const) {
    for (const version of ['2.0', '1.0'] as const) {
      test(`${kind} v${version}`, async () => {
        const audience = audiences[kind]()[version === '2.0' ? 0 : 1]!;
        const token = entra.createToken({}, { kind, version });
        const payload = await verify(token, audience, { version });
        expect(payload.ver).toBe(version);
        expect(payload.tid).toBe(entra.tenantId);
        expect(payload.iss).toBe(version === '2.0' ? entra.issuer : entra.issuerV1);
        expect(payload).toMatchObject({ iat: now(), nbf: now(), exp: now() + 3600 });
        const { header } = decode(token);
        expect(header.kid).toBe(entra.currentKid);
        expect(header.alg).toBe('RS256');
        expect(header.x5t).toBe(version === '1.0' ? entra.currentKid : undefined);
        expect('nonce' in header).toBe(kind === 'graph');
      });
    }
  }
});

describe('claims of each kind', () => {
  test('v2 delegated: the claims of a real v2 access token, in Entra order', () => {
    const { header, payload } = decode(entra.createToken());
    expect(header).toEqual({ typ: 'JWT', alg: 'RS256', kid: entra.currentKid });
    expect(Object.keys(payload)).toEqual([
      'aud',
      'iss',
      'iat',
      'nbf',
      'exp',
      'aio',
      'azp',
      'azpacr',
      'name',
      'oid',
      'preferred_username',
      'rh',
      'scp',
      'sid',
      'sub',
      'tid',
      'uti',
      'ver',
    ]);
    expect(payload).toMatchObject({
      aud: entra.clientId,
      iss: `${entra.authority}/${entra.tenantId}/v2.0`,
      azp: entra.clientAppId,
      azpacr: '0',
      name: 'Ada Lovelace',
      preferred_username: `ada@${entra.domain}`,
      scp: 'access_as_user',
      tid: entra.tenantId,
      ver: '2.0',
    });
    expect(payload.oid).toMatch(GUID);
    expect(payload.sid).toMatch(GUID);
    expect(payload.sub).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(payload.uti).toMatch(BASE64URL);
    expect(payload.rh).toMatch(/^0\.A[A-Za-z0-9_-]+\.$/);
    expect(typeof payload.aio).toBe('string');
  });

  test('v1 delegated: api:// audience, sts issuer, appid, upn, x5t in the header', () => {
    const { header, payload } = decode(entra.createToken({}, { version: '1.0' }));
    expect(header).toEqual({ typ: 'JWT', alg: 'RS256', x5t: entra.currentKid, kid: entra.currentKid });
    expect(Object.keys(payload)).toEqual([
      'aud',
      'iss',
      'iat',
      'nbf',
      'exp',
      'acr',
      'aio',
      'amr',
      'appid',
      'appidacr',
      'family_name',
      'given_name',
      'ipaddr',
      'name',
      'oid',
      'rh',
      'scp',
      'sub',
      'tid',
      'unique_name',
      'upn',
      'uti',
      'ver',
    ]);
    expect(payload).toMatchObject({
      aud: `api://${entra.clientId}`,
      iss: `https://sts.windows.net/${entra.tenantId}/`,
      acr: '1',
      amr: ['pwd'],
      appid: entra.clientAppId,
      appidacr: '0',
      family_name: 'Lovelace',
      given_name: 'Ada',
      ipaddr: '127.0.0.1',
      unique_name: `ada@${entra.domain}`,
      upn: `ada@${entra.domain}`,
      scp: 'access_as_user',
      ver: '1.0',
    });
    // The same user as in v2 tokens.
    expect(payload.oid).toBe(decode(entra.createToken()).payload.oid);
  });

  test('app-only: roles and idtyp, no scp or user names; oid = sub = the service principal', () => {
    for (const version of ['2.0', '1.0'] as const) {
      const { payload } = decode(entra.createToken({}, { kind: 'app', version }));
      expect(payload.roles).toEqual(['access_as_application']);
      expect(payload.idtyp).toBe('app');
      expect(payload.oid).toMatch(GUID);
      expect(payload.sub).toBe(payload.oid);
      expect(payload.oid).not.toBe(decode(entra.createToken()).payload.oid);
      for (const claim of ['scp', 'name', 'preferred_username', 'upn', 'unique_name', 'given_name']) {
        expect(payload, claim).not.toHaveProperty(claim);
      }
      if (version === '2.0') {
        expect(payload).toMatchObject({ azp: entra.clientAppId, azpacr: '1' });
        expect(payload).not.toHaveProperty('appid');
      } else {
        // v1 app tokens name their own tenant as idp, which is not a guest marker.
        expect(payload).toMatchObject({ appid: entra.clientAppId, appidacr: '1', idp: payload.iss });
        expect(payload).not.toHaveProperty('azp');
      }
    }
  });

  test('guest: acct 1, idp of another home tenant, #EXT# user name', () => {
    const v2 = decode(entra.createToken({}, { kind: 'guest' })).payload;
    expect(v2.acct).toBe(1);
    expect(v2.idp).toMatch(/^https:\/\/sts\.windows\.net\/[0-9a-f-]{36}\/$/);
    expect(v2.idp).not.toContain(entra.tenantId);
    expect(v2.preferred_username).toBe(`grace_fabrikam.com#EXT#@${entra.domain}`);
    expect(v2.scp).toBe('access_as_user');
    expect(v2.oid).not.toBe(decode(entra.createToken()).payload.oid);
    const v1 = decode(entra.createToken({}, { kind: 'guest', version: '1.0' })).payload;
    expect(v1).toMatchObject({
      acct: 1,
      idp: v2.idp,
      upn: v2.preferred_username,
      unique_name: v2.preferred_username,
    });
    expect(v1.iss).toBe(entra.issuerV1);
  });

  test('graph: Graph audience and scopes, a nonce in the header', () => {
    const v2 = decode(entra.createToken({}, { kind: 'graph' }));
    expect(v2.payload.aud).toBe(GRAPH);
    expect(v2.payload.scp).toBe('User.Read openid profile email');
    expect(v2.header.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Object.keys(v2.header)).toEqual(['typ', 'nonce', 'alg', 'kid']);
    const v1 = decode(entra.createToken({}, { kind: 'graph', version: '1.0' }));
    expect(v1.payload.aud).toBe('https://graph.microsoft.com');
    expect(v1.header.nonce).not.toBe(v2.header.nonce);
    expect(Object.keys(v1.header)).toEqual(['typ', 'nonce', 'alg', 'x5t', 'kid']);
  });

  test('id: the client app as audience, a nonce claim, no scp, roles, azp or appid', () => {
    const { payload } = decode(entra.createToken({}, { kind: 'id' }));
    expect(payload).toMatchObject({
      aud: entra.clientAppId,
      iss: entra.issuer,
      name: 'Ada Lovelace',
      preferred_username: `ada@${entra.domain}`,
      tid: entra.tenantId,
      ver: '2.0',
    });
    expect(payload.nonce).toMatch(BASE64URL);
    for (const claim of ['scp', 'roles', 'azp', 'azpacr', 'appid'])
      expect(payload, claim).not.toHaveProperty(claim);
    // sub is pairwise: the same user has another sub for the client app than for the API.
    const access = decode(entra.createToken()).payload;
    expect(payload.oid).toBe(access.oid);
    expect(payload.sub).not.toBe(access.sub);
    expect(payload.sub).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('every token has its own uti and aio', () => {
    const a = decode(entra.createToken()).payload;
    const b = decode(entra.createToken()).payload;
    expect(a.uti).not.toBe(b.uti);
    expect(a.aio).not.toBe(b.aio);
  });
});

describe('times', () => {
  test('expired: exp well in the past, rejected by jose', async () => {
    const token = entra.createToken({}, { issuedAt: -7200, expiresIn: 3600 });
    expect(decode(token).payload).toMatchObject({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 });
    expect((await rejection(verify(token, entra.clientId))).code).toBe('ERR_JWT_EXPIRED');
  });

  test('not yet valid: nbf in the future, rejected by jose', async () => {
    const token = entra.createToken({}, { issuedAt: 600, notBefore: 600 });
    expect(decode(token).payload).toMatchObject({ iat: now() + 600, nbf: now() + 600, exp: now() + 4200 });
    const error = await rejection(verify(token, entra.clientId));
    expect(error.code).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    expect(error.claim).toBe('nbf');
  });

  test('notBefore alone moves nbf; the kit reads its clock on every token', () => {
    expect(decode(entra.createToken({}, { notBefore: -30 })).payload).toMatchObject({
      iat: now(),
      nbf: now() - 30,
    });
    const before = now();
    nowMs += 90_000;
    try {
      expect(decode(entra.createToken()).payload.iat).toBe(before + 90);
    } finally {
      nowMs -= 90_000;
    }
  });
});

describe('claims and header overrides', () => {
  test('claims merge over the defaults in place; undefined removes; new claims come last', () => {
    const { payload } = decode(
      entra.createToken({ scp: 'Orders.Read', nbf: undefined, wids: ['x'], aud: ['a', 'b'] }),
    );
    expect(payload.scp).toBe('Orders.Read');
    expect(payload.aud).toEqual(['a', 'b']);
    expect(payload).not.toHaveProperty('nbf');
    expect(Object.keys(payload)[0]).toBe('aud');
    expect(Object.keys(payload).at(-1)).toBe('wids');
  });

  test('a claim named __proto__ is serialized as an own claim', () => {
    const token = entra.createToken(JSON.parse('{"__proto__": {"isAdmin": true}}'));
    const raw = Buffer.from(token.split('.')[1]!, 'base64url').toString();
    expect(raw).toContain('"__proto__":{"isAdmin":true}');
  });

  test('header fields merge and undefined removes them', () => {
    const { header } = decode(entra.createToken({}, { header: { typ: undefined, jku: 'http://x', kid: 7 } }));
    expect(header).toEqual({ alg: 'RS256', kid: 7, jku: 'http://x' });
  });

  test('an RSA alg in the header signs with it; another alg only changes the header', async () => {
    const keys = createLocalJWKSet(entra.jwks() as never);
    const rs384 = entra.createToken({}, { header: { alg: 'RS384' } });
    await expect(
      jwtVerify(rs384, keys, { algorithms: ['RS384'], currentDate: new Date(nowMs) }),
    ).resolves.toBeTruthy();
    const ps256 = entra.createToken({}, { header: { alg: 'PS256' } });
    await expect(
      jwtVerify(ps256, keys, { algorithms: ['PS256'], currentDate: new Date(nowMs) }),
    ).resolves.toBeTruthy();
    const none = entra.createToken({}, { header: { alg: 'none' } });
    expect(decode(none).header.alg).toBe('none');
    expect(none.split('.')[2]).toMatch(/^[A-Za-z0-9_-]{342}$/);
  });
});

describe('tenants', () => {
  test('tenantId issues as another tenant: iss and tid of that tenant, verified against its documents', async () => {
    const v2 = entra.createToken({}, { tenantId: OTHER_TENANT });
    expect(decode(v2).payload).toMatchObject({ tid: OTHER_TENANT, iss: entra.issuerFor(OTHER_TENANT) });
    await verify(v2, entra.clientId, { tenant: OTHER_TENANT });
    expect((await rejection(verify(v2, entra.clientId))).code).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    const v1 = entra.createToken({}, { tenantId: OTHER_TENANT, version: '1.0' });
    expect(decode(v1).payload.iss).toBe(`https://sts.windows.net/${OTHER_TENANT}/`);
    await verify(v1, entra.audience, { tenant: OTHER_TENANT, version: '1.0' });
  });

  test('aliases resolve to their GUID: consumers and the domain', async () => {
    const msa = decode(entra.createToken({}, { tenantId: 'consumers' })).payload;
    expect(msa).toMatchObject({ tid: CONSUMERS, iss: `${entra.authority}/${CONSUMERS}/v2.0` });
    expect(decode(entra.createToken({}, { tenantId: entra.domain })).payload.tid).toBe(entra.tenantId);
    await verify(entra.createToken({}, { tenantId: CONSUMERS }), entra.clientId, { tenant: 'consumers' });
  });
});

describe('signing keys', () => {
  test('an unpublished key fails verification; its header kid is fresh unless given', async () => {
    const token = entra.createToken({}, { signWith: 'unpublished' });
    const { header } = decode(token);
    expect(header.kid).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(header.kid).not.toBe(entra.currentKid);
    expect(decode(entra.createToken({}, { signWith: 'unpublished' })).header.kid).not.toBe(header.kid);
    expect((await rejection(verify(token, entra.clientId))).code).toBe('ERR_JWKS_NO_MATCHING_KEY');
    // Under a published kid, the signature is what fails.
    const spoof = entra.createToken({}, { signWith: 'unpublished', kid: entra.currentKid });
    expect(decode(spoof).header.kid).toBe(entra.currentKid);
    expect((await rejection(verify(spoof, entra.clientId))).code).toBe(
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    );
  });

  test('a kid the kit does not hold goes in the header over the current key’s signature', async () => {
    const token = entra.createToken({}, { kid: 'not-a-kit-key', version: '1.0' });
    expect(decode(token).header).toMatchObject({ kid: 'not-a-kit-key', x5t: 'not-a-kit-key' });
    const [current] = entra.jwks().keys;
    const renamed = createLocalJWKSet({ keys: [{ ...current, kid: 'not-a-kit-key' }] } as never);
    await expect(jwtVerify(token, renamed, { currentDate: new Date(nowMs) })).resolves.toBeTruthy();
  });
});

describe('mistakes are TypeErrors', () => {
  test.each([
    [{ kind: 'user' }],
    [{ version: '3.0' }],
    [{ expiresIn: Number.NaN }],
    [{ signWith: 'published' }],
    [{ expires: 60 }],
    [{ header: 'x' }],
    [{ kid: 1 }],
  ])('%j', (options) => {
    expect(() => entra.createToken({}, options as CreateTokenOptions)).toThrow(TypeError);
  });

  test('claims that are not an object', () => {
    expect(() => entra.createToken([] as never)).toThrow(TypeError);
  });
});

test('validatorOptions points a validator at the kit; extra options are added and win', () => {
  expect(entra.validatorOptions()).toEqual({
    tenantId: entra.tenantId,
    clientId: entra.clientId,
    authority: entra.authority,
  });
  expect(entra.validatorOptions({ tenantId: 'organizations', allowAnyTenant: true })).toEqual({
    tenantId: 'organizations',
    clientId: entra.clientId,
    authority: entra.authority,
    allowAnyTenant: true,
  });
  expect(entra.audience).toBe(`api://${entra.clientId}`);
});
