import { defineConfig, type Options } from 'tsup';

// The library: the command functions, for programmatic use.
const library: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'node',
  treeshake: true,
};

// The bin: ESM only, with its #!/usr/bin/env node line (tsup makes it executable).
const bin: Options = {
  entry: ['src/cli.ts'],
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: false,
  target: 'es2022',
  platform: 'node',
};

// ENTRA_CLI_BUILD=bin rebuilds the bin alone (the tests' global setup: well under a second).
export default defineConfig(process.env.ENTRA_CLI_BUILD === 'bin' ? [bin] : [library, bin]);
