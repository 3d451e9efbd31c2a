/**
 * Before the matrix: build the packages the programs import (`@org/entra-core`, `@org/entra-fetch`,
 * and what they depend on) so they load their dist like an installed package. A turbo cache hit
 * after the test command's build step. A failure is handed to the tests, which then fail with it.
 */
import { spawnSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    buildError: string | undefined;
  }
}

export default function setup(project: TestProject): void {
  const r = spawnSync(
    'pnpm',
    ['turbo', 'run', 'build', '--filter=@org/entra-runtimes^...', '--output-logs=errors-only'],
    {
      cwd: new URL('../../..', import.meta.url),
      encoding: 'utf8',
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  project.provide(
    'buildError',
    r.status === 0
      ? undefined
      : `pnpm turbo run build failed:\n${`${r.stdout ?? ''}${r.stderr ?? ''}${r.error ?? ''}`.slice(-4000)}`,
  );
}
