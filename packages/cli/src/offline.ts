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
 * The validator is set up for the flavour of Entra the options name (`--b2c-policy`: Azure AD B2C,
 * whose policy check then runs; `--external-id`), else for the one the token shows (a B2C token is
 * read with B2C's rules, where a `nonce` does not make an ID token), so that what follows the
 * flavour's own rules is judged as the API would once configured for it. The issuer is still the
 * token's own: its host and tenant are taken on trust (a stand-in serves any metadata URL).
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
  type EntraCloud,
  EntraConfigError,
  type EntraEvent,
  type EntraPrincipal,
  type EntraValidatorOptions,
  isEntraAuthError,
  isGuid,
} from '@org/entra-core';
import type { Expectations } from './advice.js';
import { pastKeyLookup, positionOf } from './checks.js';
import type { RefusalContext } from './explanations.js';
import { tokenFlavour } from './flavours.js';
import { claim, stringClaim, type TokenSummary } from './token.js';

/** What the API expects, as `explain` was told (each optional). */
export interface OfflineOptions {
  readonly audience?: string | readonly string[] | undefined;
  readonly clientId?: string | undefined;
  readonly tenantId?: string | undefined;
  readonly tokenVersion?: '1.0' | '2.0' | undefined;
  readonly cloud?: EntraCloud | undefined;
  readonly b2c?:
    | { readonly domain?: string | undefined; readonly policies?: readonly string[] | undefined }
    | undefined;
  readonly externalId?: { readonly domain?: string | undefined } | undefined;
}

/** Where the stand-in issuer lives: a host that cannot exist (RFC 6761 `.invalid`). */
const STAND_IN_HOST = 'token-issuer.invalid';
const ORIGIN = `https://${STAND_IN_HOST}`;

/** The stand-in's key set, on the host of whichever metadata document names it. */
const KEYS_PATH = '/token-issuer-stand-in/keys';

/** The B2C tenant named in the metadata URLs offline: a name, so that any tenant GUID in the issuer passes. */
const STAND_IN_B2C_TENANT = 'token-issuer.onmicrosoft.com';

/** A B2C policy to configure when none is known: a token naming none is refused before it matters. */
const STAND_IN_POLICY = 'B2C_1_policy';

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
  /**
   * A `fetch` that serves any discovery document (announcing `issuer`), wherever the configuration
   * looks for it, and the key set beside it.
   */
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
      const json = (body: string): Response =>
        new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
      return async (url) => {
        const parsed = URL.canParse(url) ? new URL(url) : undefined;
        // v2.0 and v1.0 documents alike (the v1.0 one for v1 tokens), and B2C's per policy.
        if (parsed?.pathname.endsWith('/.well-known/openid-configuration') === true) {
          return json(JSON.stringify({ issuer, jwks_uri: `${parsed.origin}${KEYS_PATH}` }));
        }
        if (parsed?.pathname === KEYS_PATH) return json(keys);
        return new Response('not found', { status: 404 });
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

/** The validator's settings for the flavour the options name (`explicit`) or the token shows. */
interface Flavoured {
  readonly settings: Settings;
  readonly explicit: boolean;
}

/** The token's issuer as a B2C domain: its origin (an https host, or a loopback origin in tests). */
function issuerDomain(iss: string | undefined): string | undefined {
  if (iss === undefined || !URL.canParse(iss)) return undefined;
  const url = new URL(iss);
  return url.protocol === 'https:' ? url.host : url.origin;
}

function flavoured(decoded: DecodedToken, options: OfflineOptions, common: Settings): Flavoured[] {
  const flavour = tokenFlavour(decoded.payload);
  const iss = stringClaim(decoded.payload, 'iss');
  const b2c =
    options.b2c !== undefined ||
    (options.externalId === undefined && flavour.kind === 'b2c' && options.tokenVersion !== '2.0');
  if (b2c) {
    const given = options.b2c?.policies;
    const policies =
      given !== undefined && given.length > 0
        ? [...given]
        : [flavour.kind === 'b2c' && flavour.policy !== undefined ? flavour.policy : STAND_IN_POLICY];
    const explicit = options.b2c !== undefined;
    // The token's host first, so that its issuer can be announced; else the stand-in's own.
    return [issuerDomain(iss), STAND_IN_HOST]
      .filter((domain) => domain !== undefined)
      .map((domain) => ({
        settings: { ...common, b2c: { domain, tenantId: STAND_IN_B2C_TENANT, policies } } as Settings,
        explicit,
      }));
  }
  const externalId =
    options.externalId !== undefined || (flavour.kind === 'externalId' && options.tokenVersion !== '1.0');
  if (externalId) {
    const tid = stringClaim(decoded.payload, 'tid');
    const tenantId = tid !== undefined && isGuid(tid) ? tid : options.tenantId;
    if (tenantId === undefined || !isGuid(tenantId)) return [];
    return [
      {
        settings: { ...common, externalId: { tenantId, domain: STAND_IN_HOST } } as Settings,
        explicit: options.externalId !== undefined,
      },
    ];
  }
  return [];
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
  const audience = audiencesOf(options);
  const audienceKnown = audience !== undefined || options.clientId !== undefined;
  const common = {
    audience: audienceKnown ? audience : UNKNOWN_AUDIENCE,
    clientId: options.clientId,
    tokenVersions: options.tokenVersion === undefined ? undefined : [options.tokenVersion],
    clock: () => nowMs,
    tokenCache: false,
  } as Settings;
  const flavour =
    options.b2c !== undefined
      ? 'b2c'
      : options.externalId !== undefined
        ? 'externalId'
        : options.cloud !== undefined || options.tenantId !== undefined
          ? 'workforce'
          : undefined;
  const given = options.b2c?.policies;
  const run = new OfflineRun(jwt, decoded, summary, standIn, nowMs, audienceKnown, {
    tenantId: options.tenantId?.trim().toLowerCase() || undefined,
    flavour,
    cloud: flavour === 'workforce' ? (options.cloud ?? 'public') : undefined,
    policies: given !== undefined && given.length > 0 ? given : undefined,
  });
  let configError: unknown;
  for (const attempt of flavoured(decoded, options, common)) {
    try {
      const verdict = await run.run(attempt.settings, true);
      if (verdict !== undefined) return verdict;
      break; // the token's issuer is not of that flavour's form: judged by the default rules
    } catch (error) {
      if (!(error instanceof EntraConfigError)) throw error;
      // The options' own mistake, once the stand-in's host was tried too.
      if (attempt.explicit) configError = error;
    }
  }
  if (configError !== undefined) throw configError;
  const settings = {
    ...common,
    tenantId: options.tenantId ?? 'common',
    allowAnyTenant: true,
    discoveryUrl: STAND_IN_DISCOVERY_URL,
  } as Settings;
  return (await run.run(settings, false)) as OfflineVerdict;
}

/** Where the expectations come from beside the validator's configuration. */
type Stated = Pick<Expectations, 'tenantId' | 'flavour' | 'cloud' | 'policies'>;

/** One token, run through the validator (with one set of settings, then another if need be). */
class OfflineRun {
  private expect: Expectations | undefined;

  constructor(
    private readonly jwt: string,
    private readonly decoded: DecodedToken,
    private readonly summary: TokenSummary,
    private readonly standIn: StandInIssuer,
    private readonly nowMs: number,
    private readonly audienceKnown: boolean,
    private readonly stated: Stated,
  ) {}

  /**
   * Runs until the validator accepts the token or refuses it for a reason of its own. `flavoured`:
   * the settings are a flavour's guessed from the token; a metadata document refused (the token's
   * issuer is not of that flavour's form) returns `undefined`, to be run again with the defaults.
   */
  async run(initial: Settings, flavoured: boolean): Promise<OfflineVerdict | undefined> {
    const { jwt, decoded, summary, standIn, nowMs, audienceKnown } = this;
    const iss = claim(decoded.payload, 'iss');
    let settings = initial;
    let token = jwt;
    let issuer = typeof iss === 'string' ? iss : NO_ISSUER;
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
      this.expect ??= {
        audiences: audienceKnown ? config.audiences : [],
        clientId: config.clientId,
        tokenVersions: config.tokenVersions,
        clockToleranceSeconds: config.clockToleranceSeconds,
        maxTokenLength: config.maxTokenLength,
        ...this.stated,
      };
      const expect = this.expect;
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
      if (error.check === 'keys' && flavoured) return undefined;
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
}
