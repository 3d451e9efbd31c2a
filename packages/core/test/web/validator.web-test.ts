// The whole validator on the portable runtime (WebCrypto and TextDecoder, as on edge workers): this
// file runs in the `core-web` project, which resolves package.json's `#runtime` without the `node`
// condition. The same answers as the Node runtime.
import { describe, expect, test, vi } from 'vitest';
import { codeOf, useMockEntra, validatorFor } from '../helpers.js';

const { entra, clock } = useMockEntra();

describe('WebCrypto path', () => {
  test('the validator really verifies with WebCrypto here: one crypto.subtle.verify per token', async () => {
    const { validator } = validatorFor(entra(), clock, { tokenCache: false });
    await validator.warmUp();
    const verify = vi.spyOn(crypto.subtle, 'verify');
    try {
      expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
      expect(await codeOf(validator.verify(entra().createToken({ uti: 'second' })))).toBe('ok');
      expect(verify).toHaveBeenCalledTimes(2);
    } finally {
      verify.mockRestore();
    }
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
