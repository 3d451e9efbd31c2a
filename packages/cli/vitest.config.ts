import { defineProject, mergeConfig } from 'vitest/config';
import { project } from '../../vitest.shared.ts';

// The tests run the real binary: global-setup.ts builds dist/cli.js when it is missing or stale.
// Each spawns processes (explain also makes an RSA key): the timeout is a ceiling for a hung test
// on a loaded machine, not a speed requirement.
export default mergeConfig(
  project('cli', { testTimeout: 120_000 }),
  defineProject({ test: { globalSetup: ['./test/global-setup.ts'] } }),
);
