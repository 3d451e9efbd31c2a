// Next.js (App Router): next-app built with `next build` and served by `next start` on 127.0.0.1;
// the four tokens sent over HTTP to a Node.js route handler, an edge route handler, a route behind
// the middleware (proxy.js) and a Hono app (@org/entra-hono) in an edge route handler.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPECTED, runProgram, runtimesDir } from '../src/index.js';
import { issuerForThisFile } from './support.js';

const issuer = issuerForThisFile();

const ROUTES = [
  { route: '/api/node', runtime: 'nodejs' },
  { route: '/api/edge', runtime: 'edge' },
  { route: '/api/behind-proxy', runtime: 'nodejs' },
  { route: '/api/hono/orders', runtime: 'edge' },
];

describe('Next.js', () => {
  it('next build, next start: node and edge route handlers, the middleware and Hono answer 200, 401 token_expired, 401 invalid_signature, 403 insufficient_scope', async () => {
    const driver = join(runtimesDir, 'programs', 'nextjs', 'run-next.mjs');
    const lines = await runProgram(process.execPath, [driver], issuer.cases.input, { timeoutMs: 300_000 });
    const answers = ROUTES.flatMap(({ route, runtime }) =>
      issuer.cases.input.cases.map(({ name }) => {
        const { status, code } = EXPECTED[name];
        return code === undefined
          ? { suite: 'nextjs', route, case: name, status, oid: issuer.cases.oid, runtime }
          : { suite: 'nextjs', route, case: name, status, code };
      }),
    );
    expect(lines).toEqual([{ suite: 'nextjs', started: true }, ...answers, { suite: 'nextjs', done: true }]);
  }, 300_000);
});
