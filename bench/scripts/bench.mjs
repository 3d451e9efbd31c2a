#!/usr/bin/env node
// `pnpm bench`: build the workspace's packages (the bench imports them by name, so it runs their
// published builds), build the bench, then run every benchmark and write docs/BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bench = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(bench, '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
// The packages the bench imports, in dependency order (core first).
const PACKAGES = ['core', 'testing', 'express', 'koa', 'fastify', 'fetch', 'otel'];

function run(cmd, args, cwd = root) {
  console.error(`> ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd, env, stdio: 'inherit' });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

if (process.env.BENCH_SKIP_BUILD !== '1') {
  if (run('pnpm', ['turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only']) !== 0) {
    // turbo refuses to run when the package graph has a cycle (core's tests use the test kit, which
    // imports core's types): build the packages one by one instead.
    console.error('turbo could not build the packages; building them one by one');
    for (const name of PACKAGES) {
      if (run('pnpm', ['--filter', `@org/entra-${name}`, 'run', 'build']) !== 0) process.exit(1);
    }
  }
  if (run('pnpm', ['run', 'build'], bench) !== 0) process.exit(1);
}
process.exit(run(process.execPath, [join(bench, 'dist', 'run-all.js')], bench));
