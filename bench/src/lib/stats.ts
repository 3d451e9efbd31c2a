/**
 * Summaries of repeated measurements: the median, and the spread as the interquartile range (the
 * middle half of the runs), which one noisy run cannot move the way it moves a mean or a min/max.
 */

/** The median and the quartiles of a set of runs, plus the extremes and the count. */
export interface Summary {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/** The `p`-quantile (0..1) of sorted values, interpolated linearly between neighbours. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export function summarize(values: readonly number[]): Summary {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    n: sorted.length,
  };
}

export function median(values: readonly number[]): number {
  return summarize(values).median;
}

/** The spread of a summary as a fraction of its median: (q3 - q1) / median. */
export function relativeSpread(s: Summary): number {
  return s.median === 0 ? 0 : (s.q3 - s.q1) / s.median;
}

/** Rotates `items` left by `k`: the order of contenders changes every round, so none always goes first. */
export function rotate<T>(items: readonly T[], k: number): T[] {
  if (items.length === 0) return [];
  const s = ((k % items.length) + items.length) % items.length;
  return [...items.slice(s), ...items.slice(0, s)];
}
