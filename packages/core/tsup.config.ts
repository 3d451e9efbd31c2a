import { defineConfig } from 'tsup';

export default defineConfig({
  // Two entries: the user API and `@org/entra-core/adapter`. Splitting (for CommonJS too) puts the
  // modules they share in one chunk, so an app that loads both has one copy of the validator code.
  entry: ['src/index.ts', 'src/adapter.ts'],
  format: ['esm', 'cjs'],
  splitting: true,
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
});
