// Shared by the root commands (`npm test`, `npm run demo`): make them work from a fresh clone on a
// machine that has only Node and npm. pnpm is installed at the pinned version into .tools/ (no global
// install, no Corepack), put first on PATH (turbo calls `pnpm run` itself), then the workspace is
// installed from the lockfile.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

export function run(cmd, args, env, options = {}) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    env,
    stdio: 'inherit',
    shell: process.platform === 'win32',
    ...options,
  });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function pnpmVersion(env) {
  const r = spawnSync('pnpm', ['--version'], { env, encoding: 'utf8', shell: process.platform === 'win32' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Returns an environment whose PATH has pnpm at the pinned version, installing it if needed. */
export function ensurePnpm() {
  const tools = join(root, '.tools');
  const env = {
    ...process.env,
    PATH: [join(tools, 'node_modules', '.bin'), process.env.PATH].join(delimiter),
    TURBO_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
    COREPACK_ENABLE_STRICT: '0',
  };
  if (pnpmVersion(env) !== pinned) {
    console.log(`> installing pnpm@${pinned} into .tools/`);
    const status = run(
      'npm',
      ['install', '--prefix', tools, '--no-save', '--no-audit', '--no-fund', `pnpm@${pinned}`],
      env,
    );
    if (status !== 0 || pnpmVersion(env) !== pinned) {
      console.error(
        `Could not install pnpm@${pinned}. Install it yourself (npm install -g pnpm@${pinned}) and retry.`,
      );
      process.exit(1);
    }
  }
  return env;
}

/** Installs the workspace from the lockfile (fast when already installed). */
export function installWorkspace(env) {
  const frozen = existsSync(join(root, 'pnpm-lock.yaml')) ? ['--frozen-lockfile'] : [];
  return run('pnpm', ['install', ...frozen], env);
}
