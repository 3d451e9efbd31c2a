// @org/entra-core/stores/kv inside workerd (Miniflare), against Miniflare's real KV: one isolate's
// fetch is the next one's cold start, garbage in KV is a miss that the network repairs.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { node22, runProgram, runtimesDir } from '../src/index.js';
import { issuerForThisFile } from './support.js';

const issuer = issuerForThisFile();

it('a Workers KV key store: shared between validators, written with an expiry, refused garbage repaired', async () => {
  const kit = issuer.entra;
  const keysPath = `/${kit.tenantId}/discovery/v2.0/keys`;
  const discoveryPath = `/${kit.tenantId}/v2.0/.well-known/openid-configuration`;
  const jwksUri = `${kit.authority}${keysPath}`;
  const token = kit.createToken({ scp: 'Orders.Read' });
  const { oid } = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as {
    oid: string;
  };
  kit.resetCounts();
  const driver = join(runtimesDir, 'programs', 'stores', 'run-kv.mjs');
  const lines = await runProgram(
    node22().bin,
    [driver],
    { validatorOptions: kit.validatorOptions(), token, jwksUri },
    { timeoutMs: 120_000 },
  );
  expect(lines).toEqual([
    {
      step: 'cold',
      oid,
      events: [
        { type: 'metadata_fetched', version: '2.0' },
        { type: 'keys_fetched', trigger: 'initial' },
      ],
    },
    {
      step: 'listed',
      keys: [
        { name: `entra:${kit.authority}${discoveryPath}`, expires: true },
        { name: `entra:${jwksUri}`, expires: true },
      ].sort((a, b) => (a.name < b.name ? -1 : 1)),
    },
    {
      step: 'warm',
      oid,
      events: [
        { type: 'metadata_loaded', version: '2.0', source: 'store' },
        { type: 'keys_loaded', trigger: 'initial', source: 'store' },
      ],
    },
    {
      step: 'tampered',
      oid,
      events: [
        { type: 'metadata_loaded', version: '2.0', source: 'store' },
        { type: 'store_read_failed', document: 'keys', reason: 'invalid_value' },
        { type: 'keys_fetched', trigger: 'initial' },
      ],
    },
    { step: 'repaired', keyCount: kit.jwks().keys.length },
  ]);
  // Three requests in all: the cold start's two, and the key set again after the garbage.
  expect(kit.requestCount(discoveryPath)).toBe(1);
  expect(kit.requestCount(keysPath)).toBe(2);
  expect(kit.requestCount()).toBe(3);
});
