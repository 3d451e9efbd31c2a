import { defineProject } from 'vitest/config';

/**
 * Shared project settings: resolve workspace packages to their TypeScript sources (the
 * `@org/source` export condition), so tests never need a prior build.
 */
export function project(name: string, extra: { testTimeout?: number; include?: string[] } = {}) {
  return defineProject({
    resolve: { conditions: ['@org/source'] },
    ssr: { resolve: { conditions: ['@org/source'] } },
    test: {
      name,
      include: extra.include ?? ['test/**/*.test.ts'],
      environment: 'node',
      testTimeout: extra.testTimeout ?? 15_000,
      typecheck: { enabled: false },
    },
  });
}
