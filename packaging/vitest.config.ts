import { defineProject, mergeConfig } from 'vitest/config';
import { project } from '../vitest.shared.ts';

// The packed tarballs are made once, in the global setup, for every test file of this project. The
// slow steps (npm install of the tarballs, tsc, TypeDoc) set their own longer timeouts.
export default mergeConfig(
  project('packaging', { testTimeout: 60_000 }),
  defineProject({ test: { globalSetup: ['./test/global-setup.ts'] } }),
);
