/**
 * Canonical base64url, shared by both runtimes: the alphabet without padding, and in its one
 * canonical form (a length that is not 1 mod 4, zero bits in the unused part of the last
 * character), so that no two strings decode to the same bytes.
 */

/** 0-63 for the base64url alphabet, -1 for anything else (ASCII only). */
export const BASE64URL_VALUE = new Int8Array(128).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
for (let i = 0; i < 64; i++) BASE64URL_VALUE[ALPHABET.charCodeAt(i)] = i;

const ALPHABET_RE = /^[A-Za-z0-9_-]*$/;

/** The length is possible and the unused bits of the last character are zero (characters not checked). */
export function hasCanonicalTail(s: string): boolean {
  const rem = s.length & 3;
  if (rem === 1) return false;
  if (rem === 0) return true;
  const last = BASE64URL_VALUE[s.charCodeAt(s.length - 1)] ?? -1;
  return last >= 0 && (last & (rem === 2 ? 0x0f : 0x03)) === 0;
}

/** True when `s` is canonical unpadded base64url. */
export function isCanonicalBase64Url(s: string): boolean {
  return hasCanonicalTail(s) && ALPHABET_RE.test(s);
}
