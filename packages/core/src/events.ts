import type { EntraAuthCheck, EntraAuthErrorCode } from './errors.js';

/**
 * What the validator reports through `onEvent`: network activity of the key cache, what it took
 * from the `keyStore` or `jwks.preload` instead, store failures, and verifications. Events never carry
 * a token, a key id, key material or a claim value.
 *
 * @example
 * ```ts
 * const validator = createEntraValidator({
 *   tenantId,
 *   clientId,
 *   onEvent: (event: EntraEvent) => {
 *     if (event.type === 'stale_keys_served') logger.warn(`Entra ID unreachable: keys ${event.ageSeconds} s old`);
 *     if (event.type === 'token_rejected') metrics.increment(`auth.rejected.${event.code}`);
 *   },
 * });
 * ```
 */
export type EntraEvent =
  | {
      type: 'metadata_fetched';
      /** The discovery document's URL. */
      url: string;
      version: '1.0' | '2.0';
      durationMs: number;
    }
  | {
      type: 'metadata_fetch_failed';
      url: string;
      version: '1.0' | '2.0';
      reason: FetchFailureReason;
      /** How long the attempt took, in milliseconds. */
      durationMs: number;
    }
  | {
      type: 'keys_fetched';
      jwksUri: string;
      /** Why the key set was fetched. */
      trigger: KeyFetchTrigger;
      /** How many usable keys the set holds. */
      keyCount: number;
      /** How many entries were ignored (not RSA, too small, not for signatures...). */
      ignoredCount: number;
      durationMs: number;
    }
  | {
      type: 'keys_fetch_failed';
      jwksUri: string;
      trigger: KeyFetchTrigger;
      reason: FetchFailureReason;
      /** How long the attempt took, in milliseconds. */
      durationMs: number;
    }
  | {
      type: 'stale_keys_served';
      jwksUri: string;
      /** Seconds since the keys were last fetched successfully. */
      ageSeconds: number;
    }
  | {
      type: 'unknown_kid_throttled';
      jwksUri: string;
    }
  | {
      type: 'metadata_loaded';
      /** The discovery document's URL (its key in the store). */
      url: string;
      version: '1.0' | '2.0';
      /** Where it came from instead of the network: the `keyStore`. */
      source: 'store';
      /** How long the store took to answer, in milliseconds. */
      durationMs: number;
    }
  | {
      type: 'keys_loaded';
      jwksUri: string;
      /** Why the keys were needed. */
      trigger: KeyFetchTrigger;
      /** Where they came from instead of the network: the `keyStore`, or `jwks.preload`. */
      source: 'store' | 'preload';
      /** How many usable keys the set holds. */
      keyCount: number;
      /** How many entries were ignored (not RSA, too small, not for signatures...). */
      ignoredCount: number;
      /** How long the store took to answer (0 for the preload), in milliseconds. */
      durationMs: number;
    }
  | {
      type: 'store_read_failed';
      /** The URL of the document asked for: its key in the store (before any prefix the store adds). */
      url: string;
      document: KeyStoreDocument;
      /** `error` or `timeout`: the store failed; `invalid_value`: what it held was refused. The network is asked instead. */
      reason: KeyStoreFailureReason;
      durationMs: number;
    }
  | {
      type: 'store_write_failed';
      url: string;
      document: KeyStoreDocument;
      /** `error` or `timeout`. The keys fetched are used all the same; only sharing them failed. */
      reason: KeyStoreFailureReason;
      durationMs: number;
    }
  | {
      type: 'token_verified';
      /** Wall time of the verification in milliseconds, waits for metadata and keys included. */
      durationMs: number;
    }
  | {
      type: 'token_rejected';
      code: EntraAuthErrorCode;
      /** Which check refused it (see `EntraAuthCheck`). */
      check: EntraAuthCheck;
      /** Wall time until the refusal in milliseconds, waits for metadata and keys included. */
      durationMs: number;
    };

/**
 * Why a key set is fetched.
 *
 * @example
 * ```ts
 * onEvent: (event) => {
 *   if (event.type === 'keys_fetched') {
 *     const trigger: KeyFetchTrigger = event.trigger; // 'unknown_kid' right after a key rotation
 *     logger.info(`fetched ${event.keyCount} keys (${trigger})`);
 *   }
 * }
 * ```
 */
export type KeyFetchTrigger = 'initial' | 'warm_up' | 'refresh' | 'unknown_kid' | 'expired';

/**
 * Why a request for a discovery document or a key set failed.
 *
 * @example
 * ```ts
 * onEvent: (event) => {
 *   if (event.type === 'keys_fetch_failed') {
 *     const reason: FetchFailureReason = event.reason; // 'timeout', 'status', 'too_large', ...
 *     logger.error(`key set ${event.jwksUri} not fetched: ${reason}`);
 *   }
 * }
 * ```
 */
export type FetchFailureReason =
  | 'network'
  | 'timeout'
  | 'status'
  | 'redirect'
  | 'too_large'
  | 'invalid_json'
  | 'invalid_document'
  | 'no_usable_keys';

/**
 * Which kind of document a `keyStore` call was about: a discovery document or a key set.
 *
 * @example
 * ```ts
 * onEvent: (event) => {
 *   if (event.type === 'store_write_failed') {
 *     const document: KeyStoreDocument = event.document; // 'metadata' or 'keys'
 *     logger.warn(`could not share the ${document} of ${event.url}: ${event.reason}`);
 *   }
 * }
 * ```
 */
export type KeyStoreDocument = 'metadata' | 'keys';

/**
 * Why a `keyStore` call did not help: the store threw or rejected (`error`), did not answer within
 * `jwks.timeoutMs` (`timeout`), or held a value that failed the checks a fresh response must pass
 * (`invalid_value`: not text, not JSON, too large, another issuer's document, no usable key). Each is
 * a miss: the network is asked instead, and a successful fetch overwrites the value.
 *
 * @example
 * ```ts
 * onEvent: (event) => {
 *   if (event.type === 'store_read_failed' && event.reason === 'invalid_value') {
 *     const reason: KeyStoreFailureReason = event.reason;
 *     alert(`the key store holds a refused ${event.document} for ${event.url} (${reason})`);
 *   }
 * }
 * ```
 */
export type KeyStoreFailureReason = 'error' | 'timeout' | 'invalid_value';

/**
 * The `onEvent` listener's type. It may be `async`: what it returns is ignored, a rejected promise
 * included, and a listener that throws changes nothing about verification.
 *
 * @example
 * ```ts
 * const onEvent: EntraEventListener = async (event) => {
 *   if (event.type === 'token_rejected') await metrics.increment('auth.rejected', { code: event.code });
 * };
 * const validator = createEntraValidator({ tenantId, clientId, onEvent });
 * ```
 */
export type EntraEventListener = (event: EntraEvent) => unknown;

const ignore = (): void => undefined;

/**
 * Calls a listener without ever letting it affect verification: a throw is swallowed, and so is a
 * returned promise's rejection (an `async` listener whose metrics backend is down must not become
 * an unhandled rejection that ends the process).
 */
export function emit(listener: EntraEventListener | undefined, event: EntraEvent): void {
  if (listener === undefined) return;
  try {
    const result: unknown = listener(event);
    if (
      typeof result === 'object' &&
      result !== null &&
      typeof (result as PromiseLike<void>).then === 'function'
    ) {
      (result as PromiseLike<void>).then(undefined, ignore);
    }
  } catch {
    // A listener's failure is the listener's problem; verification goes on.
  }
}
