/**
 * docs/BENCHMARKS.md and docs/benchmarks.svg, from the results of `pnpm bench`
 * (bench/results/latest.json). `node dist/report.js` rewrites them from the last results;
 * `node dist/report.js --save-baseline` makes those results the HTTP figures later runs are
 * compared with (bench/baseline.json).
 *
 * Every ratio is taken within a round (between measurements made moments apart) and then
 * summarised over the rounds: median, with the interquartile range as the spread.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMain, runMain, writeJson } from './lib/cli.js';
import { benchRoot } from './lib/machine.js';
import { baselineOf, baselinePath, loadBaseline } from './report/baseline.js';
import { chart } from './report/chart.js';
import { markdown } from './report/markdown.js';
import type { AllResults } from './report/types.js';

export { chart } from './report/chart.js';
export { markdown } from './report/markdown.js';
export { type AllResults, PHASES, type Phase, type PhaseInfo } from './report/types.js';

const docsDir = join(benchRoot, '..', 'docs');

export function writeReport(all: AllResults): string[] {
  const md = join(docsDir, 'BENCHMARKS.md');
  const svg = join(docsDir, 'benchmarks.svg');
  const before = loadBaseline();
  writeFileSync(md, markdown(all, before));
  writeFileSync(svg, chart(all, before));
  formatWithBiome(md);
  return [md, svg];
}

/** The repository formats Markdown with Biome (its tables aligned): the page is written in that form. */
function formatWithBiome(file: string): void {
  const root = join(benchRoot, '..');
  const biome = join(root, 'node_modules', '.bin', 'biome');
  if (!existsSync(biome)) return;
  const r = spawnSync(biome, ['format', '--write', file], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0)
    process.stderr.write(`[bench] biome could not format ${file}: ${r.stderr ?? r.error}\n`);
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const args = process.argv.slice(2);
    const save = args.includes('--save-baseline');
    const path = args.find((a) => !a.startsWith('--')) ?? join(benchRoot, 'results', 'latest.json');
    if (!existsSync(path)) throw new Error(`no results at ${path}: run pnpm bench first`);
    const all = JSON.parse(readFileSync(path, 'utf8')) as AllResults;
    if (save) {
      // The HTTP figures later runs are compared with (see report/baseline.ts).
      writeJson(
        baselinePath,
        baselineOf(all, `pnpm bench of ${all.generatedAt.slice(0, 16).replace('T', ' ')} UTC`),
      );
      console.log(`wrote ${baselinePath}`);
      return;
    }
    console.log(`wrote ${writeReport(all).join(', ')}`);
  });
}
