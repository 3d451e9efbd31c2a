/**
 * `createEntraValidator`: options in, a validator out. One token goes straight down `verifyToken`:
 *
 * parse → key → signature → claims → tenant → permissions → principal
 *
 * The signature is checked before any claim, so a forged token is always `invalid_signature` or
 * `unknown_signing_key`, never "expired" or "insufficient scope".
 */
import { verifySignature } from '#runtime';
import { planAuthority } from './authority/index.js';
import type { AuthorityDocument, AuthorityPlan, IssuerRule } from './authority/plan.js';
import { bearerCandidate, extractBearerToken } from './bearer.js';
import {
  checkAudience,
  checkClient,
  checkHasPermissions,
  checkIssuer,
  checkKeyIssuer,
  checkNotGuest,
  checkNotIdToken,
  checkTimes,
  checkVersion,
  readPermissions,
} from './claims.js';
import { type ResolvedConfig, resolveConfig } from './config.js';
import { EntraAuthError, EntraConfigError, isEntraAuthError } from './errors.js';
import { emit } from './events.js';
import { type EntraMetadata, MetadataSource } from './keys/discovery.js';
import { KeySet } from './keys/jwks.js';
import type { StoreContext } from './keys/store.js';
import type { EntraValidatorOptions } from './options.js';
import { buildPrincipal, type EntraPrincipal } from './principal.js';
import { TenantPolicy } from './tenants.js';
import { type ClaimSet, parseToken } from './token.js';
import { TokenCache } from './token-cache.js';

/** The brand `isEntraValidator` checks (a registered symbol: it survives duplicated copies of this package). */
export const VALIDATOR_BRAND: unique symbol = Symbol.for('@org/entra-core.EntraValidator') as never;

/**
 * What `combineValidators` reads from a validator of this copy of the package: its resolved
 * configuration and authority plan. Not part of the public API.
 */
export const VALIDATOR_INTERNALS: unique symbol = Symbol('@org/entra-core.ValidatorInternals') as never;

/** See {@link VALIDATOR_INTERNALS}. */
export interface ValidatorInternals {
  readonly config: ResolvedConfig;
  readonly plan: AuthorityPlan;
}

/** Every refusal is an `EntraAuthError`: anything else that escapes a check is a malformed token. */
function asAuthError(error: unknown): EntraAuthError {
  return isEntraAuthError(error) ? error : new EntraAuthError('malformed_token', { cause: error });
}

/**
 * What a validator was configured with, for adapters and documentation helpers.
 *
 * @example
 * ```ts
 * const { audiences, discoveryUrl, multiTenant }: EntraValidatorConfig = validator.config;
 * console.log(`accepting ${audiences.join(', ')} from ${discoveryUrl}${multiTenant ? ' (multi-tenant)' : ''}`);
 * ```
 */
export interface EntraValidatorConfig {
  /** The tenant as configured (lower case): a GUID, a domain, or `common` / `organizations` / `consumers`. */
  readonly tenantId: string;
  /** The API's application id, when given. */
  readonly clientId: string | undefined;
  /** The accepted audiences. */
  readonly audiences: readonly string[];
  /** The authority base URL (`undefined` with a custom `discoveryUrl`, for B2C and External ID). */
  readonly authority: string | undefined;
  /** The v2.0 discovery document's URL (B2C: the first policy's). */
  readonly discoveryUrl: string;
  /** True for `common` / `organizations`. */
  readonly multiTenant: boolean;
  /** Which kind of Entra tenant: a workforce one, Azure AD B2C (`b2c`), or Entra External ID (`externalId`). */
  readonly flavour: 'workforce' | 'b2c' | 'externalId';
  /** Azure AD B2C: the accepted policies, as configured; `undefined` otherwise. */
  readonly policies: readonly string[] | undefined;
  /** Accepted `ver` values. */
  readonly tokenVersions: readonly ('1.0' | '2.0')[];
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. */
  readonly clockToleranceSeconds: number;
  /** Longest token accepted. */
  readonly maxTokenLength: number;
}

/**
 * Verifies Entra ID access tokens. Create one per API (at start-up) and share it: it holds the
 * metadata, the key cache and the verified-token cache.
 *
 * @example
 * ```ts
 * const validator: EntraValidator = createEntraValidator({ tenantId, clientId });
 * await validator.warmUp(); // optional: fetch metadata and keys before the first request
 * const principal = await validator.authenticate(request.headers.get('authorization'));
 * process.once('SIGTERM', () => validator.close());
 * ```
 */
export interface EntraValidator {
  /**
   * Verifies a raw JWT and returns the caller. Rejects only with `EntraAuthError`.
   *
   * @example
   * ```ts
   * const principal = await validator.verify(token);
   * ```
   */
  verify(token: string): Promise<EntraPrincipal>;
  /**
   * Verifies the token of an `Authorization` header value (RFC 6750: `Bearer <token>`). A missing
   * header rejects with `missing_token`, a malformed one with `invalid_request`.
   *
   * @example
   * ```ts
   * const principal = await validator.authenticate(req.headers.authorization);
   * ```
   */
  authenticate(authorization: string | readonly string[] | null | undefined): Promise<EntraPrincipal>;
  /**
   * Fetches the v2.0 discovery document and its key set now (one request each), so the first
   * request does not wait. With a `keyStore`, each is taken from the store when it holds a valid
   * copy; with `jwks.preload`, the keys are the preloaded ones. Rejects with `EntraConfigError` when the document speaks for another
   * tenant or authority, and with `EntraAuthError('keys_unavailable')` when the issuer is unreachable.
   *
   * @example
   * ```ts
   * await validator.warmUp();
   * ```
   */
  warmUp(): Promise<void>;
  /**
   * Stops background refreshes (the timer is unref'd anyway, so a process can exit without it).
   * The validator still verifies afterwards, fetching keys on demand.
   *
   * @example
   * ```ts
   * validator.close();
   * ```
   */
  close(): void;
  /** The configuration, normalised. */
  readonly config: EntraValidatorConfig;
}

/**
 * True for a validator made by `createEntraValidator` (checked by a brand, so it works across
 * duplicated copies of this package). Adapters use it to accept either options or a validator.
 *
 * @example
 * ```ts
 * const validator = isEntraValidator(input) ? input : createEntraValidator(input);
 * ```
 */
export function isEntraValidator(value: unknown): value is EntraValidator {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [VALIDATOR_BRAND]?: unknown })[VALIDATOR_BRAND] === true
  );
}

/**
 * One discovery document and what was fetched through it: a workforce tenant has one, an Azure AD
 * B2C tenant one per policy.
 */
interface Source {
  readonly document: AuthorityDocument;
  readonly v2: MetadataSource;
  v1: MetadataSource | undefined;
  keys: KeySet | undefined;
}

class Validator implements EntraValidator {
  declare readonly [VALIDATOR_BRAND]: true;
  declare readonly [VALIDATOR_INTERNALS]: ValidatorInternals;
  readonly config: EntraValidatorConfig;
  private readonly c: ResolvedConfig;
  private readonly plan: AuthorityPlan;
  private readonly sources: ReadonlyMap<AuthorityDocument, Source>;
  private readonly cache: TokenCache;
  private readonly tenants: TenantPolicy;
  private closed = false;

  constructor(options: EntraValidatorOptions) {
    const c = resolveConfig(options);
    this.c = c;
    this.plan = planAuthority(c);
    this.sources = new Map(
      this.plan.documents.map((document) => [
        document,
        {
          document,
          v2: this.metadataSource(document.v2DiscoveryUrl, '2.0', (iss) => document.checkV2Issuer(iss)),
          v1: undefined,
          keys: undefined,
        },
      ]),
    );
    this.cache = new TokenCache(c.tokenCacheMax);
    this.tenants = new TenantPolicy({
      allowedTenants: c.allowedTenants,
      allowAnyTenant: c.allowAnyTenant,
      excludeConsumers: this.plan.excludeConsumers,
      clock: c.clock,
      timeoutMs: c.jwks.timeoutMs,
      retryAfterSeconds: c.jwks.cooldownSeconds,
    });
    this.config = Object.freeze({
      tenantId: c.tenantId,
      clientId: c.clientId,
      audiences: Object.freeze([...c.audiences]),
      authority: this.plan.authority,
      discoveryUrl: this.plan.documents[0].v2DiscoveryUrl,
      multiTenant: this.plan.multiTenant,
      flavour: c.b2c !== undefined ? 'b2c' : c.externalId !== undefined ? 'externalId' : 'workforce',
      policies: c.b2c?.policies,
      tokenVersions: Object.freeze([...c.tokenVersions] as ('1.0' | '2.0')[]),
      clockToleranceSeconds: c.clockToleranceSeconds,
      maxTokenLength: c.maxTokenLength,
    });
    Object.defineProperty(this, VALIDATOR_BRAND, { value: true });
    Object.defineProperty(this, VALIDATOR_INTERNALS, {
      value: Object.freeze({ config: c, plan: this.plan }),
    });
  }

  verify(token: string): Promise<EntraPrincipal> {
    const started = this.c.onEvent === undefined ? 0 : performance.now();
    const hit = typeof token === 'string' ? this.cached(token) : undefined;
    return this.settle(started, hit ?? this.verifyToken(token));
  }

  authenticate(authorization: string | readonly string[] | null | undefined): Promise<EntraPrincipal> {
    const started = this.c.onEvent === undefined ? 0 : performance.now();
    // A token presented again (as clients do for its whole lifetime) is answered from the cache
    // before the header's characters are checked one by one: a cached token passed those checks,
    // and the header gives the same string again.
    const candidate = typeof authorization === 'string' ? bearerCandidate(authorization) : undefined;
    const hit = candidate === undefined ? undefined : this.cached(candidate);
    if (hit !== undefined) return this.settle(started, hit);
    let token: string;
    try {
      token = extractBearerToken(authorization, this.c.maxTokenLength);
    } catch (error) {
      return this.settle(started, Promise.reject(asAuthError(error)));
    }
    // Spelled otherwise (leading spaces, a one-element list), the token was not looked up yet.
    const late = token === candidate ? undefined : this.cached(token);
    return this.settle(started, late ?? this.verifyToken(token));
  }

  async warmUp(): Promise<void> {
    // Every document (B2C: every policy's) and its key set, one request each, concurrently.
    await Promise.all([...this.sources.values()].map((source) => this.warmUpSource(source)));
  }

  private async warmUpSource(source: Source): Promise<void> {
    let metadata: EntraMetadata;
    try {
      metadata = await source.v2.load();
    } catch (error) {
      const failure = source.v2.failure;
      if (failure?.reason === 'invalid_document') {
        throw new EntraConfigError(`${failure.message}`, { cause: error });
      }
      throw error;
    }
    if (
      metadata.issuer.template &&
      !this.plan.multiTenant &&
      !this.c.allowAnyTenant &&
      this.c.allowedTenants === undefined
    ) {
      throw new EntraConfigError(
        'The discovery document announces a multi-tenant issuer: set allowedTenants (tenant GUIDs or a function) or allowAnyTenant: true',
      );
    }
    try {
      await this.keySet(source, metadata).refresh('warm_up');
    } catch (error) {
      throw new EntraAuthError('keys_unavailable', {
        cause: error,
        retryAfterSeconds: this.c.jwks.cooldownSeconds,
      });
    }
  }

  close(): void {
    this.closed = true;
    for (const source of this.sources.values()) source.keys?.close();
  }

  /**
   * One token, straight down. Every step throws an `EntraAuthError` naming its check; steps wait
   * only when something has to be fetched (metadata, keys) or asked (a tenant function).
   */
  private async verifyToken(token: string): Promise<EntraPrincipal> {
    try {
      const c = this.c;
      // 1. Parse: size, structure, header rules; Graph tokens are recognised here.
      const jwt = parseToken(token, c.algorithms, c.maxTokenLength);

      // 2. Key: from the key set the discovery document names, fetched on first use and refetched
      //    (within the cooldown) for a kid it does not know. Azure AD B2C has a document per policy:
      //    the token's (`tfp`) is chosen here, and a policy not configured is refused before any request.
      const source = this.source(jwt.claims);
      const metadata = source.v2.current ?? (await source.v2.load());
      const keys = this.keySet(source, metadata);
      const key = keys.lookup(jwt.kid) ?? (await keys.resolve(jwt.kid));

      // 3. Signature, before any claim is believed.
      if (key.alg !== undefined && key.alg !== jwt.alg) {
        throw new EntraAuthError('unsupported_algorithm', { check: 'alg' });
      }
      // node:crypto answers at once, WebCrypto with a promise: awaiting only a promise spares a turn of
      // the microtask queue per verification (measured with the header map of token.ts: together they
      // brought a warm verification back to the speed of the build before this design).
      const verified = verifySignature(key.key, jwt.alg, jwt.signingInput, jwt.signature);
      if (!(verified === true || (verified !== false && (await verified)))) {
        throw new EntraAuthError('invalid_signature', { check: 'signature' });
      }

      // 4. Claims: version, validity window, issuer (and the signing key's own issuer).
      const claims = jwt.claims;
      const version = checkVersion(claims, c.tokenVersions);
      const window = checkTimes(claims, c.clock(), c.clockToleranceSeconds, c.maxTokenAgeSeconds);
      const issuer = version === '2.0' ? metadata.issuer : await this.v1Issuer(source, metadata.issuer);
      const tenantId = checkIssuer(claims, issuer);
      checkKeyIssuer(key, claims, metadata.issuer);

      // 5. Tenant: multi-tenant issuers accept the tenants allowed.
      if (issuer.template) await this.tenants.check(tenantId);

      // 6. What the token is for and what it grants.
      const rules = this.plan.rules;
      checkNotIdToken(claims, rules);
      checkAudience(claims, c.audiences);
      const { scopes, roles } = readPermissions(claims);
      if (c.requireScopeOrRole) checkHasPermissions(scopes, roles);

      // 7. The principal, and who may call.
      const principal = buildPrincipal(jwt.payload, claims, version, scopes, roles, {
        tenantId,
        policy: source.document.policy,
        challengeUri: source.document.challengeUri,
        rules,
      });
      if (!c.allowGuests) checkNotGuest(principal);
      if (c.allowedClientIds !== undefined) checkClient(principal, c.allowedClientIds);
      this.cache.set(token, principal, key, keys, window.fromMs, window.untilMs);
      return principal;
    } catch (error) {
      // Whatever failed (a bug included) is refused as an EntraAuthError, never thrown as is.
      throw asAuthError(error);
    }
  }

  /**
   * A verified token's principal from the cache. A hit is served only while the keys it was
   * verified with may still be used; checking that also starts an overdue refresh, so removed keys
   * stop verifying cached tokens too.
   */
  private cached(token: string): EntraPrincipal | undefined {
    return this.cache.get(token, this.c.clock());
  }

  /** The source a token is checked against (B2C: its policy's); refuses a policy not configured. */
  private source(claims: ClaimSet): Source {
    return this.sources.get(this.plan.documentFor(claims)) as Source;
  }

  /** The outcome as a promise that rejects only with `EntraAuthError`, reported to `onEvent`. */
  private settle(
    started: number,
    outcome: EntraPrincipal | Promise<EntraPrincipal>,
  ): Promise<EntraPrincipal> {
    const onEvent = this.c.onEvent;
    // verifyToken rejects only with EntraAuthError, as does the header's extraction.
    if (onEvent === undefined) return outcome instanceof Promise ? outcome : Promise.resolve(outcome);
    if (!(outcome instanceof Promise)) {
      emit(onEvent, { type: 'token_verified', durationMs: performance.now() - started });
      return Promise.resolve(outcome);
    }
    return outcome.then(
      (principal) => {
        emit(onEvent, { type: 'token_verified', durationMs: performance.now() - started });
        return principal;
      },
      (error: unknown) => {
        const e = asAuthError(error);
        emit(onEvent, {
          type: 'token_rejected',
          code: e.code,
          check: e.check,
          durationMs: performance.now() - started,
        });
        throw e;
      },
    );
  }

  private metadataSource(
    url: string,
    version: '1.0' | '2.0',
    checkIssuer: (issuer: string) => IssuerRule | string,
  ): MetadataSource {
    const c = this.c;
    return new MetadataSource(url, version, checkIssuer, {
      fetch: { fetch: c.fetch, timeoutMs: c.jwks.timeoutMs, maxResponseBytes: c.jwks.maxResponseBytes },
      clock: c.clock,
      retryAfterMs: c.jwks.cooldownSeconds * 1000,
      onEvent: c.onEvent,
      store: this.storeContext(),
    });
  }

  /**
   * The v1 issuer rule, from the v1 discovery document (fetched when the first v1 token arrives);
   * B2C's v1.0 tokens are described by the v2.0 document.
   */
  private async v1Issuer(source: Source, v2: IssuerRule): Promise<IssuerRule> {
    const v1 = source.document.v1;
    if (v1 === 'v2') return v2;
    if (v1 === undefined) {
      throw new EntraAuthError('unsupported_token_version', {
        message: 'This authority issues only v2.0 tokens',
        check: 'ver',
      });
    }
    source.v1 ??= this.metadataSource(v1, '1.0', (iss) => source.document.checkV1Issuer(iss, v2));
    return (source.v1.current ?? (await source.v1.load())).issuer;
  }

  /** The `keyStore` with its limits: calls within `jwks.timeoutMs`, values live one refresh interval. */
  private storeContext(): StoreContext | undefined {
    const c = this.c;
    if (c.keyStore === undefined) return undefined;
    return {
      store: c.keyStore,
      timeoutMs: c.jwks.timeoutMs,
      maxBytes: c.jwks.maxResponseBytes,
      ttlSeconds: Math.max(1, Math.ceil(c.jwks.refreshIntervalSeconds)),
      onEvent: c.onEvent,
    };
  }

  private keySet(source: Source, metadata: EntraMetadata): KeySet {
    if (source.keys === undefined || source.keys.jwksUri !== metadata.jwksUri) {
      source.keys?.close();
      const c = this.c;
      source.keys = new KeySet(metadata.jwksUri, {
        fetch: { fetch: c.fetch, timeoutMs: c.jwks.timeoutMs, maxResponseBytes: c.jwks.maxResponseBytes },
        clock: c.clock,
        refreshIntervalMs: c.jwks.refreshIntervalSeconds * 1000,
        cooldownMs: c.jwks.cooldownSeconds * 1000,
        maxStaleMs: c.jwks.maxStaleSeconds * 1000,
        algorithms: c.algorithms,
        onEvent: c.onEvent,
        store: this.storeContext(),
        preload: c.jwksPreload,
      });
      if (this.closed) source.keys.close();
    }
    return source.keys;
  }
}

/**
 * Creates a validator. Checks the options synchronously and throws `EntraConfigError` with a fix
 * for any mistake; makes no request until `warmUp()` or the first token.
 *
 * @example
 * ```ts
 * import { createEntraValidator } from '@org/entra-core';
 *
 * const validator = createEntraValidator({
 *   tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
 *   audience: 'api://6e74172b-be56-4843-9ff4-e66a39bb12e3',
 * });
 * const principal = await validator.authenticate(request.headers.get('authorization'));
 * ```
 */
export function createEntraValidator(options: EntraValidatorOptions): EntraValidator {
  return new Validator(options);
}
