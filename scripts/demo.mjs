#!/usr/bin/env node
// `npm run demo` from a fresh clone: installs pnpm and the workspace, builds the packages, then runs
// the Express example against the local Entra look-alike and prints what the API saw.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePnpm, installWorkspace, root, run } from './bootstrap.mjs';

const env = ensurePnpm();
if (installWorkspace(env) !== 0) process.exit(1);
const demo = join(root, 'examples', 'express-api', 'src', 'demo.ts');
if (!existsSync(demo)) {
  console.log('The end-to-end demo is coming soon: `npm test` runs every test in the meantime.');
  process.exit(0);
}
if (run('pnpm', ['turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only'], env) !== 0)
  process.exit(1);
process.exit(run('pnpm', ['--filter', 'express-api', 'run', 'demo'], env));
