/**
 * RFC 6750 §2.1: `Authorization: Bearer <b64token>`. The scheme is case-insensitive; anything else is
 * refused with the right code, in time linear in the header's length (one sticky character-class regex, which cannot backtrack).
 */
import { EntraAuthError } from './errors.js';

// b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=", matched from a given
// index (sticky). A character class, a `+` and a `*` in sequence cannot backtrack more than once:
// linear, and on V8 several times faster than a charCodeAt loop over a 1.5 KB token.
const B64TOKEN = /[A-Za-z0-9\-._~+/]+=*/y;

/**
 * Extracts the token of a Bearer `Authorization` header value.
 *
 * - no header, an empty one, or another scheme (`Basic ...`): `missing_token` (401, no error code:
 *   the client may not know authentication is needed, RFC 6750 §3.1);
 * - `Bearer` with no token, extra parts, or characters outside b64token, or several headers:
 *   `invalid_request` (400);
 * - a token longer than `maxTokenLength`: `malformed_token` (401), before looking at it.
 *
 * @example
 * ```ts
 * extractBearerToken('Bearer eyJ0eXAi...'); // 'eyJ0eXAi...'
 * ```
 */
export function extractBearerToken(header: unknown, maxTokenLength = 16384): string {
  if (Array.isArray(header)) {
    if (header.length > 1) {
      throw new EntraAuthError('invalid_request', { message: 'Send exactly one Authorization header' });
    }
    header = header[0];
  }
  if (header === undefined || header === null || header === '') throw new EntraAuthError('missing_token');
  if (typeof header !== 'string') throw new EntraAuthError('invalid_request');
  let start = 0;
  let end = header.length;
  while (start < end && (header.charCodeAt(start) === 0x20 || header.charCodeAt(start) === 0x09)) start++;
  while (end > start && (header.charCodeAt(end - 1) === 0x20 || header.charCodeAt(end - 1) === 0x09)) end--;
  if (start === end) throw new EntraAuthError('missing_token');
  // The scheme: up to the first space.
  let i = start;
  while (i < end && header.charCodeAt(i) !== 0x20) i++;
  if (i - start !== 6 || header.slice(start, i).toLowerCase() !== 'bearer') {
    throw new EntraAuthError('missing_token');
  }
  while (i < end && header.charCodeAt(i) === 0x20) i++;
  if (i === end) throw new EntraAuthError('invalid_request', { message: 'The Bearer scheme needs a token' });
  if (end - i > maxTokenLength)
    throw new EntraAuthError('malformed_token', { message: 'The access token is too long', check: 'length' });
  B64TOKEN.lastIndex = i;
  if (!B64TOKEN.test(header)) throw new EntraAuthError('invalid_request');
  const j = B64TOKEN.lastIndex;
  if (j !== end) {
    // A comma right after the token is a list: several Authorization headers joined into one
    // (as fetch's Headers and proxies do), worded like the multi-header case.
    if (header.charCodeAt(j) === 0x2c) {
      throw new EntraAuthError('invalid_request', { message: 'Send exactly one Authorization header' });
    }
    throw new EntraAuthError('invalid_request');
  }
  return header.slice(i, end);
}

/**
 * The token of a plain `Bearer <token>` header value, its characters not checked: for a cache
 * lookup only (a token found in the cache has passed every check of {@link extractBearerToken},
 * which returns the same string for the same header). `undefined` for any other shape.
 */
export function bearerCandidate(header: string): string | undefined {
  let end = header.length;
  if (end < 8 || header.charCodeAt(6) !== 0x20) return undefined;
  if (!header.startsWith('Bearer') && header.slice(0, 6).toLowerCase() !== 'bearer') return undefined;
  let i = 7;
  while (i < end && header.charCodeAt(i) === 0x20) i++;
  while (end > i && (header.charCodeAt(end - 1) === 0x20 || header.charCodeAt(end - 1) === 0x09)) end--;
  return i === end ? undefined : header.slice(i, end);
}
