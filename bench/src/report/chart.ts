/**
 * docs/benchmarks.svg: the targets' tally, the micro-benchmarks' bars and the HTTP shares, drawn as
 * hand-written SVG (no chart library).
 */
import { summarize } from '../lib/stats.js';
import type { Baseline } from './baseline.js';
import { kreq, pct, times, us } from './format.js';
import { FLOOR_CEILING, targets } from './targets.js';
import type { AllResults } from './types.js';
import { httpView, METRIC, microView } from './views.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const COLORS = {
  ours: '#1565c0',
  floor: '#616161',
  peer: '#bdbdbd',
  target: '#c62828',
  text: '#212121',
  grid: '#eeeeee',
};

/** The summary chart; `before` as for {@link targets}. */
export function chart(all: AllResults, before?: Baseline): string {
  const width = 980;
  const parts: string[] = [];
  let y = 0;
  const title = (text: string, sub: string) => {
    parts.push(
      `<text x="20" y="${y + 24}" font-size="17" font-weight="bold" fill="${COLORS.text}">${esc(text)}</text>`,
    );
    parts.push(`<text x="20" y="${y + 44}" font-size="12" fill="#555">${esc(sub)}</text>`);
    y += 58;
  };
  const rowsOfTargets = targets(all, before);
  const met = rowsOfTargets.filter((t) => t.verdict.met === true).length;
  const missed = rowsOfTargets.filter((t) => t.verdict.met === false).map((t) => t.target);
  const unmeasured = rowsOfTargets.filter((t) => t.verdict.met === undefined).length;
  const tally = `${met} of ${rowsOfTargets.length} met${unmeasured > 0 ? `, ${unmeasured} not measured` : ''}`;
  parts.push(
    `<text x="20" y="28" font-size="20" font-weight="bold" fill="${missed.length === 0 ? '#2e7d32' : COLORS.target}">${esc(
      `Targets: ${tally}`,
    )}</text>`,
  );
  y = 40;
  for (const text of missed.slice(0, 8)) {
    parts.push(
      `<text x="20" y="${y + 14}" font-size="12" fill="${COLORS.target}">${esc(`not met: ${text}`)}</text>`,
    );
    y += 17;
  }
  y += 10;
  const labelW = 300;
  const plotX = 20 + labelW;
  const plotW = width - plotX - 130;

  if (all.micro) {
    const m = microView(all.micro);
    const bars: { id: string; label: string; kind: 'ours' | 'floor' | 'peer' }[] = [
      { id: 'floor', label: 'floor: node:crypto.verify + checks', kind: 'floor' },
      { id: 'ours', label: 'ours (node:crypto)', kind: 'ours' },
      { id: 'ours-telemetry', label: 'ours + entraTelemetry()', kind: 'ours' },
      { id: 'ours-cache-hit', label: 'ours, cache hit', kind: 'ours' },
      { id: 'ours-malformed', label: 'ours, malformed input refused', kind: 'ours' },
      { id: 'aws-jwt-verify', label: 'aws-jwt-verify', kind: 'peer' },
      { id: 'ours-webcrypto', label: 'ours on WebCrypto (edge runtimes)', kind: 'ours' },
      { id: 'jose-keyobject', label: 'jose jwtVerify (KeyObject)', kind: 'peer' },
      { id: 'jose-local', label: 'jose jwtVerify (local JWKS)', kind: 'peer' },
      { id: 'oauth2-jwt-bearer', label: 'express-oauth2-jwt-bearer', kind: 'peer' },
      { id: 'jsonwebtoken-jwks-rsa', label: 'jsonwebtoken + jwks-rsa', kind: 'peer' },
    ];
    const present = bars.filter((b) => m.get(b.id) !== undefined);
    const values = present.map((b) => ({
      ...b,
      s: summarize(m.get(b.id)?.[METRIC] ?? []),
      r: m.ratio(b.id, 'floor'),
    }));
    // The scale follows the medians; whiskers longer than the plot are cut at its edge.
    const max = Math.max(...values.map((v) => v.s.median), 1) * 1.12;
    title(
      'CPU per warm verification (µs, median and IQR; distinct RS256 Entra tokens)',
      `Shorter is better. Ratio to the floor at the end of each bar; dashed line: the ${FLOOR_CEILING.toFixed(2)} × floor target.`,
    );
    const floorS = values.find((v) => v.id === 'floor')?.s.median;
    const barH = 20;
    const top = y;
    for (const v of values) {
      const w = (v.s.median / max) * plotW;
      parts.push(
        `<text x="${plotX - 8}" y="${y + 15}" font-size="13" text-anchor="end" fill="${COLORS.text}"${v.kind === 'ours' ? ' font-weight="bold"' : ''}>${esc(v.label)}</text>`,
      );
      parts.push(
        `<rect x="${plotX}" y="${y + 2}" width="${Math.max(w, 1).toFixed(1)}" height="${barH - 4}" fill="${COLORS[v.kind]}" rx="2"/>`,
      );
      const x1 = plotX + (Math.min(v.s.q1, max) / max) * plotW;
      const x3 = plotX + (Math.min(v.s.q3, max) / max) * plotW;
      parts.push(
        `<line x1="${x1.toFixed(1)}" x2="${x3.toFixed(1)}" y1="${y + barH / 2}" y2="${y + barH / 2}" stroke="#000" stroke-width="1.2"/>`,
      );
      parts.push(
        `<text x="${(Math.max(plotX + w, x3) + 6).toFixed(1)}" y="${y + 15}" font-size="12" fill="${COLORS.text}">${esc(
          `${us(v.s.median)}  ${v.r ? times(v.r.median) : ''}`,
        )}</text>`,
      );
      y += barH + 4;
    }
    if (floorS !== undefined) {
      const tx = plotX + ((floorS * FLOOR_CEILING) / max) * plotW;
      parts.push(
        `<line x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="${top - 4}" y2="${y}" stroke="${COLORS.target}" stroke-dasharray="4 3" stroke-width="1.5"/>`,
      );
      parts.push(
        `<text x="${(tx + 4).toFixed(1)}" y="${y + 10}" font-size="11" fill="${COLORS.target}">${FLOOR_CEILING.toFixed(2)} × floor</text>`,
      );
    }
    y += 22;
  }

  if (all.http) {
    const frameworks = all.http.frameworks;
    title(
      'HTTP throughput as % of the unauthenticated baseline (median of the rounds)',
      'Longer is better. Distinct token per request, except "ours, 100 reused tokens". Dashed: 95 % of the floor (our target).',
    );
    const series: { id: string; label: string; kind: 'ours' | 'floor' | 'peer' }[] = [
      { id: 'floor', label: 'floor', kind: 'floor' },
      { id: 'ours', label: 'ours', kind: 'ours' },
      { id: 'ours-reused', label: 'ours, 100 reused tokens', kind: 'ours' },
      { id: 'aws', label: 'aws-jwt-verify', kind: 'peer' },
      { id: 'popular', label: 'popular middleware', kind: 'peer' },
      { id: 'oauth2-bearer', label: 'express-oauth2-jwt-bearer', kind: 'peer' },
    ];
    const barH = 15;
    for (const f of frameworks) {
      const v = httpView(f);
      const base = v.rps('baseline');
      parts.push(
        `<text x="20" y="${y + 14}" font-size="13" font-weight="bold" fill="${COLORS.text}">${esc(`${f.label} (baseline ${kreq(base?.median ?? Number.NaN)} req/s)`)}</text>`,
      );
      y += 20;
      const groupTop = y;
      for (const s of series) {
        const c = v.get(s.id);
        if (c === undefined) continue;
        const r = v.ratio(s.id, 'baseline');
        if (r === undefined) continue;
        const share = Math.min(r.median, 1.3);
        const w = (share / 1.3) * plotW;
        const label = s.id === 'popular' ? `${f.popularLabel}` : s.label;
        parts.push(
          `<text x="${plotX - 8}" y="${y + 12}" font-size="12" text-anchor="end" fill="${COLORS.text}"${s.kind === 'ours' ? ' font-weight="bold"' : ''}>${esc(label)}</text>`,
        );
        parts.push(
          `<rect x="${plotX}" y="${y + 1}" width="${Math.max(w, 1).toFixed(1)}" height="${barH - 2}" fill="${s.id === 'ours-reused' ? '#64b5f6' : COLORS[s.kind]}" rx="2"/>`,
        );
        const rps = v.rps(s.id);
        parts.push(
          `<text x="${(plotX + w + 6).toFixed(1)}" y="${y + 12}" font-size="11" fill="${COLORS.text}">${esc(`${pct(r.median)}  ${kreq(rps?.median ?? Number.NaN)}/s`)}</text>`,
        );
        y += barH + 2;
      }
      const floorShare = v.ratio('floor', 'baseline');
      if (floorShare !== undefined) {
        const tx = plotX + (Math.min(floorShare.median * 0.95, 1.3) / 1.3) * plotW;
        parts.push(
          `<line x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="${groupTop - 2}" y2="${y}" stroke="${COLORS.target}" stroke-dasharray="4 3" stroke-width="1.5"/>`,
        );
      }
      const x100 = plotX + plotW / 1.3;
      parts.push(
        `<line x1="${x100.toFixed(1)}" x2="${x100.toFixed(1)}" y1="${groupTop - 2}" y2="${y}" stroke="#9e9e9e" stroke-width="1"/>`,
      );
      parts.push(
        `<text x="${(x100 + 4).toFixed(1)}" y="${groupTop - 6}" font-size="10" fill="#757575">baseline</text>`,
      );
      y += 10;
    }
  }
  const legendY = y + 8;
  const legend = [
    ['ours', COLORS.ours],
    ['floor', COLORS.floor],
    ['peers', COLORS.peer],
    ['target', COLORS.target],
  ];
  legend.forEach(([name, color], i) => {
    const x = 20 + i * 110;
    parts.push(`<rect x="${x}" y="${legendY}" width="14" height="14" fill="${color}"/>`);
    parts.push(`<text x="${x + 20}" y="${legendY + 12}" font-size="12" fill="${COLORS.text}">${name}</text>`);
  });
  parts.push(
    `<text x="${width - 20}" y="${legendY + 12}" font-size="11" text-anchor="end" fill="#777">${esc(
      `${all.machine.cpuModel}, ${all.machine.cores} cores, Node ${all.machine.node}, ${all.generatedAt.slice(0, 16).replace('T', ' ')} UTC`,
    )}</text>`,
  );
  const height = legendY + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${esc(`Benchmarks of @org/entra-*: targets ${tally}`)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
