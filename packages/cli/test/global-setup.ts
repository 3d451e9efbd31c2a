/**
 * The tests run the real binary, dist/cli.js. Before they start, this builds what is missing or stale:
 * the core's dist (the bin imports @org/entra-core at run time, as an installed package would) when it
 * is missing or older than the core's sources, and the bin when any source is newer than it (a
 * bin-only tsup build, under a second).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const core = join(pkg, '..', 'core');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

function tsup(cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  const tsupPackage = createRequire(join(pkg, 'package.json')).resolve('tsup/package.json');
  execFileSync(process.execPath, [join(dirname(tsupPackage), 'dist', 'cli-default.js')], {
    cwd,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export default function setup(): void {
  const coreDist = join(core, 'dist', 'index.js');
  if (!existsSync(coreDist) || statSync(coreDist).mtimeMs < newest(join(core, 'src'))) {
    console.log('[cli tests] building @org/entra-core (its dist is missing or stale)');
    tsup(core);
  }
  const bin = join(pkg, 'dist', 'cli.js');
  const sources = Math.max(
    newest(join(pkg, 'src')),
    newest(join(pkg, 'tsup.config.ts')),
    newest(join(pkg, 'package.json')),
  );
  if (existsSync(bin) && statSync(bin).mtimeMs >= sources) return;
  tsup(pkg, { ...process.env, ENTRA_CLI_BUILD: 'bin' });
}
