/**
 * How numbers are written on the page (µs, ms, ×, %, req/s, MB) and the Markdown table, plus the
 * one statistic every section uses: a ratio taken within each round, then summarised.
 */
import { type Summary, summarize } from '../lib/stats.js';

/** a[i] / b[i] over the rounds. */
export function paired(a: readonly number[], b: readonly number[]): Summary {
  const n = Math.min(a.length, b.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) ratios.push((a[i] as number) / (b[i] as number));
  return summarize(ratios);
}

export function fixed(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}

export function us(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return x >= 100 ? `${x.toFixed(0)} µs` : x >= 10 ? `${x.toFixed(1)} µs` : `${x.toFixed(2)} µs`;
}

export function times(x: number): string {
  return `${fixed(x, x < 0.1 ? 3 : 2)}×`;
}

export function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(0)} %` : '–';
}

export function iqr(s: Summary, format: (x: number) => string): string {
  return `${format(s.q1)}–${format(s.q3)}`;
}

export function kreq(x: number): string {
  return Number.isFinite(x) ? (x >= 10_000 ? `${(x / 1000).toFixed(1)}k` : `${(x / 1000).toFixed(2)}k`) : '–';
}

export function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

export function ms(x: number): string {
  return Number.isFinite(x)
    ? x >= 1000
      ? `${(x / 1000).toFixed(1)} s`
      : `${x.toFixed(x < 10 ? 1 : 0)} ms`
    : '–';
}

export function escapeMd(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function table(head: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const sep = head.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  return [head, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}
