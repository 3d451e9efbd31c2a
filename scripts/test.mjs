#!/usr/bin/env node
// The whole test suite, from a fresh clone: install, build, typecheck, lint, then every test of the
// workspace in one Vitest run (with coverage of the core). Ends with one line: `N passed, N failed`.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePnpm, installWorkspace, root, run } from './bootstrap.mjs';

const report = join(root, '.vitest-report.json');
let failedSteps = 0;

function step(name, fn) {
  console.log(`\n=== ${name}`);
  const status = fn();
  if (status !== 0) {
    console.error(`=== ${name} failed (exit ${status})`);
    failedSteps++;
  }
  return status;
}

const env = ensurePnpm();
if (step('install', () => installWorkspace(env)) !== 0) finish(0, 1);
step('build and typecheck', () =>
  run('pnpm', ['turbo', 'run', 'build', 'typecheck', '--output-logs=errors-only'], env),
);
step('lint', () => run('pnpm', ['biome', 'ci', '.'], env));
rmSync(report, { force: true });
step('tests', () =>
  run(
    'pnpm',
    ['vitest', 'run', '--coverage', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    env,
  ),
);

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0;
  failed =
    (r.numFailedTests ?? 0) +
    (r.numTotalTestSuites > 0 && r.success === false && r.numFailedTests === 0 ? 1 : 0);
} else {
  failed = 1;
}
// A failed build, typecheck or lint step counts as a failure even when every test passed.
if (failedSteps > 0 && failed === 0) failed = failedSteps;
finish(passed, failed);

function finish(p, f) {
  console.log(`${p} passed, ${f} failed`);
  process.exit(f === 0 ? 0 : 1);
}
