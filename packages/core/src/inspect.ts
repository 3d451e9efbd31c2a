/**
 * Looking at a token without trusting it: for diagnostics (the `entra-token` CLI, logs), never for
 * authorization. Uses the same strict decoding and the same recognisers as the validator.
 */

import { B2C_POLICY_RE } from './authority/customer-options.js';
import { isIdToken } from './claims.js';
import { decodeJsonSegment } from './codec.js';
import { isGraphAudience, microsoftServiceName } from './microsoft.js';
import { own } from './option-checks.js';
import { readClaims } from './token.js';

/**
 * A decoded, unverified token.
 *
 * @example
 * ```ts
 * const decoded: DecodedToken | undefined = decodeTokenUnverified(token);
 * console.log(decoded?.header.kid, decoded?.payload.aud); // unverified: for diagnostics only
 * ```
 */
export interface DecodedToken {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * What a token looks like, before any verification.
 *
 * @example
 * ```ts
 * const decoded = decodeTokenUnverified(token);
 * const kind: TokenKind | undefined = decoded && classifyToken(decoded);
 * if (kind === 'graph_token') console.log('A Microsoft Graph token: request a token for this API instead');
 * ```
 */
export type TokenKind = 'access_token' | 'graph_token' | 'id_token' | 'microsoft_resource_token';

/**
 * Decodes a JWT's header and payload WITHOUT verifying anything. Returns `undefined` when the token
 * is not a strictly encoded three-part JWT with JSON object header and payload.
 *
 * @example
 * ```ts
 * const decoded = decodeTokenUnverified(token);
 * console.log(decoded?.payload.aud); // for diagnostics only: nothing here is verified
 * ```
 */
export function decodeTokenUnverified(token: string): DecodedToken | undefined {
  if (typeof token !== 'string') return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = decodeJsonSegment(parts[0] as string);
  const payload = decodeJsonSegment(parts[1] as string);
  if (header === undefined || payload === undefined) return undefined;
  return { header, payload };
}

/**
 * The Azure AD B2C policy a token's payload names, WITHOUT verifying anything: `tfp`, or `acr` in older
 * policies when it is a policy id (`B2C_1_<name>`, `B2C_1A_<name>`; workforce v1.0 tokens carry
 * `acr: "1"`). `undefined` for a token that names no policy.
 *
 * @example
 * ```ts
 * const policy = b2cPolicyOf(decodeTokenUnverified(token)!.payload); // 'B2C_1_signupsignin'
 * ```
 */
export function b2cPolicyOf(payload: Readonly<Record<string, unknown>>): string | undefined {
  const tfp = own(payload, 'tfp');
  if (typeof tfp === 'string') return tfp;
  const acr = own(payload, 'acr');
  return typeof acr === 'string' && B2C_POLICY_RE.test(acr) ? acr : undefined;
}

/**
 * Recognises the tokens clients send by mistake: Microsoft Graph tokens (Graph audience or a `nonce`
 * header), ID tokens, and tokens for other Microsoft services (Azure Resource Manager, Key Vault...).
 *
 * @example
 * ```ts
 * classifyToken(decodeTokenUnverified(token)!); // 'graph_token'
 * ```
 */
export function classifyToken(token: DecodedToken): TokenKind {
  const header = token.header as Record<string, unknown>;
  const payload = token.payload as Record<string, unknown>;
  const aud = own(payload, 'aud');
  if (own(header, 'nonce') !== undefined || isGraphAudience(aud)) return 'graph_token';
  const claims = readClaims(payload);
  // A B2C token may carry the sign-in's nonce in an access token.
  const b2c = claims.tfp !== undefined || b2cPolicyOf(payload) !== undefined;
  if (isIdToken(claims, { payloadNonceMarksIdToken: !b2c })) return 'id_token';
  if (microsoftServiceName(aud) !== undefined) return 'microsoft_resource_token';
  return 'access_token';
}
