// `node run-kv.mjs` (Node 22 or later: Miniflare's requirement), input on stdin: bundles kv-worker.mjs
// as a Worker build would, runs it in workerd through Miniflare with a KV namespace bound as
// ENTRA_KEYS, and prints one JSON line per step:
//   cold     a validator with an empty KV: fetches discovery and keys, writes both to KV
//   listed   what KV holds: key names and whether each carries an expiration
//   warm     a new validator (a new isolate's): both documents from KV, no request
//   tampered garbage written over the key set in KV: a miss, the network is asked and overwrites it
//   repaired what KV holds for the key set afterwards
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { validatorOptions, token, jwksUri } = JSON.parse(input);

const result = await build({
  entryPoints: [fileURLToPath(new URL('./kv-worker.mjs', import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['module', 'main'],
  write: false,
  logLevel: 'error',
});

const mf = new Miniflare({
  modules: true,
  script: result.outputFiles[0].text,
  compatibilityDate: '2026-07-01',
  kvNamespaces: ['ENTRA_KEYS'],
  // No request.cf data: Miniflare would otherwise download it from Cloudflare.
  cf: false,
  host: '127.0.0.1',
  port: 0,
});
const print = (line) => console.log(JSON.stringify(line));
const verify = async () => {
  const response = await mf.dispatchFetch('http://127.0.0.1/verify', {
    method: 'POST',
    body: JSON.stringify({ validatorOptions, token }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`the Worker answered ${response.status}: ${text}`);
  return JSON.parse(text);
};
try {
  const kv = await mf.getKVNamespace('ENTRA_KEYS');
  print({ step: 'cold', ...(await verify()) });
  const now = Date.now() / 1000;
  const { keys } = await kv.list();
  print({
    step: 'listed',
    keys: keys.map((k) => ({
      name: k.name,
      expires: typeof k.expiration === 'number' && k.expiration > now,
    })),
  });
  print({ step: 'warm', ...(await verify()) });
  await kv.put(`entra:${jwksUri}`, '<html>not a key set</html>');
  print({ step: 'tampered', ...(await verify()) });
  const repaired = JSON.parse((await kv.get(`entra:${jwksUri}`)) ?? 'null');
  print({ step: 'repaired', keyCount: Array.isArray(repaired?.keys) ? repaired.keys.length : 0 });
} finally {
  await mf.dispose();
}
