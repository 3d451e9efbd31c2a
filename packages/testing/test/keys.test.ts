import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMockEntra, type MockEntra } from '../src/index.js';
import { decode, getJson, OTHER_TENANT, v1KeysPath, v2KeysPath } from './http.js';

let entra: MockEntra;
beforeAll(async () => {
  entra = await createMockEntra();
});
afterAll(() => entra.close());

const servedKids = async (path = v2KeysPath(entra.tenantId)) =>
  (await getJson(entra, path)).keys.map((k: Record<string, unknown>) => k.kid);

/** jose with a fresh key set fetched from the served v2 jwks_uri (no cache carried between calls). */
async function verifies(token: string): Promise<string> {
  const keys = createRemoteJWKSet(new URL(`${entra.authority}${v2KeysPath(entra.tenantId)}`));
  try {
    await jwtVerify(token, keys, { issuer: entra.issuer, audience: entra.clientId });
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe('rotation', () => {
  test('rotateKeys: a new signer, published next to the previous one', async () => {
    const oldKid = entra.currentKid;
    const oldToken = entra.createToken();
    const kid = await entra.rotateKeys();
    expect(kid).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(kid).not.toBe(oldKid);
    expect(entra.currentKid).toBe(kid);
    expect(await servedKids()).toEqual([oldKid, kid]);
    expect(await servedKids(v1KeysPath('common'))).toEqual([oldKid, kid]);
    const token = entra.createToken();
    expect(decode(token).header.kid).toBe(kid);
    expect(await verifies(token)).toBe('ok');
    expect(await verifies(oldToken)).toBe('ok');
    expect(await verifies(entra.createToken({}, { kid: oldKid }))).toBe('ok');
  });

  test('rotateKeys({ keepPrevious: false }): the previous signer is no longer published', async () => {
    const before = await servedKids();
    const previous = entra.currentKid;
    const oldToken = entra.createToken();
    const kid = await entra.rotateKeys({ keepPrevious: false });
    const after = await servedKids();
    expect(after).not.toContain(previous);
    expect(after).toEqual([...before.filter((k: string) => k !== previous), kid]);
    expect(await verifies(oldToken)).toBe('ERR_JWKS_NO_MATCHING_KEY');
    expect(await verifies(entra.createToken())).toBe('ok');
  });
});

describe('extra keys', () => {
  test('addKey: published but not the signer, usable with { kid }; removeKey stops serving it', async () => {
    const signer = entra.currentKid;
    const kid = await entra.addKey();
    expect(entra.currentKid).toBe(signer);
    expect(await servedKids()).toContain(kid);
    const token = entra.createToken({}, { kid });
    expect(decode(token).header.kid).toBe(kid);
    expect(await verifies(token)).toBe('ok');

    entra.removeKey(kid);
    expect(await servedKids()).not.toContain(kid);
    expect(await servedKids(v1KeysPath(entra.tenantId))).not.toContain(kid);
    // Still signable: a token under a withdrawn key.
    expect(decode(entra.createToken({}, { kid })).header.kid).toBe(kid);
    expect(await verifies(entra.createToken({}, { kid }))).toBe('ERR_JWKS_NO_MATCHING_KEY');
    entra.removeKey(kid); // idempotent for a key the kit holds
    expect(() => entra.removeKey('no-such-kid')).toThrow(TypeError);
  });

  test('addKey({ publish: false }): held, never served', async () => {
    const kid = await entra.addKey({ publish: false, modulusLength: 1024 }); // never verified: size is moot
    expect(await servedKids()).not.toContain(kid);
    expect(await verifies(entra.createToken({}, { kid }))).toBe('ERR_JWKS_NO_MATCHING_KEY');
  });

  test('addKey({ issuer }): that issuer in every v2 set, none in v1 sets; null: no issuer property', async () => {
    const foreign = `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`;
    const [kid, bare] = await Promise.all([
      entra.addKey({ issuer: foreign, modulusLength: 1024 }), // only inspected, never verified
      entra.addKey({ issuer: null, modulusLength: 1024 }),
    ]);
    for (const segment of [entra.tenantId, 'common', 'consumers']) {
      const keys = (await getJson(entra, v2KeysPath(segment))).keys;
      expect(keys.find((k: any) => k.kid === kid).issuer, segment).toBe(foreign);
      expect(
        keys.find((k: any) => k.kid === bare),
        segment,
      ).not.toHaveProperty('issuer');
      expect(keys.find((k: any) => k.kid === entra.currentKid).issuer).not.toBe(foreign);
    }
    const v1 = (await getJson(entra, v1KeysPath(entra.tenantId))).keys;
    expect(v1.find((k: any) => k.kid === kid)).not.toHaveProperty('issuer');
    entra.removeKey(kid);
    entra.removeKey(bare);
  });

  test('addKey({ use, modulusLength }): published with that use and size', async () => {
    const kid = await entra.addKey({ use: 'enc', modulusLength: 1024 });
    const key = entra.jwks().keys.find((k) => k.kid === kid)!;
    expect(key.use).toBe('enc');
    expect(Buffer.from(key.n as string, 'base64url').length).toBe(128);
    entra.removeKey(kid);
    await expect(entra.addKey({ modulusLength: 100 })).rejects.toThrow(TypeError);
    await expect(entra.addKey({ publsh: false } as never)).rejects.toThrow(TypeError);
  });
});

describe('raw JWKs', () => {
  test('appended as-is after the kit’s keys in every key set, and removable by kid', async () => {
    const ec = { kty: 'EC', crv: 'P-256', kid: 'ec', x: 'AAAA', y: 'AAAA' };
    const small = { kty: 'RSA', kid: 'small', n: 'AQAB'.repeat(40), e: 'AQAB', use: 'sig' };
    entra.addRawJwk(ec);
    entra.addRawJwk(small);
    ec.kid = 'mutated after adding';
    for (const path of [v2KeysPath(entra.tenantId), v2KeysPath('organizations'), v1KeysPath('common')]) {
      const keys = (await getJson(entra, path)).keys;
      expect(keys.slice(-2), path).toEqual([{ ...ec, kid: 'ec' }, small]);
      expect(keys.slice(0, -2).every((k: any) => k.kty === 'RSA' && k.use === 'sig' && k.x5c)).toBe(true);
    }
    expect(entra.jwks().keys.slice(-2)).toEqual([{ ...ec, kid: 'ec' }, small]);
    entra.removeKey('ec');
    entra.removeKey('small');
    expect(await servedKids()).not.toContain('ec');
    expect(() => entra.addRawJwk(null as never)).toThrow(TypeError);
  });
});
