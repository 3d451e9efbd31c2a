import { defineProject } from 'vitest/config';

// The core on the portable runtime: `#runtime` resolved to `src/runtime/web.ts`, as an edge bundler
// resolves it, through a condition only this project sets (the test runner always sets `node`).
// Its own `*.web-test.ts` files, and the main suites again.
const conditions = ['@org/web-runtime', '@org/source'];

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    name: 'core-web',
    root: import.meta.dirname,
    // The web-only checks, and the validator's own suite and the attack table again on this runtime.
    include: ['test/**/*.web-test.ts', 'test/validator.test.ts', 'test/attack/attack.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
    typecheck: { enabled: false },
  },
});
