/**
 * Every verifier the suite compares, each configured the way its README tells a user to (issuer,
 * audience, RS256 only), behind one shape: `verify(token)` resolves with the claims or throws.
 */
import { createRequire } from 'node:module';
import type { EntraEventListener, EntraValidator, EntraValidatorOptions } from '@org/entra-core';
import * as core from '@org/entra-core';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type JWK,
  type JWTVerifyGetKey,
  jwtVerify,
  type RemoteJWKSetOptions,
} from 'jose';
import jwt from 'jsonwebtoken';
import jwksRsa from 'jwks-rsa';
import type { CoreModule } from './edge-core.js';
import { createFloorVerifier, importKeys } from './floor.js';
import { CORE_TOKEN_CACHE_MAX, type KitInfo, validatorOptions } from './kit.js';
import { loopbackFetcher } from './loopback.js';

/**
 * express-oauth2-jwt-bearer declares `req.auth` globally with its own type, as our Express adapter
 * does with `EntraPrincipal`: the two declarations cannot share one TypeScript program, so its
 * types are kept out (an app would use one or the other).
 */
type Middleware = (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
export const oauth2BearerAuth = (
  createRequire(import.meta.url)('express-oauth2-jwt-bearer') as {
    auth: (options: Record<string, unknown>) => Middleware;
  }
).auth;

export interface Contender {
  readonly id: string;
  readonly label: string;
  /** Resolves (or returns) the verified claims; throws or rejects for a refused token. */
  verify(token: string): unknown;
  close?(): void;
}

export type Jwks = { keys: Record<string, unknown>[] };

export async function fetchJwks(kit: KitInfo): Promise<Jwks> {
  // One retry: a kept-alive connection the issuer has just closed fails the first attempt.
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(kit.jwksUri);
      if (!response.ok) throw new Error(`JWKS fetch failed: ${response.status}`);
      return (await response.json()) as Jwks;
    } catch (error) {
      if (attempt >= 2) throw error;
    }
  }
}

/** Counts `crypto.subtle.verify` calls while `run` runs: proves which path a validator takes. */
export async function countSubtleVerifies(run: () => Promise<unknown>): Promise<number> {
  const subtle = globalThis.crypto.subtle;
  const original = subtle.verify;
  let calls = 0;
  subtle.verify = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['verify']>) {
    calls++;
    return original.apply(this, args);
  } as SubtleCrypto['verify'];
  try {
    await run();
  } finally {
    subtle.verify = original;
  }
  return calls;
}

/** Our validator from `module` (the node build, or the edge bundle) as a contender. */
export function ours(
  id: string,
  label: string,
  module: CoreModule,
  options: EntraValidatorOptions,
): Contender & { validator: EntraValidator } {
  const validator = module.createEntraValidator(options);
  return { id, label, validator, verify: (token) => validator.verify(token), close: () => validator.close() };
}

/** The shared pieces a contender is made from. */
export interface PeerSetup {
  readonly kit: KitInfo;
  /** The key set, fetched once, for verifiers that are handed keys rather than a URL. */
  readonly jwks: Jwks;
  /** The core as bundled for an edge runtime (WebCrypto), for `ours-webcrypto`. */
  readonly edgeCore?: CoreModule;
  /** The `entraTelemetry()` listener, for the `-telemetry` contenders. */
  readonly onEvent?: EntraEventListener;
  /** Size of the token pool the contender will cycle through (sizes the cache-miss case). */
  readonly pool?: number;
}

/** jose's `jwtVerify` with a key lookup, as its README configures it (issuer, audience, RS256). */
function jose(id: string, label: string, kit: KitInfo, getKey: JWTVerifyGetKey): Contender {
  const options = { issuer: kit.issuer, audience: kit.clientId, algorithms: ['RS256'] };
  return { id, label, verify: (token) => jwtVerify(token, getKey, options) };
}

/** jose with `createRemoteJWKSet` (its cache options may be given). */
export function joseRemote(kit: KitInfo, options?: RemoteJWKSetOptions): Contender {
  const set = createRemoteJWKSet(new URL(kit.jwksUri), options);
  return jose('jose-remote', 'jose jwtVerify (createRemoteJWKSet)', kit, set);
}

/** aws-jwt-verify's RSA verifier for the kit, fetching over loopback HTTP. */
export function awsVerifier(kit: KitInfo) {
  return JwtRsaVerifier.create(
    { issuer: kit.issuer, audience: kit.clientId, jwksUri: kit.jwksUri },
    { jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) },
  );
}

function need<T>(value: T | undefined, id: ContenderId): T {
  if (value === undefined) throw new Error(`${id} needs more in its PeerSetup`);
  return value;
}

/** Makes one contender by id. Remote variants fetch their keys from the kit on first use. */
export function createContender(id: ContenderId, setup: PeerSetup): Contender {
  const { kit, jwks } = setup;
  const issuer = kit.issuer;
  const audience = kit.clientId;
  switch (id) {
    case 'floor': {
      const verify = createFloorVerifier({
        jwks,
        issuer,
        audiences: [audience, `api://${audience}`],
        tenantId: kit.tenantId,
      });
      return { id, label: 'floor: node:crypto.verify + claim checks', verify };
    }
    case 'ours':
      return ours(id, '@org/entra-core (node:crypto)', core, validatorOptions(kit, { tokenCache: false }));
    case 'ours-cache-miss': {
      // The default cache (5000 entries, least recently used evicted) when the pool, cycled in
      // order, is larger: every token has been evicted before it comes back, so every call misses.
      // A smaller cache for small test pools.
      const pool = setup.pool ?? 0;
      return ours(
        id,
        '@org/entra-core, default cache on, every call a miss',
        core,
        validatorOptions(
          kit,
          pool > CORE_TOKEN_CACHE_MAX ? {} : { tokenCache: { max: Math.max(1, Math.floor(pool / 4)) } },
        ),
      );
    }
    case 'ours-cached':
      return ours(id, '@org/entra-core, cache hit', core, validatorOptions(kit));
    case 'ours-telemetry':
      return ours(
        id,
        '@org/entra-core + entraTelemetry()',
        core,
        validatorOptions(kit, { tokenCache: false, onEvent: need(setup.onEvent, id) }),
      );
    case 'ours-cached-telemetry':
      return ours(
        id,
        '@org/entra-core + entraTelemetry(), cache hit',
        core,
        validatorOptions(kit, { onEvent: need(setup.onEvent, id) }),
      );
    case 'ours-webcrypto':
      return ours(
        id,
        '@org/entra-core (WebCrypto)',
        need(setup.edgeCore, id),
        validatorOptions(kit, { tokenCache: false }),
      );
    case 'jose-keyobject': {
      const keys = importKeys(jwks);
      return jose(id, 'jose jwtVerify (KeyObject)', kit, (header) => {
        const key = header.kid === undefined ? undefined : keys.get(header.kid);
        if (key === undefined) throw new Error('no key');
        return key;
      });
    }
    case 'jose-local':
      return jose(id, 'jose jwtVerify (createLocalJWKSet)', kit, createLocalJWKSet(jwks as { keys: JWK[] }));
    case 'jose-remote':
      return joseRemote(kit);
    case 'aws-jwt-verify':
    case 'aws-jwt-verify-remote': {
      const verifier = awsVerifier(kit);
      // The README's "hydrate": load the key set before the first token (the remote variant fetches it then).
      if (id === 'aws-jwt-verify') verifier.cacheJwks(jwks as never);
      return { id, label: 'aws-jwt-verify JwtRsaVerifier.verify', verify: (token) => verifier.verify(token) };
    }
    case 'oauth2-jwt-bearer':
      return oauth2Bearer(id, kit, {});
    case 'jsonwebtoken-jwks-rsa':
      return jsonwebtoken(id, kit, {});
  }
}

/**
 * express-oauth2-jwt-bearer exports only its Express middleware, so its verifier is reached through
 * it, with the smallest request object it reads.
 */
export function oauth2Bearer(id: string, kit: KitInfo, extra: Record<string, unknown>): Contender {
  const middleware = oauth2BearerAuth({ issuerBaseURL: kit.issuer, audience: kit.clientId, ...extra });
  const verify = (token: string) =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, host: '127.0.0.1' };
      const req = {
        headers,
        query: {},
        body: undefined,
        method: 'GET',
        protocol: 'http',
        url: '/',
        originalUrl: '/',
        get: (name: string) => headers[name.toLowerCase()],
        is: () => false,
      };
      middleware(req, {}, (error?: unknown) =>
        error === undefined ? resolve((req as { auth?: unknown }).auth) : reject(error),
      );
    });
  return { id, label: 'express-oauth2-jwt-bearer', verify };
}

/** jsonwebtoken with jwks-rsa's key lookup, as in jwks-rsa's README (cache and rate limit on). */
export function jsonwebtoken(id: string, kit: KitInfo, extra: Partial<jwksRsa.Options>): Contender {
  const client = jwksRsa({ jwksUri: kit.jwksUri, cache: true, rateLimit: true, ...extra });
  const getKey: jwt.GetPublicKeyOrSecret = (header, callback) => {
    client.getSigningKey(header.kid, (error, key) => callback(error, key?.getPublicKey()));
  };
  const options: jwt.VerifyOptions = {
    issuer: kit.issuer,
    audience: kit.clientId,
    algorithms: ['RS256'],
  };
  const verify = (token: string) =>
    new Promise((resolve, reject) => {
      jwt.verify(token, getKey, options, (error, payload) => (error ? reject(error) : resolve(payload)));
    });
  return { id, label: 'jsonwebtoken + jwks-rsa', verify };
}

export const CONTENDER_IDS = [
  'floor',
  'ours',
  'ours-cache-miss',
  'ours-cached',
  'ours-telemetry',
  'ours-cached-telemetry',
  'ours-webcrypto',
  'jose-keyobject',
  'jose-local',
  'jose-remote',
  'aws-jwt-verify',
  'aws-jwt-verify-remote',
  'oauth2-jwt-bearer',
  'jsonwebtoken-jwks-rsa',
] as const;

export type ContenderId = (typeof CONTENDER_IDS)[number];

/** Resolves whatever `verify` returned: a value, a promise, or a throw. */
export async function settle(contender: Contender, token: string): Promise<boolean> {
  try {
    await contender.verify(token);
    return true;
  } catch {
    return false;
  }
}

export type Outcome = 'accepted' | 'rejected' | 'timeout';

/** Like {@link settle}, but gives up after `ms` (some verifiers queue requests behind a rate limiter). */
export function settleWithin(contender: Contender, token: string, ms: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), ms);
    settle(contender, token).then((ok) => {
      clearTimeout(timer);
      resolve(ok ? 'accepted' : 'rejected');
    });
  });
}
