/**
 * `explain` runs the real validator of `@org/entra-core` without the network. It stands in for the
 * issuer the token names: an in-process discovery document that announces the token's own `iss`, and a
 * key set with one throwaway key under the token's `kid`, with which the token is signed again. Every
 * rule of the validator then runs as it would online; what is taken on trust is exactly what cannot be
 * checked offline: the signature, and that the issuer is the API's (`verify` checks both).
 *
 * After a refusal that only a setting caused (the clock, the accepted versions or audiences, the need
 * for a permission), the validator runs again without that setting, so one run of `explain` reports
 * every problem the token has, each a refusal of the core.
 *
 * Nothing leaves the process: the validator's `fetch` is a function answering from memory.
 */
import { Buffer } from 'node:buffer';
import { webcrypto } from 'node:crypto';
import {
  createEntraValidator,
  type DecodedToken,
  type EntraAuthCheck,
  type EntraAuthError,
  type EntraEvent,
  type EntraPrincipal,
  type EntraValidatorOptions,
  isEntraAuthError,
} from '@org/entra-core';
import type { Expectations } from './advice.js';
import { pastKeyLookup, positionOf } from './checks.js';
import type { RefusalContext } from './explanations.js';
import { claim, type TokenSummary } from './token.js';

/** What the API expects, as `explain` was told (each optional). */
export interface OfflineOptions {
  readonly audience?: string | readonly string[] | undefined;
  readonly clientId?: string | undefined;
  readonly tenantId?: string | undefined;
  readonly tokenVersion?: '1.0' | '2.0' | undefined;
}

/** Where the stand-in issuer lives: a host that cannot exist (RFC 6761 `.invalid`). */
const ORIGIN = 'https://token-issuer.invalid';

/** The stand-in's v2.0 discovery document: the validator's `discoveryUrl`. */
const STAND_IN_DISCOVERY_URL = `${ORIGIN}/v2.0/.well-known/openid-configuration`;

/** The issuer announced when the token names none that can be announced: the validator then refuses `iss`. */
const NO_ISSUER = `${ORIGIN}/no-issuer`;

const ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
} as const;

let keyPair: Promise<webcrypto.CryptoKeyPair> | undefined;

/** One throwaway key per process, made on first use (RSA-2048 takes a moment). */
function throwawayKey(): Promise<webcrypto.CryptoKeyPair> {
  keyPair ??= webcrypto.subtle.generateKey(ALGORITHM, true, [
    'sign',
    'verify',
  ]) as Promise<webcrypto.CryptoKeyPair>;
  return keyPair;
}

/** The stand-in for a token's issuer. */
interface StandInIssuer {
  /** The token signed again with the throwaway key (its header and claims unchanged). */
  readonly resigned: string;
  /** A `fetch` that serves the discovery documents (announcing `issuer`) and the key set. */
  fetch(issuer: string): (url: string) => Promise<Response>;
}

/** Makes the stand-in for a token whose header names `kid`. */
async function standInIssuer(token: string, kid: unknown): Promise<StandInIssuer> {
  const { privateKey, publicKey } = await throwawayKey();
  const signingInput = token.slice(0, token.lastIndexOf('.'));
  const signature = await webcrypto.subtle.sign(
    ALGORITHM.name,
    privateKey,
    new TextEncoder().encode(signingInput),
  );
  const jwk = await webcrypto.subtle.exportKey('jwk', publicKey);
  const keys = JSON.stringify({
    keys: [{ kty: 'RSA', use: 'sig', kid: typeof kid === 'string' ? kid : 'none', n: jwk.n, e: jwk.e }],
  });
  return {
    resigned: `${signingInput}.${Buffer.from(signature).toString('base64url')}`,
    fetch(issuer) {
      const discovery = JSON.stringify({ issuer, jwks_uri: `${ORIGIN}/discovery/keys` });
      const documents = new Map([
        [STAND_IN_DISCOVERY_URL, discovery],
        [`${ORIGIN}/.well-known/openid-configuration`, discovery], // the v1.0 one, for v1 tokens
        [`${ORIGIN}/discovery/keys`, keys],
      ]);
      return async (url) => {
        const body = documents.get(url);
        return body === undefined
          ? new Response('not found', { status: 404 })
          : new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
      };
    },
  };
}

/** The audience configured when none is given: no token has it, so the token's own is tried next. */
const UNKNOWN_AUDIENCE = 'urn:entra-token:audience-not-given';
/** A clock tolerance no token's times exceed: the times are judged once, not again after each setting. */
const ANY_TIME_SECONDS = 200 * 365 * 24 * 3600;

/** What the validator found, run after run. */
export interface OfflineVerdict {
  readonly refusals: readonly RefusalContext[];
  /** Where the last run stopped in the order of checks; `Infinity` when it accepted the token. */
  readonly stoppedAt: number;
  readonly principal: EntraPrincipal | undefined;
  readonly expect: Expectations;
}

type Settings = EntraValidatorOptions;

/** A token's `aud`, as an accepted audience. */
function ownAudience(decoded: DecodedToken): string | string[] | undefined {
  const aud = claim(decoded.payload, 'aud');
  if (typeof aud === 'string' && aud !== '') return aud;
  if (Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === 'string' && a !== '')) return aud;
  return undefined;
}

/**
 * After a refusal caused by a setting, the settings without it: the validator runs again to find the
 * next problem. No entry (or `undefined`): the refusal is the token's own, nothing after it is judged.
 */
const WITHOUT: Partial<
  Record<
    EntraAuthCheck,
    (error: EntraAuthError, settings: Settings, decoded: DecodedToken) => Settings | undefined
  >
> = {
  exp: (e, s) => (e.code === 'token_expired' ? { ...s, clockToleranceSeconds: ANY_TIME_SECONDS } : undefined),
  nbf: (e, s) =>
    e.code === 'token_not_yet_valid' ? { ...s, clockToleranceSeconds: ANY_TIME_SECONDS } : undefined,
  iat: (e, s) =>
    e.code === 'token_not_yet_valid' ? { ...s, clockToleranceSeconds: ANY_TIME_SECONDS } : undefined,
  ver: (_, s) => (s.tokenVersions === undefined ? undefined : { ...s, tokenVersions: undefined }),
  aud: (e, s, decoded) => {
    const audience = ownAudience(decoded);
    return e.code === 'invalid_audience' && audience !== undefined
      ? { ...s, audience, clientId: undefined }
      : undefined;
  },
  scp: (e, s) => (e.code === 'missing_permissions' ? { ...s, requireScopeOrRole: false } : undefined),
};

function audiencesOf(options: OfflineOptions): string[] | undefined {
  if (options.audience === undefined) return undefined;
  const list = typeof options.audience === 'string' ? [options.audience] : [...options.audience];
  return list.length === 0 ? undefined : list;
}

/**
 * Runs the validator on the token, offline, until it accepts it or refuses it for a reason of its
 * own. Throws `EntraConfigError` for options the validator refuses.
 */
export async function verifyOffline(
  jwt: string,
  decoded: DecodedToken,
  summary: TokenSummary,
  options: OfflineOptions,
  nowMs: number,
): Promise<OfflineVerdict> {
  const standIn = await standInIssuer(jwt, claim(decoded.header, 'kid'));
  const iss = claim(decoded.payload, 'iss');
  const audience = audiencesOf(options);
  const audienceKnown = audience !== undefined || options.clientId !== undefined;
  let settings: Settings = {
    tenantId: options.tenantId ?? 'common',
    allowAnyTenant: true,
    discoveryUrl: STAND_IN_DISCOVERY_URL,
    audience: audienceKnown ? audience : UNKNOWN_AUDIENCE,
    clientId: options.clientId,
    tokenVersions: options.tokenVersion === undefined ? undefined : [options.tokenVersion],
    clock: () => nowMs,
    tokenCache: false,
  } as Settings;
  let token = jwt;
  let issuer = typeof iss === 'string' ? iss : NO_ISSUER;
  let expect: Expectations | undefined;
  const refusals: RefusalContext[] = [];
  const relaxed = new Set<EntraAuthCheck>();
  for (;;) {
    const events: EntraEvent[] = [];
    const validator = createEntraValidator({
      ...settings,
      fetch: standIn.fetch(issuer),
      onEvent: (e) => {
        events.push(e);
      },
    });
    const config = validator.config;
    expect ??= {
      audiences: audienceKnown ? config.audiences : [],
      clientId: config.clientId,
      tenantId: options.tenantId?.trim().toLowerCase() || undefined,
      tokenVersions: config.tokenVersions,
      clockToleranceSeconds: config.clockToleranceSeconds,
      maxTokenLength: config.maxTokenLength,
    };
    let error: EntraAuthError;
    try {
      const principal = await validator.verify(token);
      return { refusals, stoppedAt: Number.POSITIVE_INFINITY, principal, expect };
    } catch (e) {
      if (!isEntraAuthError(e)) throw e;
      error = e;
    } finally {
      validator.close();
    }
    // Taken on trust offline: the signature (the token is signed again), and an issuer that can be
    // announced (if the token's cannot, none is, and the validator refuses `iss`).
    if (error.check === 'signature' && token === jwt) {
      token = standIn.resigned;
      continue;
    }
    if (error.check === 'keys' && issuer !== NO_ISSUER) {
      issuer = NO_ISSUER;
      continue;
    }
    if (!(error.code === 'invalid_audience' && !audienceKnown)) {
      refusals.push({
        code: error.code,
        check: error.check,
        message: error.message,
        cause: undefined,
        token,
        decoded,
        summary,
        expect,
        events,
        nowMs,
        offline: true,
      });
    }
    const next = relaxed.has(error.check) ? undefined : WITHOUT[error.check]?.(error, settings, decoded);
    if (next === undefined) {
      return {
        refusals,
        stoppedAt: positionOf(error.check, pastKeyLookup(events)),
        principal: undefined,
        expect,
      };
    }
    relaxed.add(error.check);
    settings = next;
  }
}
