// The root README's "Where it runs" table lists exactly what this matrix (and the adapters' own
// tests) prove: a runtime added here without a README row, or a README row without a test, fails.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { allRuntimes, runtimesDir } from '../src/index.js';

/** First cells of the table under "## Where it runs". */
function whereItRuns(): string[] {
  const readme = readFileSync(join(runtimesDir, '..', '..', 'README.md'), 'utf8');
  const section = readme.split('## Where it runs')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .slice(1)
    .map((line) => (line.split('|')[1] ?? '').trim());
}

it('the root README lists the runtimes of the matrix, Next.js and the frameworks, and nothing else', () => {
  const nodes = allRuntimes()
    .filter((runtime) => runtime.kind === 'node')
    .map((runtime) => runtime.major)
    .join(', ');
  expect(whereItRuns()).toEqual([
    `Node.js ${nodes}`,
    'Bun',
    'Deno',
    'Cloudflare Workers (workerd, through Miniflare)',
    'Next.js 16 (App Router)',
    'Express 4 and 5, Koa 2 and 3, Fastify 4 and 5',
    'Hono',
    'NestJS 10, 11 and 12',
    'Azure Functions (v4 programming model)',
  ]);
  const intro = readFileSync(join(runtimesDir, '..', '..', 'README.md'), 'utf8').split('\n\n')[1] ?? '';
  expect(intro.replace(/\s+/g, ' ')).toContain(
    'in an Express, Koa, Fastify, NestJS, Next.js, Hono or Azure Functions API, on Node.js 20, 22 or 24, Bun, Deno or Cloudflare Workers',
  );
});
