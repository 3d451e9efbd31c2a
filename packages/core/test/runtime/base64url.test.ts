import { describe, expect, test } from 'vitest';
import { hasCanonicalTail, isCanonicalBase64Url } from '../../src/runtime/base64url.js';

const enc = (s: Uint8Array) => Buffer.from(s).toString('base64url');

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

  test('of the 64 last characters of a signature, exactly the canonical ones are accepted, each different bytes', () => {
    const sig = enc(Uint8Array.from({ length: 256 }, (_, i) => i));
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const accepted = [...alphabet].map((c) => sig.slice(0, -1) + c).filter(isCanonicalBase64Url);
    // 256 bytes: 342 characters, the last carrying 2 bits of data: 4 canonical variants.
    expect(accepted.length).toBe(4);
    expect(new Set(accepted.map((s) => Buffer.from(s, 'base64url').toString('hex'))).size).toBe(4);
    expect(accepted).toContain(sig);
  });

  test('hasCanonicalTail looks at the length and the last character only', () => {
    expect(hasCanonicalTail('A')).toBe(false);
    expect(hasCanonicalTail('A+AA')).toBe(true);
    expect(hasCanonicalTail('AB')).toBe(false);
    expect(hasCanonicalTail('A\u00e9')).toBe(false);
  });
});
