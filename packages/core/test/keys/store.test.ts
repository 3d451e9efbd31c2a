// The `keyStore` option and `jwks.preload`, against the look-alike issuer: what is read from the store,
// what is written to it, what is refused, and that a store never decides a verification by failing.
import { afterEach, describe, expect, test } from 'vitest';
import {
  createEntraValidator,
  EntraConfigError,
  type EntraEvent,
  type EntraKeyStore,
  type EntraValidatorOptions,
} from '../../src/index.js';
import { codeOf, type ManualClock, OTHER_TENANT, useMockEntra, validatorFor, waitFor } from '../helpers.js';

const { entra, clock } = useMockEntra();
const keysPath = () => `/${entra().tenantId}/discovery/v2.0/keys`;
const discoveryPath = () => `/${entra().tenantId}/v2.0/.well-known/openid-configuration`;
const keysUrl = () => `${entra().authority}${keysPath()}`;
const discoveryUrl = () => `${entra().authority}${discoveryPath()}`;

afterEach(() => {
  entra().setFault(null);
  entra().setMetadataOverrides(null);
});

/** A real store kept in a Map, whose expiry follows the test's clock; it records every call. */
class MemoryStore implements EntraKeyStore {
  readonly values = new Map<string, { value: string; expiresAt: number }>();
  readonly calls: string[] = [];
  readonly ttls: number[] = [];
  constructor(private readonly clock: ManualClock) {}
  async get(key: string): Promise<string | undefined> {
    this.calls.push(`get ${key}`);
    const entry = this.values.get(key);
    if (entry === undefined || entry.expiresAt <= this.clock.now) return undefined;
    return entry.value;
  }
  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.calls.push(`set ${key}`);
    this.ttls.push(ttlSeconds);
    this.values.set(key, { value, expiresAt: this.clock.now + ttlSeconds * 1000 });
  }
  /** Puts a value as someone else with write access would. */
  put(key: string, value: string): void {
    this.values.set(key, { value, expiresAt: this.clock.now + 3_600_000 });
  }
  text(key: string): string | undefined {
    return this.values.get(key)?.value;
  }
}

function withStore(store: EntraKeyStore, extra: Partial<EntraValidatorOptions> = {}) {
  return validatorFor(entra(), clock, { keyStore: store, ...extra });
}

const types = (events: EntraEvent[]) => events.map((e) => e.type).filter((t) => t !== 'token_verified');

describe('sharing through the store', () => {
  test('two validators sharing a store make one discovery and one key-set request between them', async () => {
    const store = new MemoryStore(clock);
    const a = withStore(store);
    const b = withStore(store);
    entra().resetCounts();
    expect(await codeOf(a.validator.verify(entra().createToken()))).toBe('ok');
    expect(await codeOf(b.validator.verify(entra().createToken({ uti: 'b' })))).toBe('ok');
    expect(entra().requestCount()).toBe(2);
    expect(entra().requestCount(discoveryPath())).toBe(1);
    expect(entra().requestCount(keysPath())).toBe(1);
    expect(types(a.events)).toEqual(['metadata_fetched', 'keys_fetched']);
    expect(types(b.events)).toEqual(['metadata_loaded', 'keys_loaded']);
    expect(b.events.find((e) => e.type === 'keys_loaded')).toMatchObject({
      source: 'store',
      trigger: 'initial',
      jwksUri: keysUrl(),
      keyCount: entra().jwks().keys.length,
    });
    expect(b.events.find((e) => e.type === 'metadata_loaded')).toMatchObject({
      source: 'store',
      url: discoveryUrl(),
      version: '2.0',
    });
  });

  test('keyed per URL, the documents as fetched, written with a positive whole TTL; never a token', async () => {
    const store = new MemoryStore(clock);
    const { validator } = withStore(store, { jwks: { refreshIntervalSeconds: 90.5 } });
    const token = entra().createToken();
    await validator.verify(token);
    expect([...store.values.keys()].sort()).toEqual([discoveryUrl(), keysUrl()].sort());
    expect(JSON.parse(store.text(keysUrl()) as string)).toEqual(entra().jwks());
    expect(JSON.parse(store.text(discoveryUrl()) as string)).toMatchObject({
      issuer: entra().issuer,
      jwks_uri: keysUrl(),
    });
    expect(store.ttls).toEqual([91, 91]);
    for (const { value } of store.values.values()) {
      for (const part of token.split('.')) expect(value).not.toContain(part);
    }
  });

  test('a restart with a warm store verifies its first token without any request', async () => {
    const store = new MemoryStore(clock);
    await withStore(store).validator.warmUp();
    entra().resetCounts();
    const restarted = withStore(store);
    expect(await codeOf(restarted.validator.verify(entra().createToken()))).toBe('ok');
    expect(entra().requestCount()).toBe(0);
    // warmUp takes them from the store too.
    await withStore(store).validator.warmUp();
    expect(entra().requestCount()).toBe(0);
  });

  test('the v1 discovery document is shared the same way', async () => {
    const store = new MemoryStore(clock);
    const v1Path = `/${entra().tenantId}/.well-known/openid-configuration`;
    await withStore(store).validator.verify(entra().createToken({}, { version: '1.0' }));
    expect(store.text(`${entra().authority}${v1Path}`)).toBeDefined();
    entra().resetCounts();
    const b = withStore(store);
    expect(await codeOf(b.validator.verify(entra().createToken({ uti: 'v1b' }, { version: '1.0' })))).toBe(
      'ok',
    );
    expect(entra().requestCount()).toBe(0);
    expect(b.events.filter((e) => e.type === 'metadata_loaded').map((e) => e.version)).toEqual([
      '2.0',
      '1.0',
    ]);
  });

  test('a refresh reads the store first; once the value has expired, the network, which rewrites it', async () => {
    const store = new MemoryStore(clock);
    const options = { jwks: { refreshIntervalSeconds: 60 } };
    const a = withStore(store, options);
    await a.validator.warmUp();
    clock.advance(30);
    const b = withStore(store, options);
    await b.validator.warmUp(); // from the store
    entra().resetCounts();
    clock.advance(40); // b's keys are 40 s old, the stored value 70 s: expired
    const kid = await entra().rotateKeys({ keepPrevious: false });
    clock.advance(21); // b's keys are overdue: a refresh runs in the background
    await b.validator
      .verify(entra().createToken({ uti: 'overdue' }, { kid: entra().currentKid }))
      .catch(() => {});
    await waitFor(() => b.events.some((e) => e.type === 'keys_fetched' && e.trigger === 'refresh'));
    expect(entra().requestCount(keysPath())).toBe(1);
    const kids = (JSON.parse(store.text(keysUrl()) as string) as { keys: { kid: string }[] }).keys.map(
      (k) => k.kid,
    );
    expect(kids).toContain(kid);
    clock.advance(-91);
  });
});

describe('what is read back is checked like a fresh response', () => {
  const garbage: [string, (kit: ReturnType<typeof entra>) => string][] = [
    ['not JSON', () => '<html>Service Unavailable</html>'],
    ['JSON but not a key set', () => JSON.stringify({ keys: 'none' })],
    ['an empty key set', () => JSON.stringify({ keys: [] })],
    [
      'only unusable keys (EC, enc, small RSA)',
      (kit) => {
        const n = kit.jwks().keys[0]?.n as string;
        return JSON.stringify({
          keys: [
            { kty: 'EC', crv: 'P-256', kid: 'ec', x: 'AAAA', y: 'AAAA' },
            { kty: 'RSA', kid: 'enc', use: 'enc', n, e: 'AQAB' },
            { kty: 'RSA', kid: 'small', n: 'AQAB'.repeat(40), e: 'AQAB' },
          ],
        });
      },
    ],
    [
      'larger than jwks.maxResponseBytes',
      (kit) => JSON.stringify({ ...kit.jwks(), pad: 'x'.repeat(70_000) }),
    ],
  ];

  test.each(garbage)(
    'a stored key set that is %s is a miss: the network is used and overwrites it',
    async (_, make) => {
      const store = new MemoryStore(clock);
      await withStore(store).validator.warmUp();
      store.put(keysUrl(), make(entra()));
      entra().resetCounts();
      const { validator, events } = withStore(store, { jwks: { maxResponseBytes: 65_536 } });
      expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
      expect(entra().requestCount(keysPath())).toBe(1);
      expect(entra().requestCount(discoveryPath())).toBe(0);
      expect(events).toContainEqual({
        type: 'store_read_failed',
        url: keysUrl(),
        document: 'keys',
        reason: 'invalid_value',
        durationMs: expect.any(Number),
      });
      expect(JSON.parse(store.text(keysUrl()) as string)).toEqual(entra().jwks());
    },
  );

  test('a value that is not a string is a miss', async () => {
    const odd: EntraKeyStore = {
      get: async () => ({ keys: [] }) as unknown as string,
      set: async () => undefined,
    };
    const { validator, events } = withStore(odd);
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
    expect(events.filter((e) => e.type === 'store_read_failed').map((e) => e.reason)).toEqual([
      'invalid_value',
      'invalid_value',
    ]);
  });

  test('a stored discovery document of another issuer is refused by the issuer rule, and replaced', async () => {
    const store = new MemoryStore(clock);
    const foreign = { issuer: entra().issuerFor(OTHER_TENANT), jwks_uri: keysUrl() };
    store.put(discoveryUrl(), JSON.stringify(foreign));
    entra().resetCounts();
    const { validator, events } = withStore(store);
    // A token of the other tenant, signed by the kit's keys: the store's issuer is never believed.
    expect(await codeOf(validator.verify(entra().createToken({}, { tenantId: OTHER_TENANT })))).toBe(
      'invalid_issuer',
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'store_read_failed', document: 'metadata', reason: 'invalid_value' }),
    );
    expect(entra().requestCount(discoveryPath())).toBe(1);
    expect(JSON.parse(store.text(discoveryUrl()) as string).issuer).toBe(entra().issuer);
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
  });

  test('a stored discovery document pointing the keys at another host is refused: no request goes there', async () => {
    const store = new MemoryStore(clock);
    const elsewhere = entra().authority.replace('127.0.0.1', 'localhost');
    store.put(
      discoveryUrl(),
      JSON.stringify({
        issuer: entra().issuer,
        jwks_uri: `${elsewhere}/${entra().tenantId}/discovery/v2.0/keys`,
      }),
    );
    let otherHost = 0;
    const fetch = (input: string, init?: RequestInit) => {
      if (new URL(input).hostname === 'localhost') otherHost++;
      return globalThis.fetch(input, init);
    };
    const { validator, events } = withStore(store, { fetch });
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
    expect(otherHost).toBe(0);
    expect(events.find((e) => e.type === 'store_read_failed')).toMatchObject({ document: 'metadata' });
  });

  test('the store is believed like the issuer: a usable key written to it verifies (so only the API may write it)', async () => {
    // What a store can NOT be protected against, shown so the documentation's claim is exact: a
    // well-formed key set written by whoever can write the store is used until the network is asked.
    const kit = entra();
    const rogue = await kit.addKey();
    const rogueJwk = kit.jwks().keys.find((k) => k.kid === rogue);
    kit.removeKey(rogue); // the issuer does not publish it
    const store = new MemoryStore(clock);
    await withStore(store).validator.warmUp();
    const stored = JSON.parse(store.text(keysUrl()) as string) as { keys: object[] };
    store.put(keysUrl(), JSON.stringify({ keys: [...stored.keys, rogueJwk] }));
    const { validator } = withStore(store);
    expect(await codeOf(validator.verify(kit.createToken({}, { kid: rogue })))).toBe('ok');
    // The issuer rules still hold for such a key: it cannot vouch for another tenant.
    expect(await codeOf(validator.verify(kit.createToken({}, { kid: rogue, tenantId: OTHER_TENANT })))).toBe(
      'invalid_issuer',
    );
  });
});

describe('unknown kids with keys from the store', () => {
  test('an unknown kid after a cold start from the store still reaches the network, which rewrites the store', async () => {
    const store = new MemoryStore(clock);
    await withStore(store).validator.warmUp();
    const kid = await entra().rotateKeys();
    entra().resetCounts();
    const { validator, events } = withStore(store, { jwks: { cooldownSeconds: 30 } });
    expect(await codeOf(validator.verify(entra().createToken({}, { kid })))).toBe('ok');
    expect(entra().requestCount(keysPath())).toBe(1);
    expect(types(events)).toEqual(['metadata_loaded', 'keys_loaded', 'keys_fetched']);
    expect(events.at(-2)).toMatchObject({ type: 'keys_fetched', trigger: 'unknown_kid' });
    // That refetch counts: another unknown kid within the cooldown makes no request...
    const forged = entra().createToken({}, { signWith: 'unpublished' });
    expect(await codeOf(validator.verify(forged))).toBe('unknown_signing_key');
    expect(entra().requestCount(keysPath())).toBe(1);
    // ...and the rotated set is now what the store holds: the next cold start needs no request.
    const next = withStore(store);
    expect(await codeOf(next.validator.verify(entra().createToken({ uti: 'next' }, { kid })))).toBe('ok');
    expect(entra().requestCount()).toBe(1);
  });

  test('a kid the store already knows (another replica refetched) is taken from it without a request', async () => {
    const store = new MemoryStore(clock);
    const a = withStore(store);
    const b = withStore(store);
    await a.validator.warmUp();
    await b.validator.warmUp();
    const kid = await entra().rotateKeys();
    expect(await codeOf(a.validator.verify(entra().createToken({}, { kid })))).toBe('ok');
    entra().resetCounts();
    expect(await codeOf(b.validator.verify(entra().createToken({ uti: 'b' }, { kid })))).toBe('ok');
    expect(entra().requestCount()).toBe(0);
    expect(b.events.at(-2)).toMatchObject({ type: 'keys_loaded', source: 'store', trigger: 'unknown_kid' });
  });

  test('unknown kids are bounded by the cooldown: at most one store read and one request per cooldown', async () => {
    const store = new MemoryStore(clock);
    const { validator } = withStore(store, { jwks: { cooldownSeconds: 30 } });
    await validator.warmUp();
    entra().resetCounts();
    store.calls.length = 0;
    const forged = () => entra().createToken({}, { signWith: 'unpublished' });
    const codes = await Promise.all(Array.from({ length: 50 }, () => codeOf(validator.verify(forged()))));
    expect(new Set(codes)).toEqual(new Set(['unknown_signing_key']));
    expect(entra().requestCount(keysPath())).toBe(1);
    expect(store.calls.filter((c) => c.startsWith('get'))).toEqual([`get ${keysUrl()}`]);
  });
});

describe('a failing or slow store is a miss, never a failed verification', () => {
  const failures: [string, EntraKeyStore, 'error' | 'timeout'][] = [
    [
      'throws',
      {
        get: () => {
          throw new Error('ECONNREFUSED');
        },
        set: () => {
          throw new Error('ECONNREFUSED');
        },
      },
      'error',
    ],
    [
      'rejects',
      {
        get: async () => Promise.reject(new Error('READONLY')),
        set: async () => Promise.reject(new Error('READONLY')),
      },
      'error',
    ],
    ['never answers', { get: () => new Promise(() => {}), set: () => new Promise(() => {}) }, 'timeout'],
  ];

  test.each(failures)(
    'a store that %s: verified through the network, reported without details',
    async (_, store, reason) => {
      entra().resetCounts();
      const { validator, events } = withStore(store, { jwks: { timeoutMs: 200 } });
      const token = entra().createToken();
      expect(await codeOf(validator.verify(token))).toBe('ok');
      expect(entra().requestCount()).toBe(2);
      const failed = events.filter((e) => e.type === 'store_read_failed' || e.type === 'store_write_failed');
      expect(failed.map((e) => [e.type, e.document, e.reason])).toEqual([
        ['store_read_failed', 'metadata', reason],
        ['store_write_failed', 'metadata', reason],
        ['store_read_failed', 'keys', reason],
        ['store_write_failed', 'keys', reason],
      ]);
      const serialized = JSON.stringify(events);
      for (const part of token.split('.')) expect(serialized).not.toContain(part);
      expect(serialized).not.toContain(entra().jwks().keys[0]?.n as string);
      expect(serialized).not.toContain('ECONNREFUSED');
      expect(serialized).not.toContain('READONLY');
    },
  );

  test('with the issuer down too: 503 keys_unavailable, as without a store', async () => {
    entra().setFault('down');
    const store: EntraKeyStore = { get: async () => Promise.reject(new Error('down')), set: async () => {} };
    const { validator } = withStore(store, { jwks: { timeoutMs: 200 } });
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('keys_unavailable');
  });

  test('with the issuer down, a warm store still serves a cold start', async () => {
    const store = new MemoryStore(clock);
    await withStore(store).validator.warmUp();
    entra().setFault('down');
    const { validator } = withStore(store);
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
  });
});

describe('jwks.preload', () => {
  test('seeds the keys: discovery is fetched, the key set is not; an unknown kid still reaches the network', async () => {
    entra().resetCounts();
    const preload = entra().jwks();
    const { validator, events } = validatorFor(entra(), clock, { jwks: { preload, cooldownSeconds: 30 } });
    await validator.warmUp();
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
    expect(entra().requestCount(keysPath())).toBe(0);
    expect(entra().requestCount(discoveryPath())).toBe(1);
    expect(events.find((e) => e.type === 'keys_loaded')).toMatchObject({
      source: 'preload',
      keyCount: preload.keys.length,
      ignoredCount: 0,
    });
    const kid = await entra().rotateKeys();
    expect(await codeOf(validator.verify(entra().createToken({}, { kid })))).toBe('ok');
    expect(entra().requestCount(keysPath())).toBe(1);
  });

  test('a preload without the kid of the first token: the network is asked at once', async () => {
    const kit = entra();
    const first = await kit.addKey();
    const preload = { keys: kit.jwks().keys.filter((k) => k.kid !== first) };
    entra().resetCounts();
    const { validator } = validatorFor(kit, clock, { jwks: { preload } });
    expect(await codeOf(validator.verify(kit.createToken({}, { kid: first })))).toBe('ok');
    expect(entra().requestCount(keysPath())).toBe(1);
  });

  test('junk entries are ignored as in a JWKS', async () => {
    const n = entra().jwks().keys[0]?.n as string;
    const preload = {
      keys: [
        ...entra().jwks().keys,
        { kty: 'EC', crv: 'P-256', kid: 'ec', x: 'AAAA', y: 'AAAA' },
        { kty: 'RSA', kid: 'enc', use: 'enc', n, e: 'AQAB' },
        { kty: 'RSA', kid: 'small', n: 'AQAB'.repeat(40), e: 'AQAB' },
        'not a key',
      ],
    };
    const { validator, events } = validatorFor(entra(), clock, { jwks: { preload } });
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
    expect(events.find((e) => e.type === 'keys_loaded')).toMatchObject({ ignoredCount: 4 });
  });

  test('with a key store too: the preload comes first, and nothing is read from the store at start', async () => {
    const store = new MemoryStore(clock);
    entra().resetCounts();
    const { validator } = withStore(store, { jwks: { preload: entra().jwks() } });
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
    expect(store.calls.filter((c) => c.includes('/keys'))).toEqual([]);
    expect(entra().requestCount(keysPath())).toBe(0);
  });

  test.each([
    ['not a JWKS', { keys: 'x' }, /jwks.preload must be a JWKS document/],
    ['an array', [], /jwks.preload must be a JWKS document/],
    ['without a usable key', { keys: [{ kty: 'EC', kid: 'ec' }] }, /no usable key \(1 ignored\)/],
  ])('%s is a configuration error with the fix', (_, preload, message) => {
    expect(() =>
      createEntraValidator(entra().validatorOptions({ jwks: { preload: preload as never } })),
    ).toThrow(message);
  });

  test('keys inherited from a polluted prototype configure nothing', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.keys = entra().jwks().keys;
    try {
      expect(() =>
        createEntraValidator(entra().validatorOptions({ jwks: { preload: {} as never } })),
      ).toThrow(EntraConfigError);
    } finally {
      delete proto.keys;
    }
  });
});

describe('the keyStore option', () => {
  test.each([
    ['a string', 'redis://localhost'],
    ['without set', { get: async (): Promise<undefined> => undefined }],
    ['with a set that is not a function', { get: async (): Promise<undefined> => undefined, set: 'no' }],
  ])('%s is a configuration error with the fix', (_, keyStore) => {
    expect(() => createEntraValidator(entra().validatorOptions({ keyStore: keyStore as never }))).toThrow(
      /keyStore must be an object with get\(key\) and set\(key, value, ttlSeconds\)/,
    );
  });

  test('a method inherited from a polluted Object.prototype configures nothing', () => {
    const proto = Object.prototype as Record<string, unknown>;
    let error: unknown;
    proto.set = async () => undefined;
    try {
      createEntraValidator(entra().validatorOptions({ keyStore: { get: async () => undefined } as never }));
    } catch (e) {
      error = e;
    } finally {
      delete proto.set;
    }
    expect(error).toBeInstanceOf(EntraConfigError);
  });

  test("a class instance's methods are used, called on the instance", async () => {
    const store = new MemoryStore(clock);
    const { validator } = withStore(store);
    await validator.warmUp();
    expect(store.calls).toEqual([
      `get ${discoveryUrl()}`,
      `set ${discoveryUrl()}`,
      `get ${keysUrl()}`,
      `set ${keysUrl()}`,
    ]);
  });
});
