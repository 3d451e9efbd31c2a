import { expect, test } from 'vitest';
import { decodeJsonSegment } from '../src/codec.js';
import { own } from '../src/option-checks.js';

const enc = (s: string | Uint8Array) => Buffer.from(s).toString('base64url');

test('JSON segments must be objects, in valid UTF-8, with no byte-order mark', () => {
  expect(decodeJsonSegment(enc('{"a":1}'))).toEqual({ a: 1 });
  for (const bad of ['null', '[]', '"x"', '1', 'true', '{', ''])
    expect(decodeJsonSegment(enc(bad))).toBeUndefined();
  expect(decodeJsonSegment(enc(Uint8Array.from([0x7b, 0xff, 0x7d])))).toBeUndefined();
  expect(decodeJsonSegment(enc('\ufeff{"a":1}'))).toBeUndefined();
  expect(decodeJsonSegment(`${enc('{"a":1}')}=`)).toBeUndefined();
});

test('own() never reads inherited properties', () => {
  const parsed = JSON.parse('{"__proto__":{"roles":["admin"]},"a":1}') as Record<string, unknown>;
  expect(own(parsed, 'a')).toBe(1);
  expect(own(parsed, 'roles')).toBeUndefined();
  expect(own(parsed, 'toString')).toBeUndefined();
  expect(own(parsed, 'constructor')).toBeUndefined();
  expect(({} as Record<string, unknown>).roles).toBeUndefined();
});
