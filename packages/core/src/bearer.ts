/**
 * RFC 6750 §2.1: `Authorization: Bearer <b64token>`. The scheme is case-insensitive; anything else is
 * refused with the right code, in time linear in the header's length (no backtracking regex).
 */
import { EntraAuthError } from './errors.js';

function isB64TokenChar(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x2d || // -
    c === 0x2e || // .
    c === 0x5f || // _
    c === 0x7e || // ~
    c === 0x2b || // +
    c === 0x2f // /
  );
}

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
    throw new EntraAuthError('malformed_token', { message: 'The access token is too long' });
  // b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  let j = i;
  while (j < end && isB64TokenChar(header.charCodeAt(j))) j++;
  if (j === i) throw new EntraAuthError('invalid_request');
  while (j < end && header.charCodeAt(j) === 0x3d) j++;
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
