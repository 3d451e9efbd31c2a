/**
 * `@org/entra-core/stores/kv`: a `keyStore` on a Cloudflare Workers KV namespace, so every isolate
 * and cold start of a Worker shares the discovery document and key set instead of fetching them.
 *
 * @packageDocumentation
 * @module \@org/entra-core/stores/kv
 */
import { EntraConfigError } from '../errors.js';
import type { EntraKeyStore } from '../options.js';

/**
 * What this store uses of a Workers KV namespace binding (`env.ENTRA_KEYS`): `get(key, 'text')` and
 * `put(key, value, { expirationTtl })`. Declared here, so no Workers type package is needed.
 *
 * @example
 * ```ts
 * interface Env {
 *   ENTRA_KEYS: KVNamespaceLike; // or KVNamespace from @cloudflare/workers-types
 * }
 * ```
 */
export interface KVNamespaceLike {
  get(key: string, type: 'text'): Promise<string | null>;
  put(key: string, value: string, options: { expirationTtl: number }): Promise<void>;
}

/**
 * Options of {@link kvKeyStore}.
 *
 * @example
 * ```ts
 * const options: KvKeyStoreOptions = { prefix: 'orders-api:entra:' };
 * const keyStore = kvKeyStore(env.ENTRA_KEYS, options);
 * ```
 */
export interface KvKeyStoreOptions {
  /** Put before every key (the documents' URLs). Default `'entra:'`. */
  prefix?: string;
}

/** Workers KV refuses an `expirationTtl` under 60 seconds. */
const KV_MIN_TTL_SECONDS = 60;

/**
 * A `keyStore` on a Workers KV namespace. Values are written with an expiry (`expirationTtl`, at least
 * 60 seconds, KV's minimum). KV is eventually consistent: another location may read the previous
 * value for up to a minute, which the validator treats like any cached copy.
 *
 * @example
 * ```ts
 * import { createEntraValidator, type EntraValidator } from '@org/entra-core';
 * import { kvKeyStore } from '@org/entra-core/stores/kv';
 *
 * let validator: EntraValidator | undefined; // one per isolate, made on its first request
 * export default {
 *   async fetch(request: Request, env: { ENTRA_KEYS: KVNamespaceLike }): Promise<Response> {
 *     validator ??= createEntraValidator({ tenantId, clientId, keyStore: kvKeyStore(env.ENTRA_KEYS) });
 *     const principal = await validator.authenticate(request.headers.get('authorization'));
 *     return Response.json({ oid: principal.objectId });
 *   },
 * };
 * ```
 */
export function kvKeyStore(namespace: KVNamespaceLike, options: KvKeyStoreOptions = {}): EntraKeyStore {
  if (
    typeof namespace !== 'object' ||
    namespace === null ||
    typeof namespace.get !== 'function' ||
    typeof namespace.put !== 'function'
  ) {
    throw new EntraConfigError(
      'kvKeyStore needs a Workers KV namespace binding (env.<BINDING>), with get() and put(): declare it under kv_namespaces in wrangler.toml',
    );
  }
  const prefix = readPrefix(options);
  return {
    async get(key) {
      const value = await namespace.get(prefix + key, 'text');
      return value ?? undefined;
    },
    async set(key, value, ttlSeconds) {
      const expirationTtl = Math.max(KV_MIN_TTL_SECONDS, Math.ceil(ttlSeconds));
      await namespace.put(prefix + key, value, { expirationTtl });
    },
  };
}

function readPrefix(options: KvKeyStoreOptions): string {
  if (typeof options !== 'object' || options === null)
    throw new EntraConfigError('kvKeyStore: options must be an object');
  const prefix = Object.hasOwn(options, 'prefix') ? options.prefix : undefined;
  if (prefix === undefined) return 'entra:';
  if (typeof prefix !== 'string')
    throw new EntraConfigError("kvKeyStore: prefix must be a string, e.g. 'entra:'");
  return prefix;
}
