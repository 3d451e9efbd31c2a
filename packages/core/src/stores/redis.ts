/**
 * `@org/entra-core/stores/redis`: a `keyStore` on Redis, so replicas and cold starts share the
 * discovery document and key set instead of each fetching them. Works with an `ioredis` client or a
 * `redis` (node-redis) client; depends on neither.
 *
 * @packageDocumentation
 * @module \@org/entra-core/stores/redis
 */
import { EntraConfigError } from '../errors.js';
import type { EntraKeyStore } from '../options.js';

/**
 * What this store uses of a Redis client: `get(key)` and `set(key, value, ...)` returning promises.
 * An `ioredis` client (`new Redis()`, `new Cluster()`) and a connected `redis` client
 * (`createClient()`, `createCluster()`) both fit.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const client: RedisClientLike = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
 * ```
 */
export interface RedisClientLike {
  get(key: string): Promise<unknown>;
  // `any`: each client declares set() its own (overloaded) way; both shapes must fit.
  set(key: string, value: string, ...options: any[]): Promise<unknown>;
}

/**
 * Options of {@link redisKeyStore}.
 *
 * @example
 * ```ts
 * const options: RedisKeyStoreOptions = { prefix: 'orders-api:entra:' };
 * const keyStore = redisKeyStore(client, options);
 * ```
 */
export interface RedisKeyStoreOptions {
  /** Put before every key (the documents' URLs). Default `'entra:'`. */
  prefix?: string;
}

/**
 * How `set` takes an expiry: node-redis wants `{ EX: seconds }`, ioredis (and clients shaped like
 * it) the arguments `'EX', seconds`. A node-redis client is told by its `isOpen` property, which
 * node-redis clients and clusters have and ioredis clients do not.
 */
function expiryStyle(client: object): 'object' | 'arguments' {
  return 'isOpen' in client ? 'object' : 'arguments';
}

/**
 * A `keyStore` on Redis. Keys are `prefix` + the document's URL; every write carries an expiry
 * (`SET key value EX ttl`), so nothing outlives the validator's refresh interval. Give it a client
 * that is connected (node-redis: after `await client.connect()`).
 *
 * @example
 * ```ts
 * import { createEntraValidator } from '@org/entra-core';
 * import { redisKeyStore } from '@org/entra-core/stores/redis';
 * import { Redis } from 'ioredis';
 *
 * const keyStore = redisKeyStore(new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'));
 * const validator = createEntraValidator({ tenantId, clientId, keyStore });
 * ```
 */
export function redisKeyStore(client: RedisClientLike, options: RedisKeyStoreOptions = {}): EntraKeyStore {
  if (
    typeof client !== 'object' ||
    client === null ||
    typeof client.get !== 'function' ||
    typeof client.set !== 'function'
  ) {
    throw new EntraConfigError(
      "redisKeyStore needs a Redis client with get() and set(): new Redis() from 'ioredis', or createClient() from 'redis'",
    );
  }
  const prefix = readPrefix(options);
  const style = expiryStyle(client);
  return {
    async get(key) {
      const value = await client.get(prefix + key);
      if (value === null || value === undefined) return undefined;
      if (typeof value !== 'string') {
        throw new TypeError('the Redis client answered GET with something other than a string');
      }
      return value;
    },
    async set(key, value, ttlSeconds) {
      const seconds = Math.max(1, Math.ceil(ttlSeconds));
      if (style === 'object') await client.set(prefix + key, value, { EX: seconds });
      else await client.set(prefix + key, value, 'EX', seconds);
    },
  };
}

function readPrefix(options: RedisKeyStoreOptions): string {
  if (typeof options !== 'object' || options === null) {
    throw new EntraConfigError("redisKeyStore: options must be an object, e.g. { prefix: 'entra:' }");
  }
  const prefix = Object.hasOwn(options, 'prefix') ? options.prefix : undefined;
  if (prefix === undefined) return 'entra:';
  if (typeof prefix !== 'string')
    throw new EntraConfigError("redisKeyStore: prefix must be a string, e.g. 'entra:'");
  return prefix;
}
