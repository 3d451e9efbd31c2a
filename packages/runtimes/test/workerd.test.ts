// workerd, through Miniflare (which needs Node 22, so its driver runs on the Node 22 binary): each
// suite bundled with esbuild into a module Worker (no nodejs_compat), run inside workerd, reaching
// the issuer over workerd's own network stack.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedCaseLines, node22, runProgram, runtimesDir, SUITES } from '../src/index.js';
import { issuerForThisFile } from './support.js';

const issuer = issuerForThisFile();

describe('workerd (Miniflare)', () => {
  it.each(SUITES)(
    '%s: bundled without node: imports, runs on WebCrypto, same four answers',
    async (suite) => {
      const driver = join(runtimesDir, 'programs', 'workers', 'run-workerd.mjs');
      const lines = await runProgram(node22().bin, [driver, suite], issuer.cases.input, {
        timeoutMs: 120_000,
      });
      // A workspace package's built entry (a framework's own dist/index.js is under node_modules).
      const distOf = (pkg: string) =>
        expect.stringMatching(new RegExp(`^(?!.*node_modules)(.*/)?${pkg}/dist/index\\.js$`));
      expect(lines).toEqual([
        {
          suite,
          bundle: {
            bytes: expect.any(Number),
            imports: [],
            inputs: expect.arrayContaining(
              suite === 'core' ? [distOf('core')] : [distOf('core'), distOf(suite)],
            ),
          },
        },
        { suite, runtime: { name: 'workerd', userAgent: 'Cloudflare-Workers', hasProcess: false } },
        ...expectedCaseLines(suite, issuer.cases),
        { suite, done: true },
      ]);
    },
  );
});
