import { defineConfig } from 'tsup';

// Each source file becomes one ES module in dist/ (no bundling): child processes are started on
// their own entry files, and every dependency, our packages included, is imported by its name and
// resolves to its published build, as it would for a user.
export default defineConfig({
  entry: ['src/**/*.ts'],
  bundle: false,
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  clean: true,
  dts: false,
  sourcemap: false,
});
