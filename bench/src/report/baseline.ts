/**
 * What an earlier run measured over HTTP, kept in bench/baseline.json, so that a run can say whether
 * its HTTP rows are worse than before. Only shares of the same run's unauthenticated baseline are
 * kept: absolute requests per second depend on the machine, a share much less.
 *
 * `node dist/report.js --save-baseline` writes the file from the last results (do it from a full
 * run on a quiet machine, once the figures are the new reference).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchRoot } from '../lib/machine.js';
import { relativeSpread } from '../lib/stats.js';
import type { AllResults } from './types.js';
import { httpView } from './views.js';

/** The HTTP rows compared with the earlier run: ours with distinct tokens, and with reused ones. */
export const COMPARED_HTTP_ROWS = ['ours', 'ours-reused'] as const;

export interface BaselineShare {
  /** req/s as a share of the unauthenticated baseline of the same round (median over the rounds). */
  readonly share: number;
  /** The run-to-run spread of that figure: interquartile range over the median. */
  readonly spread: number;
}

export interface Baseline {
  /** Where the figures come from (a run, a commit). */
  readonly source: string;
  readonly measuredAt: string;
  /** Per framework, per compared row. */
  readonly http: Record<string, Partial<Record<(typeof COMPARED_HTTP_ROWS)[number], BaselineShare>>>;
}

export const baselinePath = join(benchRoot, 'baseline.json');

export function loadBaseline(path = baselinePath): Baseline | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Baseline) : undefined;
}

/** The shares of a run, in the form bench/baseline.json keeps them. */
export function baselineOf(all: AllResults, source: string): Baseline {
  const http: Baseline['http'] = {};
  for (const f of all.http?.frameworks ?? []) {
    const v = httpView(f);
    const rows: Baseline['http'][string] = {};
    for (const id of COMPARED_HTTP_ROWS) {
      const s = v.ratio(id, 'baseline');
      if (s !== undefined) rows[id] = { share: s.median, spread: relativeSpread(s) };
    }
    http[f.framework] = rows;
  }
  return { source, measuredAt: all.generatedAt, http };
}
