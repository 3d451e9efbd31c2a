/**
 * The suites (programs/suites/*.mjs) and how each runtime runs one. A suite is found by its file:
 * adding programs/suites/hono.mjs (with programs/entries/hono.mjs and programs/workers/hono.mjs)
 * puts it on every runtime of the matrix without touching the tests.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from './runtimes.js';
import { runtimesDir } from './runtimes.js';

/** `core`, `fetch`, ...: every file in programs/suites, sorted. */
export const SUITES: readonly string[] = readdirSync(join(runtimesDir, 'programs', 'suites'))
  .filter((file) => file.endsWith('.mjs'))
  .map((file) => file.slice(0, -'.mjs'.length))
  .sort();

/**
 * The command line that runs a suite on a runtime. Deno gets the narrowest permissions that work:
 * network access to the issuer's address and port only, nothing else (no read, env or run
 * permission, no remote modules, no lockfile written).
 */
export function programArgs(runtime: Runtime, suite: string, issuerPort: number): string[] {
  const entry = join(runtimesDir, 'programs', 'entries', `${suite}.mjs`);
  switch (runtime.kind) {
    case 'node':
      return [entry];
    case 'bun':
      // --no-install: never fetch a missing package at run time.
      return ['run', '--no-install', entry];
    case 'deno':
      return ['run', '--no-prompt', '--no-lock', '--no-remote', `--allow-net=127.0.0.1:${issuerPort}`, entry];
  }
}
