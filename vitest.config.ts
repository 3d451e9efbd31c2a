import { defineConfig } from 'vitest/config';

// One run over the whole workspace: each package/example with a vitest.config.ts is a project.
export default defineConfig({
  test: {
    projects: ['packages/*', 'packages/core/vitest.web.config.ts', 'examples/*', 'bench', 'packaging'],
    coverage: {
      provider: 'v8',
      include: ['packages/core/src/**/*.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 95 },
    },
  },
});
