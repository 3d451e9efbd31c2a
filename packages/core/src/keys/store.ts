/**
 * The `keyStore` option: discovery documents and key sets shared between processes.
 *
 * - Keys are the documents' URLs; values the documents as fetched (text). No token is ever stored.
 * - A value read back is a candidate, not a fact: the caller checks it exactly like a fresh response
 *   (size, JSON, then the same document rules), and anything refused is a miss.
 * - Every call is bounded by `jwks.timeoutMs` and never throws: a store that fails, hangs or answers
 *   nonsense costs at most that wait, then the network is asked as if there were no store.
 */
import { EntraConfigError } from '../errors.js';
import {
  type EntraEventListener,
  emit,
  type KeyStoreDocument,
  type KeyStoreFailureReason,
} from '../events.js';
import type { EntraKeyStore } from '../options.js';

/** The store and the limits its calls run under. */
export interface StoreContext {
  readonly store: EntraKeyStore;
  readonly timeoutMs: number;
  /** Values longer than this (in UTF-8 bytes) are refused, as responses are. */
  readonly maxBytes: number;
  /** How long a written value lives: a positive whole number of seconds. */
  readonly ttlSeconds: number;
  readonly onEvent: EntraEventListener | undefined;
}

/** A stored document that parsed as JSON; the caller still applies the document's own rules. */
export interface StoredDocument {
  readonly json: unknown;
  readonly durationMs: number;
}

const TIMEOUT: unique symbol = Symbol('timeout');

type Settled<T> = { ok: true; value: T } | { ok: false; reason: 'error' | 'timeout' };

/** Runs one store call within `timeoutMs`; a throw, a rejection or no answer is reported, not thrown. */
async function bounded<T>(call: () => Promise<T>, timeoutMs: number): Promise<Settled<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = Promise.resolve().then(call);
  // A call that settles after the timeout won must not become an unhandled rejection.
  pending.catch(() => undefined);
  const timeout = new Promise<typeof TIMEOUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMEOUT), timeoutMs);
    (timer as { unref?: () => void }).unref?.();
  });
  try {
    const value = await Promise.race([pending, timeout]);
    return value === TIMEOUT ? { ok: false, reason: 'timeout' } : { ok: true, value: value as T };
  } catch {
    return { ok: false, reason: 'error' };
  } finally {
    clearTimeout(timer);
  }
}

const encoder = new TextEncoder();

function tooLarge(value: string, maxBytes: number): boolean {
  // UTF-8 takes at least one byte per UTF-16 unit and at most three.
  if (value.length > maxBytes) return true;
  return value.length * 3 > maxBytes && encoder.encode(value).byteLength > maxBytes;
}

/**
 * Reads `url`'s document from the store. `undefined` is a miss: nothing stored, the store failed or
 * was too slow (reported as `store_read_failed`), or the value is not a JSON document within the
 * size limit (reported as `invalid_value`).
 */
export async function readStored(
  ctx: StoreContext,
  url: string,
  document: KeyStoreDocument,
): Promise<StoredDocument | undefined> {
  const started = Date.now();
  const result = await bounded(() => ctx.store.get(url), ctx.timeoutMs);
  const durationMs = Math.max(0, Date.now() - started);
  if (!result.ok) {
    failed(ctx, 'store_read_failed', url, document, result.reason, durationMs);
    return undefined;
  }
  const value: unknown = result.value;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && !tooLarge(value, ctx.maxBytes)) {
    try {
      return { json: JSON.parse(value), durationMs };
    } catch {
      // Refused below, like any other value that is not a document.
    }
  }
  refusedStored(ctx, url, document, durationMs);
  return undefined;
}

/** Reports a stored value that failed the document's rules: a miss, the network is asked instead. */
export function refusedStored(
  ctx: StoreContext,
  url: string,
  document: KeyStoreDocument,
  durationMs: number,
): void {
  failed(ctx, 'store_read_failed', url, document, 'invalid_value', durationMs);
}

/** Writes a fetched document (already checked) to the store. Never rejects; failures are reported. */
export async function writeStored(
  ctx: StoreContext,
  url: string,
  document: KeyStoreDocument,
  text: string,
): Promise<void> {
  const started = Date.now();
  const result = await bounded(() => ctx.store.set(url, text, ctx.ttlSeconds), ctx.timeoutMs);
  if (!result.ok) {
    failed(ctx, 'store_write_failed', url, document, result.reason, Math.max(0, Date.now() - started));
  }
}

function failed(
  ctx: StoreContext,
  type: 'store_read_failed' | 'store_write_failed',
  url: string,
  document: KeyStoreDocument,
  reason: KeyStoreFailureReason,
  durationMs: number,
): void {
  // Deliberately without the store's error: it may quote the command, and so the value written.
  emit(ctx.onEvent, { type, url, document, reason, durationMs });
}

/** A method of `value` that is its own or its class's, never one inherited from `Object.prototype`. */
function method(value: object, name: 'get' | 'set'): ((...args: never[]) => unknown) | undefined {
  for (let o: object | null = value; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    const descriptor = Object.getOwnPropertyDescriptor(o, name);
    if (descriptor !== undefined) {
      return typeof descriptor.value === 'function' ? descriptor.value : undefined;
    }
  }
  return undefined;
}

/**
 * The `keyStore` option checked, with its methods captured (a later change to the object changes
 * nothing). Throws `EntraConfigError` with the fix.
 */
export function resolveKeyStore(value: unknown): EntraKeyStore | undefined {
  if (value === undefined) return undefined;
  const hint =
    "keyStore must be an object with get(key) and set(key, value, ttlSeconds) methods returning promises, e.g. redisKeyStore(client) from '@org/entra-core/stores/redis'";
  if (typeof value !== 'object' || value === null) throw new EntraConfigError(hint);
  const get = method(value, 'get');
  const set = method(value, 'set');
  if (get === undefined || set === undefined) throw new EntraConfigError(hint);
  return {
    get: (key) => Reflect.apply(get, value, [key]) as Promise<string | null | undefined>,
    set: (key, text, ttlSeconds) => Reflect.apply(set, value, [key, text, ttlSeconds]) as Promise<void>,
  };
}
