/**
 * `createEntraValidator`: options in, a validator out. The order of checks is the contract:
 *
 * 1. size, structure, header (`alg` allow-list, `kid`, no `crit`), Graph tokens (recognised before
 *    the signature, which only Graph can check);
 * 2. the signing key (discovery, key cache) and the signature, so a forged token is always
 *    `invalid_signature` or `unknown_signing_key`, never "expired" or "insufficient scope";
 * 3. the claims: version, times, issuer, the key's issuer, tenant, ID tokens, audience, permissions,
 *    guests, calling application.
 */
import { LRUCache } from 'lru-cache';
import { type AuthorityPlan, type IssuerRule, planAuthority } from './authority.js';
import { bearerCandidate, extractBearerToken } from './bearer.js';
import {
  checkAudience,
  checkIssuer,
  checkKeyIssuer,
  checkNotConsumer,
  checkTimes,
  ID_TOKEN_MESSAGE,
  isIdToken,
  readPermissions,
  type ValidityWindow,
} from './claims.js';
import { verifySignature } from './crypto.js';
import { type EntraMetadata, type MetadataContext, MetadataSource } from './discovery.js';
import { EntraAuthError, EntraConfigError, isEntraAuthError } from './errors.js';
import { emit } from './events.js';
import { KeySet, type SigningKey } from './jwks.js';
import { type EntraValidatorOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { buildPrincipal, type EntraPrincipal } from './principal.js';
import { createTokenParser, type ParsedToken, type TokenParser } from './token.js';
import { TokenCache } from './token-cache.js';

const VALIDATOR_BRAND: unique symbol = Symbol.for('@org/entra-core.EntraValidator') as never;
const TENANT_DECISIONS_MAX = 1000;
/** How long an `allowedTenants` function's answer is used before it is asked again. */
const TENANT_DECISION_TTL_MS = 5 * 60 * 1000;

/** Rejects when `promise` has not settled within `ms` (the timer does not keep the process alive). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
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
  /** The authority base URL (`undefined` with a custom `discoveryUrl`). */
  readonly authority: string | undefined;
  /** The v2.0 discovery document's URL. */
  readonly discoveryUrl: string;
  /** True for `common` / `organizations`. */
  readonly multiTenant: boolean;
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
   * request does not wait. Rejects with `EntraConfigError` when the document speaks for another
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

class Validator implements EntraValidator {
  declare readonly [VALIDATOR_BRAND]: true;
  readonly config: EntraValidatorConfig;
  private readonly o: ResolvedOptions;
  private readonly plan: AuthorityPlan;
  private readonly ctx: MetadataContext;
  private readonly v2: MetadataSource;
  private v1: MetadataSource | undefined;
  private keys: KeySet | undefined;
  private readonly cache: TokenCache;
  private readonly parse: TokenParser;
  private readonly allowedTenantSet: ReadonlySet<string> | undefined;
  private readonly tenantDecisions: LRUCache<string, boolean>;
  private readonly tenantChecks = new Map<string, Promise<boolean>>();
  private closed = false;
  /** The authorize endpoint claims challenges name: the configured authority's `common` endpoint. */
  private readonly challengeUri: string | undefined;

  constructor(options: EntraValidatorOptions) {
    const o = resolveOptions(options);
    this.o = o;
    this.plan = planAuthority(o);
    this.ctx = {
      fetch: { fetch: o.fetch, timeoutMs: o.jwks.timeoutMs, maxResponseBytes: o.jwks.maxResponseBytes },
      clock: o.clock,
      retryAfterMs: o.jwks.cooldownSeconds * 1000,
      onEvent: o.onEvent,
    };
    this.v2 = new MetadataSource(
      this.plan.v2DiscoveryUrl,
      '2.0',
      (iss) => this.plan.checkV2Issuer(iss),
      this.ctx,
    );
    this.challengeUri =
      this.plan.authority === undefined ? undefined : `${this.plan.authority}/common/oauth2/authorize`;
    this.cache = new TokenCache(o.tokenCacheMax);
    this.parse = createTokenParser(o.algorithms, o.maxTokenLength);
    this.tenantDecisions = new LRUCache<string, boolean>({
      max: TENANT_DECISIONS_MAX,
      ttl: TENANT_DECISION_TTL_MS,
      ttlResolution: 0, // read the clock at every lookup: it may be a test's or a replay's
      perf: { now: o.clock },
    });
    this.allowedTenantSet = Array.isArray(o.allowedTenants)
      ? new Set(o.allowedTenants as string[])
      : undefined;
    this.config = Object.freeze({
      tenantId: o.tenantId,
      clientId: o.clientId,
      audiences: Object.freeze([...o.audiences]),
      authority: this.plan.authority,
      discoveryUrl: this.plan.v2DiscoveryUrl,
      multiTenant: this.plan.multiTenant,
      tokenVersions: Object.freeze([...o.tokenVersions] as ('1.0' | '2.0')[]),
      clockToleranceSeconds: o.clockToleranceSeconds,
      maxTokenLength: o.maxTokenLength,
    });
    Object.defineProperty(this, VALIDATOR_BRAND, { value: true });
  }

  verify(token: string): Promise<EntraPrincipal> {
    if (this.o.onEvent === undefined) return this.settle(token, true);
    const started = performance.now();
    return this.observed(started, this.settle(token, true));
  }

  /** Reports the outcome of one verification and its wall time to `onEvent`. */
  private observed(started: number, result: Promise<EntraPrincipal>): Promise<EntraPrincipal> {
    const onEvent = this.o.onEvent;
    return result.then(
      (principal) => {
        emit(onEvent, { type: 'token_verified', durationMs: performance.now() - started });
        return principal;
      },
      (error: EntraAuthError) => {
        emit(onEvent, { type: 'token_rejected', code: error.code, durationMs: performance.now() - started });
        throw error;
      },
    );
  }

  /** Runs a verification and turns its outcome into a promise; `lookUp: false` when the cache was just asked. */
  private settle(token: string, lookUp: boolean): Promise<EntraPrincipal> {
    let result: EntraPrincipal | Promise<EntraPrincipal>;
    try {
      result = this.run(token, lookUp);
    } catch (error) {
      return Promise.reject(this.rejected(error));
    }
    return result instanceof Promise
      ? result.catch((error: unknown) => Promise.reject(this.rejected(error)))
      : Promise.resolve(result);
  }

  authenticate(authorization: string | readonly string[] | null | undefined): Promise<EntraPrincipal> {
    if (this.o.onEvent === undefined) return this.authenticated(authorization);
    const started = performance.now();
    return this.observed(started, this.authenticated(authorization));
  }

  private authenticated(
    authorization: string | readonly string[] | null | undefined,
  ): Promise<EntraPrincipal> {
    // A token presented again (as clients do for its whole lifetime) is answered from the cache
    // before the header's characters are checked one by one: a cached token passed those checks.
    // When the candidate misses, the token extracted below is the same string: not asked again.
    let asked = false;
    if (typeof authorization === 'string') {
      const candidate = bearerCandidate(authorization);
      if (candidate !== undefined) {
        const hit = this.cached(candidate);
        if (hit !== undefined) return Promise.resolve(hit);
        asked = true;
      }
    }
    let token: string;
    try {
      token = extractBearerToken(authorization, this.o.maxTokenLength);
    } catch (error) {
      return Promise.reject(this.rejected(error));
    }
    return this.settle(token, !asked);
  }

  async warmUp(): Promise<void> {
    let metadata: EntraMetadata;
    try {
      metadata = await this.v2.load();
    } catch (error) {
      const failure = this.v2.failure;
      if (failure?.reason === 'invalid_document') {
        throw new EntraConfigError(`${failure.message}`, { cause: error });
      }
      throw error;
    }
    if (
      metadata.issuer.template &&
      !this.plan.multiTenant &&
      !this.o.allowAnyTenant &&
      this.o.allowedTenants === undefined
    ) {
      throw new EntraConfigError(
        'The discovery document announces a multi-tenant issuer: set allowedTenants (tenant GUIDs or a function) or allowAnyTenant: true',
      );
    }
    try {
      await this.keySet(metadata).refresh('warm_up');
    } catch (error) {
      throw new EntraAuthError('keys_unavailable', {
        cause: error,
        retryAfterSeconds: this.o.jwks.cooldownSeconds,
      });
    }
  }

  close(): void {
    this.closed = true;
    this.keys?.close();
  }

  private rejected(error: unknown): EntraAuthError {
    return isEntraAuthError(error) ? error : new EntraAuthError('malformed_token', { cause: error });
  }

  private keySet(metadata: EntraMetadata): KeySet {
    if (this.keys === undefined || this.keys.jwksUri !== metadata.jwksUri) {
      this.keys?.close();
      this.keys = new KeySet(metadata.jwksUri, {
        fetch: this.ctx.fetch,
        clock: this.o.clock,
        refreshIntervalMs: this.o.jwks.refreshIntervalSeconds * 1000,
        cooldownMs: this.o.jwks.cooldownSeconds * 1000,
        maxStaleMs: this.o.jwks.maxStaleSeconds * 1000,
        algorithms: this.o.algorithms,
        onEvent: this.o.onEvent,
      });
      if (this.closed) this.keys.close();
    }
    return this.keys;
  }

  /**
   * A verified token's principal from the cache. A hit is served only while the keys it was
   * verified with may still be used; checking that also starts an overdue refresh, so removed keys
   * stop verifying cached tokens too.
   */
  private cached(token: string): EntraPrincipal | undefined {
    const now = this.o.clock();
    return this.keys?.usable(now) === true ? this.cache.get(token, now) : undefined;
  }

  /** The hot path: synchronous when the token is cached, or its key is, and crypto is native. */
  private run(token: string, lookUp: boolean): EntraPrincipal | Promise<EntraPrincipal> {
    if (lookUp && typeof token === 'string') {
      const hit = this.cached(token);
      if (hit !== undefined) return hit;
    }
    const parsed = this.parse(token);
    const key =
      this.v2.current !== undefined && this.keys !== undefined ? this.keys.lookup(parsed.kid) : undefined;
    return key === undefined ? this.runWithFetch(token, parsed) : this.checkSignature(token, parsed, key);
  }

  private async runWithFetch(token: string, parsed: ParsedToken): Promise<EntraPrincipal> {
    const metadata = await this.v2.load();
    const key = await this.keySet(metadata).resolve(parsed.kid);
    return this.checkSignature(token, parsed, key);
  }

  private checkSignature(
    token: string,
    parsed: ParsedToken,
    key: SigningKey,
  ): EntraPrincipal | Promise<EntraPrincipal> {
    if (key.alg !== undefined && key.alg !== parsed.alg) throw new EntraAuthError('unsupported_algorithm');
    const valid = verifySignature(key.key, parsed.alg, parsed.signingInput, parsed.signature);
    if (valid === true) return this.checkClaims(token, parsed, key);
    if (valid === false) throw new EntraAuthError('invalid_signature');
    return valid.then((ok) => {
      if (!ok) throw new EntraAuthError('invalid_signature');
      return this.checkClaims(token, parsed, key);
    });
  }

  private checkClaims(
    token: string,
    parsed: ParsedToken,
    key: SigningKey,
  ): EntraPrincipal | Promise<EntraPrincipal> {
    const ver = parsed.claims.ver;
    if ((ver !== '1.0' && ver !== '2.0') || !this.o.tokenVersions.has(ver))
      throw new EntraAuthError('unsupported_token_version');
    const window = checkTimes(
      parsed.claims,
      this.o.clock(),
      this.o.clockToleranceSeconds,
      this.o.maxTokenAgeSeconds,
    );
    const v2 = (this.v2.current as EntraMetadata).issuer;
    if (ver === '2.0') return this.checkTenant(token, parsed, key, ver, v2, v2, window);
    const v1 = this.v1Source();
    const current = v1.current;
    if (current !== undefined) return this.checkTenant(token, parsed, key, ver, current.issuer, v2, window);
    return v1.load().then((m) => this.checkTenant(token, parsed, key, ver, m.issuer, v2, window));
  }

  private v1Source(): MetadataSource {
    if (this.plan.v1DiscoveryUrl === undefined) {
      throw new EntraAuthError('unsupported_token_version', {
        message: 'This authority issues only v2.0 tokens',
      });
    }
    if (this.v1 === undefined) {
      const v2 = (this.v2.current as EntraMetadata).issuer;
      this.v1 = new MetadataSource(
        this.plan.v1DiscoveryUrl,
        '1.0',
        (iss) => this.plan.checkV1Issuer(iss, v2),
        this.ctx,
      );
    }
    return this.v1;
  }

  private checkTenant(
    token: string,
    parsed: ParsedToken,
    key: SigningKey,
    ver: '1.0' | '2.0',
    rule: IssuerRule,
    v2: IssuerRule,
    window: ValidityWindow,
  ): EntraPrincipal | Promise<EntraPrincipal> {
    const tid = checkIssuer(parsed.claims, rule);
    checkKeyIssuer(key, parsed.claims, v2);
    if (rule.template) {
      if (this.plan.excludeConsumers) checkNotConsumer(tid);
      const allowed = this.tenantAllowed(tid as string);
      if (allowed === false) throw new EntraAuthError('tenant_not_allowed');
      if (allowed !== true) {
        return allowed.then((ok) => {
          if (!ok) throw new EntraAuthError('tenant_not_allowed');
          return this.finish(token, parsed, key, ver, window);
        });
      }
    }
    return this.finish(token, parsed, key, ver, window);
  }

  /**
   * Multi-tenant: is this tenant accepted? A predicate's answers are kept for
   * {@link TENANT_DECISION_TTL_MS}, so a tenant it stops allowing is refused soon after. A predicate
   * that throws, rejects or does not answer within `jwks.timeoutMs` fails the request with
   * `tenant_check_failed` (503), and nothing is remembered: the next request asks again.
   */
  private tenantAllowed(tid: string): boolean | Promise<boolean> {
    if (this.o.allowAnyTenant) return true;
    const t = tid.toLowerCase();
    if (this.allowedTenantSet !== undefined) return this.allowedTenantSet.has(t);
    const predicate = this.o.allowedTenants;
    if (typeof predicate !== 'function') return false;
    const known = this.tenantDecisions.get(t);
    if (known !== undefined) return known;
    const pending = this.tenantChecks.get(t);
    if (pending !== undefined) return pending;
    let answer: boolean | Promise<boolean>;
    try {
      answer = predicate(t);
    } catch (cause) {
      throw this.tenantCheckFailed(cause);
    }
    if (typeof answer === 'boolean') {
      this.tenantDecisions.set(t, answer);
      return answer;
    }
    const check = withTimeout(Promise.resolve(answer), this.o.jwks.timeoutMs)
      .then(
        (ok) => {
          this.tenantDecisions.set(t, ok === true);
          return ok === true;
        },
        (cause: unknown) => {
          throw this.tenantCheckFailed(cause);
        },
      )
      .finally(() => this.tenantChecks.delete(t));
    this.tenantChecks.set(t, check);
    return check;
  }

  private tenantCheckFailed(cause: unknown): EntraAuthError {
    return new EntraAuthError('tenant_check_failed', {
      cause,
      retryAfterSeconds: this.o.jwks.cooldownSeconds,
    });
  }

  private finish(
    token: string,
    parsed: ParsedToken,
    key: SigningKey,
    ver: '1.0' | '2.0',
    window: ValidityWindow,
  ): EntraPrincipal {
    const c = parsed.claims;
    if (isIdToken(c)) throw new EntraAuthError('foreign_token', { message: ID_TOKEN_MESSAGE });
    checkAudience(c, this.o.audiences);
    const { scopes, roles } = readPermissions(c);
    if (this.o.requireScopeOrRole && scopes.length === 0 && roles.length === 0)
      throw new EntraAuthError('missing_permissions');
    const principal = buildPrincipal(parsed.payload, c, ver, scopes, roles, this.challengeUri);
    if (!this.o.allowGuests && principal.isGuest) throw new EntraAuthError('guest_not_allowed');
    const clients = this.o.allowedClientIds;
    if (
      clients !== undefined &&
      (principal.clientId === undefined || !clients.has(principal.clientId.toLowerCase()))
    ) {
      throw new EntraAuthError('client_not_allowed');
    }
    this.cache.set(token, principal, key, window.fromMs, window.untilMs);
    return principal;
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
