/**
 * Splitting and decoding a compact JWS, and the header rules: the header chooses nothing but the
 * `kid`. `alg` must be allowed, `crit` is refused, `typ` must be `JWT` when present, and `jku`,
 * `x5u`, `jwk`, `x5c` are never read.
 */

import { type ClaimSet, readClaimSet } from './claim-set.js';
import { isGraphAudience } from './claims.js';
import { decodeJsonSegment, decodeSegment, own } from './codec.js';
import { EntraAuthError } from './errors.js';

export interface ParsedToken {
  readonly kid: string;
  readonly alg: string;
  readonly payload: Record<string, unknown>;
  /** The claims the validator reads, taken once from the payload (own properties only). */
  readonly claims: ClaimSet;
  /** `header.payload`, the bytes the signature covers. */
  readonly signingInput: string;
  readonly signature: Uint8Array;
}

interface HeaderInfo {
  readonly kid: string;
  readonly alg: string;
}

const MAX_KID_LENGTH = 256;
const HEADER_CACHE_MAX = 64;

type HeaderFailure = { readonly code: EntraAuthError['code']; readonly message?: string };

export const GRAPH_MESSAGE =
  'This is a Microsoft Graph token, which only Graph can validate: request a token for this API scope instead (for example api://<client-id>/.default)';

function readHeader(segment: string, algorithms: ReadonlySet<string>): HeaderInfo | HeaderFailure {
  const header = decodeJsonSegment(segment);
  if (header === undefined) return { code: 'malformed_token' };
  // A `nonce` in the header: a Microsoft Graph token, whose signature only Graph can check.
  if (own(header, 'nonce') !== undefined) return { code: 'foreign_token', message: GRAPH_MESSAGE };
  const alg = own(header, 'alg');
  if (typeof alg !== 'string') return { code: 'malformed_token' };
  if (!algorithms.has(alg)) return { code: 'unsupported_algorithm' };
  if (own(header, 'crit') !== undefined) return { code: 'malformed_token' };
  const typ = own(header, 'typ');
  if (typ !== undefined && (typeof typ !== 'string' || typ.toUpperCase() !== 'JWT'))
    return { code: 'malformed_token' };
  const kid = own(header, 'kid');
  if (typeof kid !== 'string' || kid === '' || kid.length > MAX_KID_LENGTH)
    return { code: 'malformed_token' };
  return { kid, alg };
}

/** A strict parser for one validator's algorithm list and size limit. */
export type TokenParser = (token: unknown) => ParsedToken;

/**
 * Creates a strict compact-JWS parser. It throws `EntraAuthError` (`malformed_token`,
 * `unsupported_algorithm`, `foreign_token`) and never reads claims beyond `aud` (Graph tokens).
 */
export function createTokenParser(algorithms: ReadonlySet<string>, maxLength: number): TokenParser {
  // Entra's headers repeat (one per signing key), so a parsed header is kept and the hot path
  // skips decoding it again. Bounded: fresh headers from an attacker only cause clears.
  const headers = new Map<string, HeaderInfo | HeaderFailure>();
  return (token) => {
    if (typeof token !== 'string' || token.length === 0 || token.length > maxLength) {
      throw new EntraAuthError('malformed_token');
    }
    const first = token.indexOf('.');
    const second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0 || token.indexOf('.', second + 1) !== -1) throw new EntraAuthError('malformed_token');
    const segment = token.slice(0, first);
    let info = headers.get(segment);
    if (info === undefined) {
      info = readHeader(segment, algorithms);
      if (headers.size >= HEADER_CACHE_MAX) headers.clear();
      headers.set(segment, info);
    }
    if ('code' in info) throw new EntraAuthError(info.code, { message: info.message });
    const payload = decodeJsonSegment(token.slice(first + 1, second));
    if (payload === undefined) throw new EntraAuthError('malformed_token');
    const claims = readClaimSet(payload);
    if (isGraphAudience(claims.aud)) throw new EntraAuthError('foreign_token', { message: GRAPH_MESSAGE });
    const signature = second + 1 < token.length ? decodeSegment(token.slice(second + 1)) : undefined;
    if (signature === undefined) throw new EntraAuthError('malformed_token');
    return { kid: info.kid, alg: info.alg, payload, claims, signingInput: token.slice(0, second), signature };
  };
}
