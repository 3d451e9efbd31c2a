import { defineConfig } from 'tsup';

// The workspace packages stay external: at run time they are imported by name from node_modules,
// as an app that installed them from the registry would.
export default defineConfig({
  entry: ['src/server.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
});
