/**
 * Strict decoding of token segments: canonical base64url (see `runtime/base64url.ts`), UTF-8 that
 * must be valid, JSON that must be an object. The byte work is the runtime's (`#runtime`).
 */
import { decodeSegment, decodeUtf8 } from '#runtime';

export { decodeSegment };

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
