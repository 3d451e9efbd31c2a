// The portable path (WebCrypto, no node:crypto / node:buffer), as on Deno, Bun without the builtin,
// and edge workers: the same answers as the native path.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasNativeCrypto, useNativeCrypto } from '../src/crypto.js';
import { codeOf, useMockEntra, validatorFor } from './helpers.js';

const { entra, clock } = useMockEntra();

test('keys imported natively are imported for WebCrypto on first use after a switch', async () => {
  const { validator } = validatorFor(entra(), clock, { tokenCache: false });
  const token = entra().createToken();
  expect(await codeOf(validator.verify(token))).toBe('ok');
  useNativeCrypto(false);
  try {
    expect(await codeOf(validator.verify(token))).toBe('ok');
    expect(await codeOf(validator.verify(entra().createToken({}, { header: { alg: 'RS384' } })))).toBe(
      'unsupported_algorithm',
    );
  } finally {
    useNativeCrypto(true);
  }
});

describe('WebCrypto path', () => {
  beforeAll(() => useNativeCrypto(false));
  afterAll(() => useNativeCrypto(true));

  test('the native path is really off', () => {
    expect(hasNativeCrypto()).toBe(false);
  });

  test('valid v2 and v1 tokens verify', async () => {
    const { validator } = validatorFor(entra(), clock);
    expect((await validator.verify(entra().createToken({ scp: 'a b' }))).scopes).toEqual(['a', 'b']);
    expect((await validator.verify(entra().createToken({}, { version: '1.0' }))).tokenVersion).toBe('1.0');
  });

  test('forgeries and malformed tokens are refused with the same codes', async () => {
    const { validator } = validatorFor(entra(), clock);
    const [h, p, s] = entra().createToken().split('.') as [string, string, string];
    const other = entra().createToken({ scp: 'x' }).split('.')[2];
    expect(await codeOf(validator.verify(`${h}.${p}.${other}`))).toBe('invalid_signature');
    expect(await codeOf(validator.verify(`${h}.${p}.${s}=`))).toBe('malformed_token');
    expect(await codeOf(validator.verify(`${h}.${p}+.${s}`))).toBe('malformed_token');
    expect(await codeOf(validator.verify(`${h}.${p}.${s.slice(0, -1)}\u00e9`))).toBe('malformed_token');
    expect(await codeOf(validator.verify(entra().createToken({}, { signWith: 'unpublished' })))).toBe(
      'unknown_signing_key',
    );
  });

  test('a key allowed for RS384 is imported for it on demand', async () => {
    const { validator } = validatorFor(entra(), clock, { algorithms: ['RS256', 'RS384'] });
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
    // The kit signs with the header's algorithm: an RS384 token verifies once RS384 is allowed...
    const rs384 = entra().createToken({}, { header: { alg: 'RS384' } });
    expect(await codeOf(validator.verify(rs384))).toBe('ok');
    // ...and its signature relabelled RS256 does not verify under SHA-256.
    const [, p, s] = rs384.split('.');
    const [h256] = entra().createToken().split('.');
    expect(await codeOf(validator.verify(`${h256}.${p}.${s}`))).toBe('invalid_signature');
  });
});

test('back on the native path afterwards', () => {
  expect(hasNativeCrypto()).toBe(true);
});
