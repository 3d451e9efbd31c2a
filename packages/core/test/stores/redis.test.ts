// `@org/entra-core/stores/redis` against a real redis-server on 127.0.0.1, through both real client
// libraries (ioredis and node-redis), each validator on its own connection as replicas would be.
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { EntraConfigError, type EntraKeyStore, type EntraValidatorOptions } from '../../src/index.js';
import { redisKeyStore } from '../../src/stores/redis.js';
import { codeOf, OTHER_TENANT, useMockEntra, validatorFor } from '../helpers.js';
import { type RedisServer, startRedisServer } from './redis-server.js';

const { entra, clock } = useMockEntra();
const keysPath = () => `/${entra().tenantId}/discovery/v2.0/keys`;
const discoveryPath = () => `/${entra().tenantId}/v2.0/.well-known/openid-configuration`;
const keysUrl = () => `${entra().authority}${keysPath()}`;
const discoveryUrl = () => `${entra().authority}${discoveryPath()}`;

let server: RedisServer | undefined;
beforeAll(async () => {
  server = await startRedisServer();
}, 900_000);
afterAll(async () => {
  await server?.stop();
});

/** A connection of one client library, and what the tests need of it besides the store. */
interface Connection {
  readonly store: (prefix?: string) => EntraKeyStore;
  readonly ttl: (key: string) => Promise<number>;
  readonly keys: () => Promise<string[]>;
  readonly read: (key: string) => Promise<string | null>;
  readonly write: (key: string, value: string) => Promise<unknown>;
  readonly flush: () => Promise<unknown>;
  readonly close: () => Promise<void>;
}

const libraries: Record<'ioredis' | 'node-redis', (port: number) => Promise<Connection>> = {
  async ioredis(port) {
    const client = new Redis(port, '127.0.0.1', { lazyConnect: true });
    await client.connect();
    return {
      store: (prefix) => redisKeyStore(client, prefix === undefined ? {} : { prefix }),
      ttl: (key) => client.ttl(key),
      keys: () => client.keys('*'),
      read: (key) => client.get(key),
      write: (key, value) => client.set(key, value),
      flush: () => client.flushall(),
      close: async () => {
        await client.quit();
      },
    };
  },
  async 'node-redis'(port) {
    const client = createClient({ url: `redis://127.0.0.1:${port}` });
    await client.connect();
    return {
      store: (prefix) => redisKeyStore(client, prefix === undefined ? {} : { prefix }),
      ttl: (key) => client.ttl(key),
      keys: () => client.keys('*'),
      read: (key) => client.get(key),
      write: (key, value) => client.set(key, value),
      flush: () => client.flushAll(),
      close: () => client.close(),
    };
  },
};

const opened: Connection[] = [];
async function connect(library: keyof typeof libraries): Promise<Connection> {
  if (server === undefined) throw new Error('redis-server is not running');
  const connection = await libraries[library](server.port);
  opened.push(connection);
  return connection;
}

afterEach(async () => {
  await opened[0]?.flush();
  await Promise.all(opened.splice(0).map((c) => c.close()));
  entra().setFault(null);
});

function withStore(keyStore: EntraKeyStore, extra: Partial<EntraValidatorOptions> = {}) {
  return validatorFor(entra(), clock, { keyStore, ...extra });
}

describe.each(['ioredis', 'node-redis'] as const)('redisKeyStore with %s', (library) => {
  test('keys are the prefix and the URL; values the documents; every write carries an expiry', async () => {
    const redis = await connect(library);
    const prefix = `t1:${library}:`;
    await withStore(redis.store(prefix), { jwks: { refreshIntervalSeconds: 600 } }).validator.warmUp();
    const written = (await redis.keys()).filter((k) => k.startsWith(prefix)).sort();
    expect(written).toEqual([`${prefix}${discoveryUrl()}`, `${prefix}${keysUrl()}`].sort());
    for (const key of written) {
      const ttl = await redis.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(600);
    }
    expect(JSON.parse((await redis.read(`${prefix}${keysUrl()}`)) as string)).toEqual(entra().jwks());
    // The default prefix.
    await withStore(redis.store()).validator.warmUp();
    expect(await redis.read(`entra:${keysUrl()}`)).not.toBeNull();
  });

  test('two validators sharing a store, each on its own connection, make one fetch between them', async () => {
    const prefix = `t2:${library}:`;
    const a = withStore((await connect(library)).store(prefix));
    const b = withStore((await connect(library)).store(prefix));
    entra().resetCounts();
    const tokens = [entra().createToken({ uti: 'a' }), entra().createToken({ uti: 'b' })];
    expect(await codeOf(a.validator.verify(tokens[0] as string))).toBe('ok');
    expect(await codeOf(b.validator.verify(tokens[1] as string))).toBe('ok');
    expect(entra().requestCount(discoveryPath())).toBe(1);
    expect(entra().requestCount(keysPath())).toBe(1);
    expect(b.events.filter((e) => e.type === 'keys_loaded' || e.type === 'metadata_loaded')).toHaveLength(2);
  });

  test('a restart (new validator, new connection, warm store) verifies its first token with no request', async () => {
    const prefix = `t3:${library}:`;
    await withStore((await connect(library)).store(prefix)).validator.warmUp();
    entra().resetCounts();
    const restarted = withStore((await connect(library)).store(prefix));
    expect(await codeOf(restarted.validator.verify(entra().createToken()))).toBe('ok');
    expect(entra().requestCount()).toBe(0);
  });

  test('a garbage key set written to Redis is a miss: the network is used and overwrites it', async () => {
    const redis = await connect(library);
    const prefix = `t4:${library}:`;
    await withStore(redis.store(prefix)).validator.warmUp();
    await redis.write(
      `${prefix}${keysUrl()}`,
      JSON.stringify({ keys: [{ kty: 'RSA', kid: 'x', n: 'AQAB', e: 'AQAB' }] }),
    );
    entra().resetCounts();
    const { validator, events } = withStore(redis.store(prefix));
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
    expect(entra().requestCount(keysPath())).toBe(1);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'store_read_failed', reason: 'invalid_value' }),
    );
    expect(JSON.parse((await redis.read(`${prefix}${keysUrl()}`)) as string)).toEqual(entra().jwks());
    expect(await redis.ttl(`${prefix}${keysUrl()}`)).toBeGreaterThan(0);
  });

  test("another issuer's discovery document in Redis is refused by the issuer rule", async () => {
    const redis = await connect(library);
    const prefix = `t5:${library}:`;
    const foreign = { issuer: entra().issuerFor(OTHER_TENANT), jwks_uri: keysUrl() };
    await redis.write(`${prefix}${discoveryUrl()}`, JSON.stringify(foreign));
    const { validator } = withStore(redis.store(prefix));
    expect(await codeOf(validator.verify(entra().createToken({}, { tenantId: OTHER_TENANT })))).toBe(
      'invalid_issuer',
    );
    expect(JSON.parse((await redis.read(`${prefix}${discoveryUrl()}`)) as string).issuer).toBe(
      entra().issuer,
    );
  });
});

describe('redisKeyStore when Redis is unreachable', () => {
  test('ioredis queueing commands while it reconnects: each call gives up at jwks.timeoutMs, verification goes on', async () => {
    const client = new Redis(await portWithNothing(), '127.0.0.1', { retryStrategy: () => 1000 });
    client.on('error', () => undefined);
    try {
      entra().resetCounts();
      const { validator, events } = withStore(redisKeyStore(client), { jwks: { timeoutMs: 300 } });
      expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
      expect(entra().requestCount()).toBe(2);
      expect(events.filter((e) => e.type === 'store_read_failed').map((e) => e.reason)).toEqual([
        'timeout',
        'timeout',
      ]);
    } finally {
      client.disconnect();
    }
  });

  test('node-redis with its connection closed: each call fails at once, verification goes on', async () => {
    const client = createClient({ url: `redis://127.0.0.1:${await portWithNothing()}` });
    const { validator, events } = withStore(redisKeyStore(client));
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
    expect(
      events
        .filter((e) => e.type === 'store_read_failed' || e.type === 'store_write_failed')
        .map((e) => `${e.type} ${e.reason}`),
    ).toEqual([
      'store_read_failed error',
      'store_write_failed error',
      'store_read_failed error',
      'store_write_failed error',
    ]);
  });
});

describe('redisKeyStore, both client shapes', () => {
  test('what ioredis wrote, node-redis reads (same keys, same values)', async () => {
    const prefix = 'shared:';
    await withStore((await connect('ioredis')).store(prefix)).validator.warmUp();
    entra().resetCounts();
    const fromNodeRedis = withStore((await connect('node-redis')).store(prefix));
    expect(await codeOf(fromNodeRedis.validator.verify(entra().createToken()))).toBe('ok');
    expect(entra().requestCount()).toBe(0);
  });

  test('the expiry goes as { EX } to a client with isOpen (node-redis), as EX arguments otherwise', async () => {
    const calls: unknown[][] = [];
    const nodeRedisLike = {
      isOpen: true,
      get: async () => null,
      set: async (...args: unknown[]) => calls.push(args),
    };
    const ioredisLike = { get: async () => null, set: async (...args: unknown[]) => calls.push(args) };
    await redisKeyStore(nodeRedisLike, { prefix: 'p:' }).set('k', 'v', 90.2);
    await redisKeyStore(ioredisLike).set('k', 'v', 90);
    expect(calls).toEqual([
      ['p:k', 'v', { EX: 91 }],
      ['entra:k', 'v', 'EX', 90],
    ]);
    expect(await redisKeyStore(ioredisLike).get('k')).toBeUndefined();
  });

  test('a GET answered with something other than a string is a store error, not a value', async () => {
    const buffers = { get: async () => new Uint8Array([123, 125]), set: async () => 'OK' };
    await expect(redisKeyStore(buffers).get('k')).rejects.toThrow(/other than a string/);
  });

  test.each([
    ['no client', undefined, undefined],
    ['a client without set', { get: async (): Promise<null> => null }, undefined],
    [
      'a prefix that is not a string',
      { get: async (): Promise<null> => null, set: async () => 'OK' },
      { prefix: 7 },
    ],
  ])('%s is a configuration error with the fix', (_, client, options) => {
    expect(() => redisKeyStore(client as never, options as never)).toThrow(EntraConfigError);
  });
});

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
function portWithNothing(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
