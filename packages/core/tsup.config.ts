import { defineConfig } from 'tsup';

export default defineConfig({
  // The runtime-specific module is built on its own and imported as `#runtime`: package.json's
  // `imports` picks node.js or web.js by condition, at the user's install, not at run time.
  entry: {
    index: 'src/index.ts',
    'runtime/node': 'src/runtime/node.ts',
    'runtime/web': 'src/runtime/web.ts',
  },
  external: ['#runtime'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
});
