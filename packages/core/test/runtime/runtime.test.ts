// Both runtime modules, imported directly (package.json's `imports` chooses one per runtime): the
// same answers from node:crypto/Buffer and from WebCrypto/TextDecoder.
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { isCanonicalBase64Url } from '../../src/runtime/base64url.js';
import * as node from '../../src/runtime/node.js';
import type { RuntimeModule } from '../../src/runtime/types.js';
import * as web from '../../src/runtime/web.js';

const enc = (s: string | Uint8Array) => Buffer.from(s).toString('base64url');
const runtimes: [string, RuntimeModule][] = [
  ['node', node],
  ['web', web],
];

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };

describe.each(runtimes)('%s runtime', (_name, runtime) => {
  test('decodes every length and byte value', () => {
    for (let len = 0; len < 40; len++) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 97 + len) & 0xff);
      expect(Array.from(runtime.decodeSegment(enc(bytes)) ?? [])).toEqual(Array.from(bytes));
    }
  });

  test('decodeSegment is exactly as strict as canonical base64url, at every character and position', () => {
    const base = 'QUJDREVGR0hJSktM';
    const chars = [...Array(256).keys(), 0x12b, 0x12f, 0x141, 0x2d + 0x100, 0xff5f].map((c) =>
      String.fromCharCode(c),
    );
    for (let len = 1; len <= 9; len++) {
      for (let pos = 0; pos < len; pos++) {
        for (const ch of chars) {
          const s = base.slice(0, pos) + ch + base.slice(pos + 1, len);
          const decoded = runtime.decodeSegment(s);
          expect(decoded !== undefined, JSON.stringify(s)).toBe(isCanonicalBase64Url(s));
          if (decoded) expect(Buffer.from(decoded).toString('base64url')).toBe(s);
        }
      }
    }
  });

  test('UTF-8: valid text decodes, invalid sequences are refused', () => {
    expect(runtime.decodeUtf8(new TextEncoder().encode('héllo ✓'))).toBe('héllo ✓');
    expect(runtime.decodeUtf8(Uint8Array.from([0xc3, 0x28]))).toBeUndefined();
    expect(runtime.decodeUtf8(Uint8Array.from([0xed, 0xa0, 0x80]))).toBeUndefined(); // lone surrogate
    expect(runtime.decodeUtf8(Uint8Array.from([0xff]))).toBeUndefined();
    // A byte-order mark is kept as a character (and then refused as JSON), never skipped.
    expect(runtime.decodeUtf8(Uint8Array.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('\ufeff{}');
  });

  test('RS256/384/512 signatures verify with the matching key and algorithm only', async () => {
    const key = await runtime.importRsaKey(jwk.n, jwk.e, ['RS256', 'RS384', 'RS512']);
    expect(key.jwk).toEqual({ kty: 'RSA', n: jwk.n, e: jwk.e });
    const input = 'eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ';
    for (const [alg, hash] of [
      ['RS256', 'sha256'],
      ['RS384', 'sha384'],
      ['RS512', 'sha512'],
    ] as const) {
      const signature = sign(hash, Buffer.from(input), privateKey);
      expect(await runtime.verifySignature(key, alg, input, signature)).toBe(true);
      expect(await runtime.verifySignature(key, alg, `${input}x`, signature)).toBe(false);
      const other = alg === 'RS256' ? 'RS384' : 'RS256';
      expect(await runtime.verifySignature(key, other, input, signature)).toBe(false);
    }
    expect(
      await runtime.verifySignature(key, 'PS256', input, sign('sha256', Buffer.from(input), privateKey)),
    ).toBe(false);
  });

  test('a key imported for RS256 only verifies RS384 too, importing it on demand', async () => {
    const key = await runtime.importRsaKey(jwk.n, jwk.e, ['RS256']);
    const input = 'a.b';
    expect(
      await runtime.verifySignature(key, 'RS384', input, sign('sha384', Buffer.from(input), privateKey)),
    ).toBe(true);
  });
});

test('the node runtime verifies synchronously, the web one through WebCrypto', async () => {
  const input = 'a.b';
  const signature = sign('sha256', Buffer.from(input), privateKey);
  const n = await node.importRsaKey(jwk.n, jwk.e, ['RS256']);
  const w = await web.importRsaKey(jwk.n, jwk.e, ['RS256']);
  expect(node.verifySignature(n, 'RS256', input, signature)).toBe(true);
  expect(web.verifySignature(w, 'RS256', input, signature)).toBeInstanceOf(Promise);
});
