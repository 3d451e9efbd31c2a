import { defineConfig } from 'tsup';

export default defineConfig({
  // The user API, `@org/entra-core/adapter` and the key stores (`@org/entra-core/stores/*`); splitting (for CommonJS too) puts the modules they
  // share in one chunk, so an app that loads both has one copy of the validator. The runtime-specific
  // module is built on its own and imported as `#runtime`: package.json's `imports` picks node.js or
  // web.js by condition, at the user's install, not at run time.
  entry: {
    index: 'src/index.ts',
    adapter: 'src/adapter.ts',
    'stores/redis': 'src/stores/redis.ts',
    'stores/kv': 'src/stores/kv.ts',
    'runtime/node': 'src/runtime/node.ts',
    'runtime/web': 'src/runtime/web.ts',
  },
  external: ['#runtime'],
  format: ['esm', 'cjs'],
  splitting: true,
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
});
