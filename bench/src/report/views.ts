/**
 * Lookups over one phase's raw results that every part of the report shares: a micro case by id,
 * an HTTP configuration by id, and ratios between them taken within each round.
 */
import type { HttpConfigResult, HttpFrameworkResult } from '../http.js';
import { type Summary, summarize } from '../lib/stats.js';
import type { MicroCaseResult, MicroResult } from '../micro.js';
import { paired } from './format.js';

/** The micro-benchmarks' primary metric: CPU time per call. */
export const METRIC = 'cpuUs' as const;

export interface MicroView {
  readonly r: MicroResult;
  get(id: string): MicroCaseResult | undefined;
  /** Ratio a/b of the primary metric, paired by round. */
  ratio(a: string, b: string): Summary | undefined;
  /** (a - b) / of, of the primary metric, paired by round: what a adds to b, in units of `of`. */
  added(a: string, b: string, of: string): Summary | undefined;
}

export function microView(r: MicroResult): MicroView {
  const byId = new Map(r.cases.map((c) => [c.id, c]));
  return {
    r,
    get: (id) => byId.get(id),
    ratio(a, b) {
      const x = byId.get(a);
      const y = byId.get(b);
      return x && y ? paired(x[METRIC], y[METRIC]) : undefined;
    },
    added(a, b, of) {
      const x = byId.get(a)?.[METRIC];
      const y = byId.get(b)?.[METRIC];
      const z = byId.get(of)?.[METRIC];
      if (!x || !y || !z) return undefined;
      const n = Math.min(x.length, y.length, z.length);
      return summarize(
        Array.from({ length: n }, (_, i) => ((x[i] as number) - (y[i] as number)) / (z[i] as number)),
      );
    },
  };
}

export interface HttpFrameworkView {
  readonly f: HttpFrameworkResult;
  get(id: string): HttpConfigResult | undefined;
  rps(id: string): Summary | undefined;
  /** req/s of a over req/s of b, within rounds. */
  ratio(a: string, b: string): Summary | undefined;
  /** CPU per request of `id` minus the baseline's, within rounds. */
  addedCpu(id: string): Summary | undefined;
  peers(): HttpConfigResult[];
}

export function httpView(f: HttpFrameworkResult): HttpFrameworkView {
  const byId = new Map(f.configs.map((c) => [c.id, c]));
  const series = (id: string, pick: (r: HttpConfigResult['runs'][number]) => number) =>
    byId.get(id)?.runs.map(pick);
  return {
    f,
    get: (id) => byId.get(id),
    rps: (id) => {
      const s = series(id, (r) => r.reqPerSec);
      return s ? summarize(s) : undefined;
    },
    ratio(a, b) {
      const x = series(a, (r) => r.reqPerSec);
      const y = series(b, (r) => r.reqPerSec);
      return x && y ? paired(x, y) : undefined;
    },
    addedCpu(id) {
      const x = series(id, (r) => r.cpuUsPerReq);
      const base = series('baseline', (r) => r.cpuUsPerReq);
      if (!x || !base) return undefined;
      return summarize(x.map((v, i) => v - (base[i] as number)));
    },
    peers: () =>
      f.configs.filter(
        (c) => c.variant === 'aws' || c.variant === 'popular' || c.variant === 'oauth2-bearer',
      ),
  };
}
