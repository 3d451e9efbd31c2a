import { defineProject, mergeConfig } from 'vitest/config';
import { project } from '../../vitest.shared.ts';

// The programs import the built packages (dist), as a user's app would: the global setup builds them
// first (a turbo cache hit after `pnpm build`). Each test sets its own time limit: a bound for a
// hung child process, far above what the program needs.
export default mergeConfig(
  project('runtimes', { testTimeout: 120_000 }),
  defineProject({ test: { globalSetup: ['./test/global-setup.ts'] } }),
);
