import { describe, expect, test } from 'vitest';
import { bearerCandidate } from '../src/bearer.js';
import { extractBearerToken, isEntraAuthError } from '../src/index.js';

function codeOf(header: unknown, max?: number): string {
  try {
    extractBearerToken(header, max);
    return 'ok';
  } catch (e) {
    return isEntraAuthError(e) ? e.code : `threw ${String(e)}`;
  }
}

describe('extractBearerToken', () => {
  test.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['BEARER abc', 'abc'],
    ['Bearer    abc', 'abc'],
    ['  Bearer abc  ', 'abc'],
    ['\tBearer abc\t', 'abc'],
    ['Bearer a-b_c.d~e+f/g==', 'a-b_c.d~e+f/g=='],
  ])('%j → %j', (header, token) => {
    expect(extractBearerToken(header)).toBe(token);
  });

  test.each([
    [undefined, 'missing_token'],
    [null, 'missing_token'],
    ['', 'missing_token'],
    ['   ', 'missing_token'],
    ['Basic dXNlcjpwYXNz', 'missing_token'],
    ['Bearerabc', 'missing_token'],
    ['Token abc', 'missing_token'],
    ['Bearer', 'invalid_request'],
    ['Bearer   ', 'invalid_request'],
    ['Bearer a b', 'invalid_request'],
    ['Bearer a,Bearer b', 'invalid_request'],
    ['Bearer "abc"', 'invalid_request'],
    ['Bearer abc\u0000', 'invalid_request'],
    ['Bearer abc\r\nX: y', 'invalid_request'],
    ['Bearer ábc', 'invalid_request'],
    ['Bearer =abc', 'invalid_request'],
    ['Bearer abc=d', 'invalid_request'],
    ['Bearer\tabc', 'missing_token'],
    [['Bearer a', 'Bearer b'], 'invalid_request'],
    [42, 'invalid_request'],
  ])('%j → %s', (header, code) => {
    expect(codeOf(header)).toBe(code);
  });

  test('a comma after the token (joined headers) asks for exactly one header', () => {
    for (const header of ['Bearer a, Bearer b', 'Bearer a,b', [' Bearer a', 'Bearer b']]) {
      try {
        extractBearerToken(header);
        expect.unreachable();
      } catch (e) {
        expect(isEntraAuthError(e) && e.code).toBe('invalid_request');
        expect((e as Error).message).toBe('Send exactly one Authorization header');
      }
    }
  });

  test('bearerCandidate (the cache lookup key) is what extractBearerToken returns, whenever that succeeds', () => {
    const headers = [
      'Bearer abc',
      'bearer   abc ',
      'BeArEr abc\t',
      'Bearer a b',
      'Bearer abc,',
      '  Bearer abc',
      'Bearer',
      'Bearer ',
      'Basic abc',
      'Bearerabc',
      'Bearer\tabc',
      'Bearer a==',
      'Bearer =a',
    ];
    for (const header of headers) {
      const candidate = bearerCandidate(header);
      if (codeOf(header) === 'ok' && candidate !== undefined)
        expect(candidate, header).toBe(extractBearerToken(header));
      if (codeOf(header) === 'missing_token') expect(candidate, header).toBeUndefined();
    }
    expect(bearerCandidate('bearer   abc ')).toBe('abc');
    expect(bearerCandidate('Bearer a b')).toBe('a b'); // not a token: it can never be found in the cache
  });

  test('a single-element header array is read like a string', () => {
    expect(extractBearerToken(['Bearer abc'])).toBe('abc');
    expect(codeOf([])).toBe('missing_token');
  });

  test('a token over the size limit is refused before it is read', () => {
    expect(codeOf(`Bearer ${'a'.repeat(300)}`, 299)).toBe('malformed_token');
    expect(codeOf(`Bearer ${'a'.repeat(299)}`, 299)).toBe('ok');
    expect(codeOf(`Bearer ${'a'.repeat(1 << 20)}`)).toBe('malformed_token');
  });

  test('time is linear in the header length (100k spaces)', () => {
    const small = `Bearer${' '.repeat(1000)}x${' '.repeat(1000)}y`;
    const large = `Bearer${' '.repeat(100_000)}x${' '.repeat(100_000)}y`;
    expect(codeOf(small)).toBe('invalid_request');
    expect(codeOf(large)).toBe('malformed_token');
    const spaces = ' '.repeat(100_000);
    expect(codeOf(`Bearer${spaces}abc${spaces}`)).toBe('ok');
  });
});
