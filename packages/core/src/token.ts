/**
 * Parsing a compact JWS strictly, before anything is trusted: size, three segments, canonical
 * base64url, UTF-8, JSON objects, and the header rules. The header chooses nothing but the `kid`:
 * `alg` must be allowed, `crit` is refused, `typ` must be `JWT` when present, and `jku`, `x5u`,
 * `jwk`, `x5c` are never read. Microsoft Graph tokens are recognised here, before the signature
 * (which only Graph can check).
 */
import { decodeJsonSegment, decodeSegment } from './codec.js';
import { EntraAuthError } from './errors.js';
import { isGraphAudience } from './microsoft.js';
import { own } from './option-checks.js';

/** The claims the validator reads, taken from the payload once (own properties only). */
export interface ClaimSet {
  readonly iss: unknown;
  readonly tid: unknown;
  readonly aud: unknown;
  readonly exp: unknown;
  readonly nbf: unknown;
  readonly iat: unknown;
  readonly ver: unknown;
  readonly scp: unknown;
  readonly roles: unknown;
  readonly azp: unknown;
  readonly appid: unknown;
  readonly oid: unknown;
  readonly sub: unknown;
  readonly idtyp: unknown;
  readonly acct: unknown;
  readonly idp: unknown;
  readonly preferred_username: unknown;
  readonly upn: unknown;
  readonly unique_name: unknown;
  readonly name: unknown;
  readonly nonce: unknown;
  readonly at_hash: unknown;
  readonly c_hash: unknown;
  /** Azure AD B2C: the policy (user flow or custom policy) that issued the token; `acr` in older policies. */
  readonly tfp: unknown;
  readonly acr: unknown;
}

/**
 * Reads the claims the validator uses. Only own properties count: a polluted `Object.prototype`
 * must never supply a claim.
 */
export function readClaims(p: Record<string, unknown>): ClaimSet {
  return {
    iss: own(p, 'iss'),
    tid: own(p, 'tid'),
    aud: own(p, 'aud'),
    exp: own(p, 'exp'),
    nbf: own(p, 'nbf'),
    iat: own(p, 'iat'),
    ver: own(p, 'ver'),
    scp: own(p, 'scp'),
    roles: own(p, 'roles'),
    azp: own(p, 'azp'),
    appid: own(p, 'appid'),
    oid: own(p, 'oid'),
    sub: own(p, 'sub'),
    idtyp: own(p, 'idtyp'),
    acct: own(p, 'acct'),
    idp: own(p, 'idp'),
    preferred_username: own(p, 'preferred_username'),
    upn: own(p, 'upn'),
    unique_name: own(p, 'unique_name'),
    name: own(p, 'name'),
    nonce: own(p, 'nonce'),
    at_hash: own(p, 'at_hash'),
    c_hash: own(p, 'c_hash'),
    tfp: own(p, 'tfp'),
    acr: own(p, 'acr'),
  };
}

/** A token that passed parsing: nothing in it is trusted yet. */
export interface ParsedToken {
  readonly kid: string;
  readonly alg: string;
  readonly payload: Record<string, unknown>;
  readonly claims: ClaimSet;
  /** `header.payload`, the bytes the signature covers. */
  readonly signingInput: string;
  readonly signature: Uint8Array;
}

/**
 * The longest `kid` accepted, in a token's header and in a key set: longer ones are refused unread.
 *
 * @example
 * ```ts
 * if (typeof kid === 'string' && kid.length > MAX_KID_LENGTH) console.log('this kid would be refused');
 * ```
 */
export const MAX_KID_LENGTH = 256;

export const GRAPH_MESSAGE =
  'This is a Microsoft Graph token, which only Graph can validate: request a token for this API scope instead (for example api://<client-id>/.default)';

/** The header rules: returns the `kid` and `alg` a key is looked up with. */
function readHeader(segment: string, algorithms: ReadonlySet<string>): { kid: string; alg: string } {
  const header = decodeJsonSegment(segment);
  if (header === undefined) throw new EntraAuthError('malformed_token', { check: 'format' });
  // A `nonce` in the header: a Microsoft Graph token, whose signature only Graph can check.
  if (own(header, 'nonce') !== undefined) {
    throw new EntraAuthError('foreign_token', { message: GRAPH_MESSAGE, check: 'foreign' });
  }
  const alg = own(header, 'alg');
  if (typeof alg !== 'string') throw new EntraAuthError('malformed_token', { check: 'alg' });
  if (!algorithms.has(alg)) throw new EntraAuthError('unsupported_algorithm', { check: 'alg' });
  if (own(header, 'crit') !== undefined) throw new EntraAuthError('malformed_token', { check: 'header' });
  const typ = own(header, 'typ');
  if (typ !== undefined && (typeof typ !== 'string' || typ.toUpperCase() !== 'JWT')) {
    throw new EntraAuthError('malformed_token', { check: 'typ' });
  }
  const kid = own(header, 'kid');
  if (typeof kid !== 'string' || kid === '' || kid.length > MAX_KID_LENGTH) {
    throw new EntraAuthError('malformed_token', { check: 'kid' });
  }
  return { kid, alg };
}

/**
 * Headers repeat (one per signing key), so a header that passed `readHeader` is remembered and the
 * next token signed with that key skips decoding it: measured at about 4 % of a warm verification. Shared
 * by validators (a hit is checked against each one's algorithms); bounded, so headers an attacker
 * makes up only ever clear it.
 */
const HEADERS_MAX = 64;
const readHeaders = new Map<string, { kid: string; alg: string }>();

function headerOf(segment: string, algorithms: ReadonlySet<string>): { kid: string; alg: string } {
  const known = readHeaders.get(segment);
  if (known !== undefined) {
    if (!algorithms.has(known.alg)) throw new EntraAuthError('unsupported_algorithm', { check: 'alg' });
    return known;
  }
  const header = readHeader(segment, algorithms);
  if (readHeaders.size >= HEADERS_MAX) readHeaders.clear();
  readHeaders.set(segment, header);
  return header;
}

/**
 * Parses a token strictly. Throws `EntraAuthError`: `malformed_token` (`length`, `format`, `typ`,
 * `kid`, `header`), `unsupported_algorithm`, or `foreign_token` for a Microsoft Graph token.
 */
export function parseToken(token: unknown, algorithms: ReadonlySet<string>, maxLength: number): ParsedToken {
  if (typeof token !== 'string' || token.length === 0) {
    throw new EntraAuthError('malformed_token', { check: 'format' });
  }
  if (token.length > maxLength) {
    throw new EntraAuthError('malformed_token', { message: 'The access token is too long', check: 'length' });
  }
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (second < 0 || token.indexOf('.', second + 1) !== -1) {
    throw new EntraAuthError('malformed_token', { check: 'format' });
  }
  const { kid, alg } = headerOf(token.slice(0, first), algorithms);
  const payload = decodeJsonSegment(token.slice(first + 1, second));
  if (payload === undefined) throw new EntraAuthError('malformed_token', { check: 'format' });
  const claims = readClaims(payload);
  if (isGraphAudience(claims.aud)) {
    throw new EntraAuthError('foreign_token', { message: GRAPH_MESSAGE, check: 'foreign' });
  }
  const signature = second + 1 < token.length ? decodeSegment(token.slice(second + 1)) : undefined;
  if (signature === undefined) throw new EntraAuthError('malformed_token', { check: 'format' });
  return { kid, alg, payload, claims, signingInput: token.slice(0, second), signature };
}
