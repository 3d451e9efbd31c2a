#!/usr/bin/env node
// `npm run demo` from a fresh clone: installs pnpm and the workspace, builds the packages, then runs
// the Express example against local Entra look-alikes (a workforce tenant, an Azure AD B2C tenant and
// an Entra External ID tenant, behind one combined validator) and prints what the API saw
// (examples/express-api/src/demo.ts). Exits non-zero when any call did not behave as expected.
import { ensurePnpm, installWorkspace, run } from './bootstrap.mjs';

const env = ensurePnpm();
if (installWorkspace(env) !== 0) process.exit(1);
console.log('> building the packages');
if (run('pnpm', ['turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only'], env) !== 0) {
  process.exit(1);
}
process.exit(run('pnpm', ['--filter', 'express-api', 'run', 'demo'], env));
