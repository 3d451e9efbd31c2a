import { describe, expect, test } from 'vitest';
import {
  decodeBase64Url,
  decodeJsonSegment,
  decodeSegment,
  decodeUtf8,
  isCanonicalBase64Url,
  own,
} from '../src/codec.js';
import { useNativeCrypto } from '../src/crypto.js';

const enc = (s: string | Uint8Array) => Buffer.from(s).toString('base64url');

describe.each([
  ['native', true],
  ['portable', false],
])('codec (%s)', (_name, native) => {
  const run = <T>(fn: () => T): T => {
    useNativeCrypto(native);
    try {
      return fn();
    } finally {
      useNativeCrypto(true);
    }
  };

  test('decodes every length and byte value', () => {
    run(() => {
      for (let len = 0; len < 40; len++) {
        const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 97 + len) & 0xff);
        expect(Array.from(decodeBase64Url(enc(bytes)))).toEqual(Array.from(bytes));
      }
    });
  });

  test('UTF-8: valid text decodes, invalid sequences are refused', () => {
    run(() => {
      expect(decodeUtf8(new TextEncoder().encode('héllo ✓'))).toBe('héllo ✓');
      expect(decodeUtf8(Uint8Array.from([0xc3, 0x28]))).toBeUndefined();
      expect(decodeUtf8(Uint8Array.from([0xed, 0xa0, 0x80]))).toBeUndefined(); // lone surrogate
      expect(decodeUtf8(Uint8Array.from([0xff]))).toBeUndefined();
    });
  });

  test('JSON segments must be objects', () => {
    run(() => {
      expect(decodeJsonSegment(enc('{"a":1}'))).toEqual({ a: 1 });
      for (const bad of ['null', '[]', '"x"', '1', 'true', '{', ''])
        expect(decodeJsonSegment(enc(bad))).toBeUndefined();
      expect(decodeJsonSegment(enc(Uint8Array.from([0x7b, 0xff, 0x7d])))).toBeUndefined();
      expect(decodeJsonSegment(enc('\ufeff{"a":1}'))).toBeUndefined();
    });
  });
});

describe('isCanonicalBase64Url', () => {
  test.each(['', 'AA', 'AAA', 'AAAA', 'eyJhIjoxfQ', 'ab-_'])('accepts %j', (s) =>
    expect(isCanonicalBase64Url(s)).toBe(true),
  );
  test.each([
    ['padding', 'eyJhIjoxfQ=='],
    ['plus', 'ab+c'],
    ['slash', 'ab/c'],
    ['space', 'ab c'],
    ['newline', 'ab\nc'],
    ['length 1 mod 4', 'AAAAA'],
    ['non-zero trailing bits (2)', 'AB'],
    ['non-zero trailing bits (3)', 'AAB'],
    ['non-ASCII', 'ab\u00e9c'],
  ])('refuses %s', (_name, s) => expect(isCanonicalBase64Url(s)).toBe(false));

  test('every last-character variant of a signature decodes differently or is refused', () => {
    const sig = enc(Uint8Array.from({ length: 256 }, (_, i) => i));
    const accepted = new Set<string>();
    for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') {
      const variant = sig.slice(0, -1) + c;
      if (isCanonicalBase64Url(variant)) accepted.add(Buffer.from(decodeBase64Url(variant)).toString('hex'));
      else expect(variant).not.toBe(sig);
    }
    // Only canonical encodings are accepted, and no two of them decode to the same bytes.
    expect(accepted.size).toBe(
      [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].filter((c) =>
        isCanonicalBase64Url(sig.slice(0, -1) + c),
      ).length,
    );
    expect(isCanonicalBase64Url(sig)).toBe(true);
  });
});

test('own() never reads inherited properties', () => {
  const parsed = JSON.parse('{"__proto__":{"roles":["admin"]},"a":1}') as Record<string, unknown>;
  expect(own(parsed, 'a')).toBe(1);
  expect(own(parsed, 'roles')).toBeUndefined();
  expect(own(parsed, 'toString')).toBeUndefined();
  expect(own(parsed, 'constructor')).toBeUndefined();
  expect(({} as Record<string, unknown>).roles).toBeUndefined();
});

describe.each([
  ['native', true],
  ['portable', false],
])('decodeSegment (%s) is as strict as the regular expression', (_name, native) => {
  test('every character at every position of short segments', () => {
    useNativeCrypto(native);
    try {
      const base = 'QUJDREVGR0hJSktM';
      const chars = [...Array(256).keys(), 0x12b, 0x12f, 0x141, 0x2d + 0x100, 0xff5f].map((c) =>
        String.fromCharCode(c),
      );
      for (let len = 1; len <= 9; len++) {
        for (let pos = 0; pos < len; pos++) {
          for (const ch of chars) {
            const s = base.slice(0, pos) + ch + base.slice(pos + 1, len);
            const strict = isCanonicalBase64Url(s);
            const decoded = decodeSegment(s);
            expect(decoded !== undefined, JSON.stringify(s)).toBe(strict);
            if (decoded) expect(Buffer.from(decoded).toString('base64url')).toBe(s);
          }
        }
      }
    } finally {
      useNativeCrypto(true);
    }
  });
});
