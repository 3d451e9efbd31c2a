// `node run-workerd.mjs <suite>` (Node 22 or later: Miniflare's requirement), input on stdin:
// bundles workers/<suite>.mjs with esbuild as a user's Worker build would (ESM, the `workerd`,
// `worker` and `browser` conditions, nothing left external), starts it in workerd through Miniflare
// on 127.0.0.1, posts the input to it and prints the JSON lines the Worker answered. The first line
// describes the bundle: its size and any `node:` import left in it (there must be none).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

const suite = process.argv[2];
let input = '';
for await (const chunk of process.stdin) input += chunk;

const result = await build({
  entryPoints: [fileURLToPath(new URL(`./${suite}.mjs`, import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['module', 'main'],
  write: false,
  metafile: true,
  logLevel: 'error',
});
const script = result.outputFiles[0].text;
const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
console.log(
  JSON.stringify({
    suite,
    bundle: {
      bytes: script.length,
      imports,
      inputs: Object.keys(result.metafile.inputs).filter((path) => path.includes('/dist/')),
    },
  }),
);

const mf = new Miniflare({
  modules: true,
  script,
  compatibilityDate: '2026-07-01',
  // No request.cf data: Miniflare would otherwise download it from Cloudflare.
  cf: false,
  host: '127.0.0.1',
  port: 0,
});
try {
  const response = await mf.dispatchFetch('http://127.0.0.1/run', { method: 'POST', body: input });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`the Worker answered ${response.status}: ${text}`);
  process.stdout.write(text);
} finally {
  await mf.dispose();
}
