import { defineProject, mergeConfig } from 'vitest/config';
import { project } from '../../vitest.shared.ts';

// The tests run the real binary: global-setup.ts builds dist/cli.js when it is missing or stale.
export default mergeConfig(
  project('cli', { testTimeout: 20_000 }),
  defineProject({ test: { globalSetup: ['./test/global-setup.ts'] } }),
);
