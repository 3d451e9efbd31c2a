import { defineConfig } from 'tsup';

// dist/index.js is the Functions entry point (package.json "main", what `func start` and Azure load);
// dist/server.js runs the same functions on a small local host. The workspace packages and
// @azure/functions stay external: imported by name from node_modules, as in a deployed app.
export default defineConfig({
  entry: ['src/index.ts', 'src/server.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
});
