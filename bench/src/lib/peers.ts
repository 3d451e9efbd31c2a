/**
 * Every verifier the suite compares, each configured the way its README tells a user to (issuer,
 * audience, RS256 only), behind one shape: `verify(token)` resolves with the claims or throws.
 */
import { get } from 'node:http';
import { createRequire } from 'node:module';
import type { EntraValidator, EntraValidatorOptions } from '@org/entra-core';
import * as core from '@org/entra-core';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { createLocalJWKSet, createRemoteJWKSet, type JWK, jwtVerify } from 'jose';
import jwt from 'jsonwebtoken';
import jwksRsa from 'jwks-rsa';
import { createFloorVerifier, importKeys } from './floor.js';
import { type KitInfo, validatorOptions } from './kit.js';

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

/**
 * aws-jwt-verify fetches with `node:https`, which refuses `http:` URLs. This fetcher does the same
 * with `node:http`, for the loopback issuer only.
 */
export const loopbackFetcher: Fetcher = {
  fetch: (uri) =>
    new Promise<ArrayBuffer>((resolve, reject) => {
      const request = get(uri, { timeout: 5000 }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) {
            reject(new Error(`status ${response.statusCode}`));
            return;
          }
          const body = Buffer.concat(chunks);
          resolve(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
        });
        response.on('error', reject);
      });
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', reject);
    }),
};

type CoreModule = typeof core;

/**
 * A second copy of the core's ES module, loaded while `process.getBuiltinModule` is hidden: it finds
 * no `node:crypto` and no `node:buffer`, as on an edge runtime, and verifies through WebCrypto. The
 * query string makes Node load the same file as a separate module instance.
 */
export async function loadWebCryptoCore(): Promise<CoreModule> {
  const url = import.meta.resolve('@org/entra-core');
  const proc = process as unknown as { getBuiltinModule?: unknown };
  const saved = proc.getBuiltinModule;
  proc.getBuiltinModule = undefined;
  try {
    return (await import(`${url}?webcrypto`)) as CoreModule;
  } finally {
    proc.getBuiltinModule = saved;
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

function ours(
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
  /** Overrides of the core module (the WebCrypto copy). */
  readonly webCore?: CoreModule;
  /** Size of the token pool the contender will cycle through (sizes the cache-miss case). */
  readonly pool?: number;
}

const OPTIONS = { algorithms: ['RS256'] };

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
      // The default cache (5000 entries) when the cycled pool is more than twice as large, so every call misses
      // (and its doorkeeper admits none of them); a smaller cache for small test pools.
      const pool = setup.pool ?? 0;
      return ours(
        id,
        '@org/entra-core, default cache on, every call a miss',
        core,
        validatorOptions(kit, pool > 10000 ? {} : { tokenCache: { max: Math.max(1, Math.floor(pool / 4)) } }),
      );
    }
    case 'ours-cached':
      return ours(id, '@org/entra-core, cache hit', core, validatorOptions(kit));
    case 'ours-webcrypto': {
      if (setup.webCore === undefined) throw new Error('ours-webcrypto needs the WebCrypto copy of the core');
      return ours(
        id,
        '@org/entra-core (WebCrypto)',
        setup.webCore,
        validatorOptions(kit, { tokenCache: false }),
      );
    }
    case 'jose-keyobject': {
      const keys = importKeys(jwks);
      const getKey = (header: { kid?: string }) => {
        const key = header.kid === undefined ? undefined : keys.get(header.kid);
        if (key === undefined) throw new Error('no key');
        return key;
      };
      return {
        id,
        label: 'jose jwtVerify (KeyObject)',
        verify: (token) => jwtVerify(token, getKey, { issuer, audience, ...OPTIONS }),
      };
    }
    case 'jose-local': {
      const set = createLocalJWKSet(jwks as { keys: JWK[] });
      return {
        id,
        label: 'jose jwtVerify (createLocalJWKSet)',
        verify: (token) => jwtVerify(token, set, { issuer, audience, ...OPTIONS }),
      };
    }
    case 'jose-remote': {
      const set = createRemoteJWKSet(new URL(kit.jwksUri));
      return {
        id,
        label: 'jose jwtVerify (createRemoteJWKSet)',
        verify: (token) => jwtVerify(token, set, { issuer, audience, ...OPTIONS }),
      };
    }
    case 'aws-jwt-verify': {
      const verifier = JwtRsaVerifier.create(
        { issuer, audience, jwksUri: kit.jwksUri },
        { jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) },
      );
      // The README's "hydrate": load the key set before the first token.
      verifier.cacheJwks(jwks as never);
      return { id, label: 'aws-jwt-verify JwtRsaVerifier.verify', verify: (token) => verifier.verify(token) };
    }
    case 'aws-jwt-verify-remote': {
      const verifier = JwtRsaVerifier.create(
        { issuer, audience, jwksUri: kit.jwksUri },
        { jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) },
      );
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
