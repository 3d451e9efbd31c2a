/**
 * The key cache of one `jwks_uri`.
 *
 * - One request in flight at a time, shared by every caller; a failed request is forgotten.
 * - An unknown `kid` causes one refetch, unless another unknown-`kid` refetch started less than
 *   `cooldownSeconds` ago: then it is refused without a request. Background refreshes and `warmUp()`
 *   start no cooldown, so a key published since the last fetch is accepted on its first token.
 * - Keys are fresh for `refreshIntervalSeconds`; after that a refresh runs in the background while
 *   cached keys keep serving. If the issuer is unreachable they serve, stale, until
 *   `maxStaleSeconds` after the last successful fetch, with an event each time.
 * - A refresh replaces the set: keys removed upstream stop verifying. A response with no usable key
 *   (garbage, an empty set) is a failed refresh: the previous keys are kept.
 * - Where keys come from, in order: `jwks.preload` (the first load only), the `keyStore`, the
 *   network; a network fetch is written to the store. Keys from the preload or the store do not
 *   count as the unknown-kid refetch: a kid they lack still reaches the network (within the cooldown).
 */
import { importRsaKey } from '#runtime';
import { EntraAuthError } from '../errors.js';
import { type EntraEventListener, emit, type FetchFailureReason, type KeyFetchTrigger } from '../events.js';
import { own } from '../option-checks.js';
import { isCanonicalBase64Url } from '../runtime/base64url.js';
import type { VerificationKey } from '../runtime/types.js';
import { MAX_KID_LENGTH } from '../token.js';
import { unavailable } from './discovery.js';
import { type BoundedFetchOptions, fetchJson } from './http.js';
import { readStored, refusedStored, type StoreContext, writeStored } from './store.js';

/** A usable signing key. `active` turns false when the key disappears from the set. */
export interface SigningKey {
  readonly kid: string;
  /** The key's `issuer` property, when the key set carries one (templated for multi-tenant keys). */
  readonly issuer: string | undefined;
  /** The key's `alg`, when declared. */
  readonly alg: string | undefined;
  readonly key: VerificationKey;
  active: boolean;
}

export interface KeySetContext {
  readonly fetch: BoundedFetchOptions;
  readonly clock: () => number;
  readonly refreshIntervalMs: number;
  readonly cooldownMs: number;
  readonly maxStaleMs: number;
  readonly algorithms: ReadonlySet<string>;
  readonly onEvent: EntraEventListener | undefined;
  /** The `keyStore`, read before the network and written after a fetch. */
  readonly store?: StoreContext | undefined;
  /** `jwks.preload`, already parsed: the keys of the first load, without a request. */
  readonly preload?: { readonly keys: readonly ParsedJwk[]; readonly ignored: number } | undefined;
}

/** Where the keys in use came from. */
type KeySource = 'network' | 'store' | 'preload';

const MIN_RSA_BYTES = 256; // 2048 bits

export interface ParsedJwk {
  kid: string;
  n: string;
  e: string;
  issuer: string | undefined;
  alg: string | undefined;
}

/** Byte length of an unsigned big-endian integer in base64url, not counting leading zero bytes. */
function modulusBytes(n: string): number {
  let zeroBits = 0; // each leading 'A' is six zero bits
  for (let i = 0; i < n.length && n.charCodeAt(i) === 65; i++) zeroBits += 6;
  return Math.floor((n.length * 6) / 8) - Math.floor(zeroBits / 8);
}

/** The usable RSA signing keys of a JWKS document; everything else is ignored, never fatal. */
export function parseJwks(
  json: unknown,
  algorithms: ReadonlySet<string>,
): { keys: ParsedJwk[]; ignored: number } | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const list = own(json as Record<string, unknown>, 'keys');
  if (!Array.isArray(list)) return undefined;
  const keys: ParsedJwk[] = [];
  const seen = new Set<string>();
  let ignored = 0;
  for (const entry of list) {
    const parsed = parseJwk(entry, algorithms);
    if (parsed === undefined || seen.has(parsed.kid)) {
      ignored++;
      continue;
    }
    seen.add(parsed.kid);
    keys.push(parsed);
  }
  return { keys, ignored };
}

function parseJwk(entry: unknown, algorithms: ReadonlySet<string>): ParsedJwk | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
  const jwk = entry as Record<string, unknown>;
  const kty = own(jwk, 'kty');
  const use = own(jwk, 'use');
  const alg = own(jwk, 'alg');
  const kid = own(jwk, 'kid');
  const n = own(jwk, 'n');
  const e = own(jwk, 'e');
  const issuer = own(jwk, 'issuer');
  const keyOps = own(jwk, 'key_ops');
  if (kty !== 'RSA') return undefined;
  if (use !== undefined && use !== 'sig') return undefined;
  if (keyOps !== undefined && !(Array.isArray(keyOps) && keyOps.includes('verify'))) return undefined;
  if (alg !== undefined && (typeof alg !== 'string' || !algorithms.has(alg))) return undefined;
  if (typeof kid !== 'string' || kid === '' || kid.length > MAX_KID_LENGTH) return undefined;
  if (typeof n !== 'string' || typeof e !== 'string' || !isCanonicalBase64Url(n) || !isCanonicalBase64Url(e))
    return undefined;
  if (modulusBytes(n) < MIN_RSA_BYTES || e.length === 0 || e.length > 8) return undefined;
  if (issuer !== undefined && typeof issuer !== 'string') return undefined;
  return { kid, n, e, issuer, alg };
}

/** The keys of one `jwks_uri`. */
export class KeySet {
  private keys = new Map<string, SigningKey>();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private failedAt = Number.NEGATIVE_INFINITY;
  private lastUnknownKidFetch = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;
  private lastError: unknown;
  private timer: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  private source: KeySource | undefined;
  private preloadTried = false;

  constructor(
    readonly jwksUri: string,
    private readonly ctx: KeySetContext,
  ) {}

  /** True once a fetch has succeeded. */
  get loaded(): boolean {
    return this.fetchedAt !== Number.NEGATIVE_INFINITY;
  }

  /**
   * The key for `kid` when it can be answered without waiting (keys loaded and usable);
   * `undefined` means: call {@link resolve}.
   */
  lookup(kid: string): SigningKey | undefined {
    return this.usable(this.ctx.clock()) ? this.keys.get(kid) : undefined;
  }

  /**
   * Whether the cached keys may still be used at `now` (not past `maxStaleSeconds`); when they are
   * overdue, starts the background refresh. Cheap: callers on the hot path (the verified-token
   * cache too) call it on every request.
   */
  usable(now: number): boolean {
    const age = now - this.fetchedAt;
    if (age <= this.ctx.refreshIntervalMs) return true;
    if (age > this.ctx.maxStaleMs) return false;
    this.onOverdue(now, age);
    return true;
  }

  /**
   * True when no cached key may be used at `now`: never fetched, or past both the refresh interval
   * and `maxStaleSeconds` (fresh keys serve for the refresh interval whatever `maxStaleSeconds` is).
   */
  private expired(now: number): boolean {
    const age = now - this.fetchedAt;
    return age > this.ctx.refreshIntervalMs && age > this.ctx.maxStaleMs;
  }

  private onOverdue(now: number, age: number): void {
    if (this.failedAt > this.fetchedAt) {
      emit(this.ctx.onEvent, {
        type: 'stale_keys_served',
        jwksUri: this.jwksUri,
        ageSeconds: Math.floor(age / 1000),
      });
    }
    if (this.inFlight === undefined && now - this.failedAt >= this.ctx.cooldownMs) {
      this.refresh('refresh').catch(() => undefined);
    }
  }

  /** The key for `kid`, fetching the set if needed and allowed. Rejects with an `EntraAuthError`. */
  async resolve(kid: string): Promise<SigningKey> {
    const now = this.ctx.clock();
    if (this.expired(now)) {
      // Nothing usable cached: this request has to wait for keys.
      await this.refreshOrThrow(this.loaded ? 'expired' : 'initial');
      const key = this.keys.get(kid);
      if (key !== undefined) return key;
      if (this.source === 'network') {
        // The set just fetched does not know the kid: that counts as the unknown-kid refetch.
        this.lastUnknownKidFetch = now;
        throw new EntraAuthError('unknown_signing_key', { check: 'kid' });
      }
      // Keys from the preload or the store may be older than the kid: ask the network (the store
      // only if it was not just read), within the cooldown.
      return this.refetchFor(kid, now, this.source === 'store');
    }
    const cached = this.lookup(kid);
    if (cached !== undefined) return cached;
    if (this.inFlight !== undefined) {
      // Someone is fetching already: share it rather than start another.
      await this.inFlight.catch(() => undefined);
      const key = this.keys.get(kid);
      if (key !== undefined) return key;
    }
    return this.refetchFor(kid, now, false);
  }

  /** The unknown-kid refetch: one per `cooldownSeconds`, counted when it reaches the network. */
  private async refetchFor(kid: string, now: number, skipStore: boolean): Promise<SigningKey> {
    if (now - this.lastUnknownKidFetch < this.ctx.cooldownMs) {
      emit(this.ctx.onEvent, { type: 'unknown_kid_throttled', jwksUri: this.jwksUri });
      throw new EntraAuthError('unknown_signing_key', { check: 'kid' });
    }
    if (this.failedAt > this.fetchedAt && now - this.failedAt < this.ctx.cooldownMs) {
      // The issuer failed moments ago: we cannot tell whether this kid is real. Retry later.
      throw unavailable(this.lastError, this.failedAt + this.ctx.cooldownMs - now);
    }
    try {
      await this.refresh('unknown_kid', { kid, skipStore });
    } catch (error) {
      throw unavailable(error, this.ctx.cooldownMs);
    }
    const key = this.keys.get(kid);
    if (key === undefined) throw new EntraAuthError('unknown_signing_key', { check: 'kid' });
    return key;
  }

  private async refreshOrThrow(trigger: KeyFetchTrigger): Promise<void> {
    const now = this.ctx.clock();
    if (
      this.inFlight === undefined &&
      this.failedAt > this.fetchedAt &&
      now - this.failedAt < this.ctx.cooldownMs
    ) {
      // Failed moments ago: do not hammer the issuer, answer 503 with how long to wait.
      throw unavailable(this.lastError, this.failedAt + this.ctx.cooldownMs - now);
    }
    try {
      await this.refresh(trigger);
    } catch (error) {
      throw unavailable(error, this.ctx.cooldownMs);
    }
  }

  /**
   * Loads the set now (or joins the load under way): from the preload on the first load, else from
   * the store, else from the network. With `kid`, a stored set that lacks it is passed over for the
   * network. Rejects on failure, keeping the old keys.
   */
  refresh(trigger: KeyFetchTrigger, options: { kid?: string; skipStore?: boolean } = {}): Promise<void> {
    if (this.inFlight !== undefined) return this.inFlight;
    this.inFlight = this.load(trigger, options.kid, options.skipStore === true).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async load(trigger: KeyFetchTrigger, kid: string | undefined, skipStore: boolean): Promise<void> {
    if (!this.loaded && !this.preloadTried && this.ctx.preload !== undefined) {
      this.preloadTried = true;
      if (await this.fromPreload(this.ctx.preload, trigger)) return;
    }
    if (!skipStore && this.ctx.store !== undefined && (await this.fromStore(this.ctx.store, trigger, kid)))
      return;
    await this.fetchKeys(trigger);
  }

  private async fromPreload(
    preload: { readonly keys: readonly ParsedJwk[]; readonly ignored: number },
    trigger: KeyFetchTrigger,
  ): Promise<boolean> {
    const imported = await this.importAll(preload.keys);
    if (imported.size === 0) return false;
    this.use(imported, 'preload', trigger, preload.ignored + preload.keys.length - imported.size, 0);
    return true;
  }

  /** The set from the key store, checked like a fetched one; false is a miss. */
  private async fromStore(
    store: StoreContext,
    trigger: KeyFetchTrigger,
    kid: string | undefined,
  ): Promise<boolean> {
    const stored = await readStored(store, this.jwksUri, 'keys');
    if (stored === undefined) return false;
    const parsed = parseJwks(stored.json, this.ctx.algorithms);
    const imported = parsed === undefined ? undefined : await this.importAll(parsed.keys);
    if (parsed === undefined || imported === undefined || imported.size === 0) {
      refusedStored(store, this.jwksUri, 'keys', stored.durationMs);
      return false;
    }
    // The store does not know this kid either: only the network can tell.
    if (kid !== undefined && !imported.has(kid)) return false;
    const ignored = parsed.ignored + parsed.keys.length - imported.size;
    this.use(imported, 'store', trigger, ignored, stored.durationMs);
    return true;
  }

  private use(
    keys: Map<string, SigningKey>,
    source: 'store' | 'preload',
    trigger: KeyFetchTrigger,
    ignoredCount: number,
    durationMs: number,
  ): void {
    this.replace(keys, source);
    emit(this.ctx.onEvent, {
      type: 'keys_loaded',
      jwksUri: this.jwksUri,
      trigger,
      source,
      keyCount: keys.size,
      ignoredCount,
      durationMs,
    });
    this.startTimer();
  }

  private async fetchKeys(trigger: KeyFetchTrigger): Promise<void> {
    // Reaching the network is what the unknown-kid cooldown counts.
    if (trigger === 'unknown_kid') this.lastUnknownKidFetch = this.ctx.clock();
    const result = await fetchJson(this.jwksUri, this.ctx.fetch);
    let reason: FetchFailureReason;
    let error: unknown;
    if (result.ok) {
      const parsed = parseJwks(result.json, this.ctx.algorithms);
      if (parsed !== undefined) {
        const imported = await this.importAll(parsed.keys);
        if (imported.size > 0) {
          this.replace(imported, 'network');
          emit(this.ctx.onEvent, {
            type: 'keys_fetched',
            jwksUri: this.jwksUri,
            trigger,
            keyCount: imported.size,
            ignoredCount: parsed.ignored + parsed.keys.length - imported.size,
            durationMs: result.durationMs,
          });
          this.startTimer();
          // Shared only once checked: the store never receives what this process refused.
          if (this.ctx.store !== undefined)
            await writeStored(this.ctx.store, this.jwksUri, 'keys', result.text);
          return;
        }
        reason = 'no_usable_keys';
      } else {
        reason = 'invalid_document';
      }
      error = new Error(`The key set at ${this.jwksUri} has no usable RSA signing key`);
    } else {
      reason = result.reason;
      error = new Error(
        `The key set at ${this.jwksUri} could not be fetched (${result.reason}${result.status ? ` ${result.status}` : ''})`,
        { cause: result.error },
      );
    }
    this.failedAt = this.ctx.clock();
    this.lastError = error;
    emit(this.ctx.onEvent, {
      type: 'keys_fetch_failed',
      jwksUri: this.jwksUri,
      trigger,
      reason,
      durationMs: result.durationMs,
    });
    throw error;
  }

  private async importAll(parsed: readonly ParsedJwk[]): Promise<Map<string, SigningKey>> {
    const next = new Map<string, SigningKey>();
    for (const jwk of parsed) {
      const existing = this.keys.get(jwk.kid);
      if (
        existing !== undefined &&
        existing.key.jwk.n === jwk.n &&
        existing.key.jwk.e === jwk.e &&
        existing.issuer === jwk.issuer &&
        existing.alg === jwk.alg
      ) {
        next.set(jwk.kid, existing);
        continue;
      }
      try {
        const key = await importRsaKey(jwk.n, jwk.e, this.ctx.algorithms);
        next.set(jwk.kid, { kid: jwk.kid, issuer: jwk.issuer, alg: jwk.alg, key, active: true });
      } catch {
        // A key the runtime refuses is ignored like any other unusable entry.
      }
    }
    return next;
  }

  private replace(next: Map<string, SigningKey>, source: KeySource): void {
    for (const [kid, key] of this.keys) {
      if (next.get(kid) !== key) key.active = false;
    }
    this.keys = next;
    this.source = source;
    this.fetchedAt = this.ctx.clock();
    this.lastError = undefined;
  }

  private startTimer(): void {
    if (this.timer !== undefined || this.closed) return;
    this.timer = setInterval(
      () => {
        if (this.inFlight === undefined) this.refresh('refresh').catch(() => undefined);
      },
      Math.min(this.ctx.refreshIntervalMs, 2_147_483_647),
    );
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Stops the background refresh. The cache still answers and refetches on demand. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
