/**
 * The floor: the least work that verifying an Entra access token can take on Node. Synchronous
 * `node:crypto.verify` with KeyObjects imported once, base64url decoding by Buffer, `JSON.parse`,
 * and the claim checks every verifier must make (alg, kid, signature, exp, nbf, iss, aud, ver, tid).
 * No strictness beyond that, no principal, no error classes: a bound to measure against, not a
 * verifier to ship.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';

export interface FloorConfig {
  readonly jwks: { keys: readonly Record<string, unknown>[] };
  readonly issuer: string;
  readonly audiences: readonly string[];
  readonly tenantId: string;
  readonly clockToleranceSeconds?: number;
}

export type FloorVerifier = (token: string) => Record<string, unknown>;

/** Rejections are plain errors whose message is the reason; the floor does not build error classes. */
function reject(reason: string): never {
  throw new Error(reason);
}

/** Imports every RSA key of the set once: the floor never imports a key on the hot path. */
export function importKeys(jwks: FloorConfig['jwks']): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const jwk of jwks.keys) {
    if (jwk.kty !== 'RSA' || typeof jwk.kid !== 'string') continue;
    keys.set(
      jwk.kid,
      createPublicKey({ key: { kty: 'RSA', n: jwk.n as string, e: jwk.e as string }, format: 'jwk' }),
    );
  }
  return keys;
}

export function createFloorVerifier(config: FloorConfig): FloorVerifier {
  const keys = importKeys(config.jwks);
  const audiences = new Set(config.audiences);
  const tolerance = config.clockToleranceSeconds ?? 300;
  const { issuer, tenantId } = config;
  return (token: string) => {
    const first = token.indexOf('.');
    const second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0) reject('malformed');
    const header = JSON.parse(Buffer.from(token.slice(0, first), 'base64url').toString('utf8'));
    if (header.alg !== 'RS256') reject('alg');
    const key = keys.get(header.kid);
    if (key === undefined) reject('kid');
    const signature = Buffer.from(token.slice(second + 1), 'base64url');
    if (!verify('RSA-SHA256', Buffer.from(token.slice(0, second), 'latin1'), key, signature)) {
      reject('signature');
    }
    const payload = JSON.parse(Buffer.from(token.slice(first + 1, second), 'base64url').toString('utf8'));
    const now = Date.now() / 1000;
    if (typeof payload.exp !== 'number' || now >= payload.exp + tolerance) reject('exp');
    if (typeof payload.nbf === 'number' && now < payload.nbf - tolerance) reject('nbf');
    if (payload.iss !== issuer) reject('iss');
    if (!audiences.has(payload.aud)) reject('aud');
    if (payload.ver !== '2.0') reject('ver');
    if (payload.tid !== tenantId) reject('tid');
    return payload;
  };
}

/** `Bearer <token>` → the token, or `undefined`. */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (typeof header !== 'string' || header.length < 8) return undefined;
  if (header.charCodeAt(6) !== 32 || header.slice(0, 6).toLowerCase() !== 'bearer') return undefined;
  return header.slice(7);
}
