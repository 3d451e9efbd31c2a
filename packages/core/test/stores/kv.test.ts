// `@org/entra-core/stores/kv`: the calls it makes on a namespace binding. The store is run inside
// workerd against Miniflare's real KV in packages/runtimes (test/kv-store.test.ts).
import { describe, expect, test } from 'vitest';
import { EntraConfigError } from '../../src/index.js';
import { type KVNamespaceLike, kvKeyStore } from '../../src/stores/kv.js';

/** A namespace in a Map, recording each call as workerd's binding would receive it. */
function namespace(): KVNamespaceLike & { calls: unknown[][]; data: Map<string, string> } {
  const data = new Map<string, string>();
  const calls: unknown[][] = [];
  return {
    data,
    calls,
    async get(key, type) {
      calls.push(['get', key, type]);
      return data.get(key) ?? null;
    },
    async put(key, value, options) {
      calls.push(['put', key, options]);
      data.set(key, value);
    },
  };
}

describe('kvKeyStore', () => {
  test('prefixes keys, reads text, writes with an expirationTtl of at least 60 seconds (KV minimum)', async () => {
    const kv = namespace();
    const store = kvKeyStore(kv, { prefix: 'api:' });
    expect(await store.get('https://issuer/keys')).toBeUndefined();
    await store.set('https://issuer/keys', '{"keys":[]}', 30);
    await store.set('https://issuer/doc', '{}', 3600.5);
    expect(await store.get('https://issuer/keys')).toBe('{"keys":[]}');
    expect(kv.calls).toEqual([
      ['get', 'api:https://issuer/keys', 'text'],
      ['put', 'api:https://issuer/keys', { expirationTtl: 60 }],
      ['put', 'api:https://issuer/doc', { expirationTtl: 3601 }],
      ['get', 'api:https://issuer/keys', 'text'],
    ]);
    await kvKeyStore(kv).set('k', 'v', 120);
    expect(kv.data.get('entra:k')).toBe('v');
  });

  test.each([
    ['no namespace', undefined, undefined],
    ['a binding without put', { get: async (): Promise<null> => null }, undefined],
    ['a prefix that is not a string', namespace(), { prefix: null }],
    ['options that are not an object', namespace(), 'entra:'],
  ])('%s is a configuration error with the fix', (_, kv, options) => {
    expect(() => kvKeyStore(kv as never, options as never)).toThrow(EntraConfigError);
  });
});
