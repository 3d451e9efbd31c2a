/**
 * Strict decoding of token segments: base64url without padding, whitespace or `+`/`/`, in its one
 * canonical form (unused trailing bits zero, so no two strings decode to the same bytes); UTF-8 that
 * must be valid; JSON that must be an object.
 */
import { nodeBuffer } from './crypto.js';

// 0-63 for the base64url alphabet, -1 for anything else.
const VALUE = new Int8Array(128).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
for (let i = 0; i < 64; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

const B64URL_RE = /^[A-Za-z0-9_-]*$/;

/**
 * True when `s` is canonical unpadded base64url: alphabet only, a length that is not 1 mod 4, and
 * zero bits in the unused part of the last character.
 */
export function isCanonicalBase64Url(s: string): boolean {
  const rem = s.length & 3;
  if (rem === 1 || !B64URL_RE.test(s)) return false;
  if (rem === 0) return true;
  const last = VALUE[s.charCodeAt(s.length - 1)] as number;
  return (last & (rem === 2 ? 0x0f : 0x03)) === 0;
}

/** Decodes canonical base64url (check with {@link isCanonicalBase64Url} first). */
export function decodeBase64Url(s: string): Uint8Array {
  if (nodeBuffer !== undefined) return nodeBuffer.Buffer.from(s, 'base64url');
  const out = new Uint8Array((s.length * 3) >> 2);
  let o = 0;
  let i = 0;
  for (; i + 4 <= s.length; i += 4) {
    const n =
      ((VALUE[s.charCodeAt(i)] as number) << 18) |
      ((VALUE[s.charCodeAt(i + 1)] as number) << 12) |
      ((VALUE[s.charCodeAt(i + 2)] as number) << 6) |
      (VALUE[s.charCodeAt(i + 3)] as number);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  const rem = s.length - i;
  if (rem >= 2) {
    const n =
      ((VALUE[s.charCodeAt(i)] as number) << 18) |
      ((VALUE[s.charCodeAt(i + 1)] as number) << 12) |
      (rem === 3 ? (VALUE[s.charCodeAt(i + 2)] as number) << 6 : 0);
    out[o++] = n >> 16;
    if (rem === 3) out[o++] = (n >> 8) & 0xff;
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8, or returns `undefined` if the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  const isUtf8 = nodeBuffer?.isUtf8;
  if (nodeBuffer !== undefined && isUtf8 !== undefined) {
    // simdutf validation, then Buffer's decoder on a view (no copy): cheaper than a fatal TextDecoder.
    return isUtf8(bytes)
      ? nodeBuffer.Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
      : undefined;
  }
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Decodes a canonical base64url segment, or returns `undefined` if it is not one.
 *
 * On Node, Buffer's decoder does the work: it is lenient (it skips invalid characters, accepts `+`
 * and `/`, and keeps only the low byte of characters above U+00FF), so strictness comes from three
 * cheap checks around it: ASCII only, no `+` or `/`, and exactly the length a clean input decodes
 * to. That costs far less than a regular expression over the whole segment.
 */
export function decodeSegment(segment: string): Uint8Array | undefined {
  const rem = segment.length & 3;
  if (rem === 1) return undefined;
  if (
    rem !== 0 &&
    ((VALUE[segment.charCodeAt(segment.length - 1)] as number) & (rem === 2 ? 0x0f : 0x03)) !== 0
  ) {
    return undefined;
  }
  const node = nodeBuffer;
  if (node !== undefined) {
    if (node.Buffer.byteLength(segment, 'utf8') !== segment.length) return undefined;
    if (segment.indexOf('+') !== -1 || segment.indexOf('/') !== -1) return undefined;
    const bytes = node.Buffer.from(segment, 'base64url');
    return bytes.length === (segment.length * 3) >> 2 ? bytes : undefined;
  }
  return B64URL_RE.test(segment) ? decodeBase64Url(segment) : undefined;
}

/**
 * Decodes one token segment to a JSON object, or `undefined` when any step fails (not base64url,
 * not UTF-8, not JSON, not an object).
 */
export function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
  if (segment.length === 0) return undefined;
  const bytes = decodeSegment(segment);
  const text = bytes === undefined ? undefined : decodeUtf8(bytes);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** An own property of a parsed JSON object; inherited properties never count. */
export function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
