/**
 * Where the core's time goes, on its hot paths.
 *
 *   node dist/profile.js run [case...] [--seconds=N]   # writes results/profile/<case>.cpuprofile
 *   node dist/profile.js summarize <file.cpuprofile> [top]
 *
 * `run` starts a local issuer, mints tokens, warms each case up, then records a V8 CPU profile (the
 * profiler and file format of `node --cpu-prof`; open the file in Chrome DevTools) of the case
 * looping for a few seconds, so minting and start-up stay out of it. The summary lists the
 * functions with the most self time, and the core's functions by inclusive time, mapped back to
 * packages/core/src through the build's source map. `pnpm bench` runs the main cases and puts the
 * summary in docs/BENCHMARKS.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEntraValidator, type EntraValidator } from '@org/entra-core';
import { createMockEntra } from '@org/entra-testing';
import { isMain, log, runMain, writeJson } from './lib/cli.js';
import {
  type BenchContext,
  flatString,
  kitInfo,
  malformedTokens,
  mintTokenSets,
  validatorOptions,
} from './lib/kit.js';
import { benchRoot } from './lib/machine.js';
import { createContender, fetchJwks } from './lib/peers.js';

export const CASES = [
  'distinct',
  'distinct-default-cache',
  'cache-hit',
  'expired',
  'wrong-audience',
  'bad-signature',
  'malformed',
  'floor',
] as const;
export type ProfileCase = (typeof CASES)[number];

/** The cases `pnpm bench` profiles. */
export const BENCH_CASES: readonly ProfileCase[] = ['distinct', 'cache-hit', 'expired', 'malformed'];

export interface ProfileEntry {
  readonly where: string;
  readonly share: number;
}

export interface ProfileSummary {
  readonly case: ProfileCase;
  readonly usPerCall: number;
  readonly samples: number;
  readonly file: string;
  readonly self: ProfileEntry[];
  readonly inclusive: ProfileEntry[];
}

export interface ProfileResult {
  readonly seconds: number;
  readonly cases: ProfileSummary[];
}

async function loop(
  call: (input: string) => unknown,
  inputs: readonly string[],
  ms: number,
): Promise<number> {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) {
    // A turn of the event loop now and then, as a server has: timers and sockets stay alive.
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 256; i++, n++) {
      try {
        const r = call(inputs[n % inputs.length] as string);
        if (r instanceof Promise) await r;
      } catch {
        // refusals are what some cases measure
      }
    }
  }
  return n;
}

async function profileCase(ctx: BenchContext, which: ProfileCase, seconds: number): Promise<ProfileSummary> {
  const t = ctx.tokens;
  let validator: EntraValidator | undefined;
  let call: (input: string) => unknown;
  let inputs: readonly string[] = t.valid;
  if (which === 'floor') {
    call = createContender('floor', { kit: ctx.kit, jwks: await fetchJwks(ctx.kit) }).verify;
  } else {
    const cached = which === 'distinct-default-cache' || which === 'cache-hit';
    const v = createEntraValidator(validatorOptions(ctx.kit, cached ? {} : { tokenCache: false }));
    validator = v;
    await v.warmUp();
    call = (token) => v.verify(token);
    if (which === 'cache-hit') {
      // Header values as an HTTP parser hands them over: flat strings.
      inputs = t.reused.map((token) => flatString(`Bearer ${token}`));
      call = (header) => v.authenticate(header);
    } else if (which === 'expired') inputs = t.expired;
    else if (which === 'wrong-audience') inputs = t.wrongAudience;
    else if (which === 'bad-signature') inputs = t.badSignature;
    else if (which === 'malformed') inputs = malformedTokens(t.valid[0] as string, 1000);
  }
  await loop(call, inputs, Math.min(1000, seconds * 1000));
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const n = await loop(call, inputs, seconds * 1000);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  validator?.close();
  const dir = join(benchRoot, 'results', 'profile');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${which}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  const usPerCall = (seconds * 1e6) / n;
  log(`profile ${which}: ${n} calls in ${seconds} s, ${usPerCall.toFixed(2)} µs per call (wall)`);
  return { case: which, usPerCall, file, ...summarizeData(file, 12) };
}

export async function runProfiles(
  cases: readonly ProfileCase[],
  seconds: number,
  counts = { valid: 2000, rejected: 300 },
): Promise<ProfileResult> {
  const entra = await createMockEntra();
  try {
    const tokens = mintTokenSets(entra, counts);
    const ctx = { kit: kitInfo(entra), tokens };
    const out: ProfileSummary[] = [];
    for (const which of cases) out.push(await profileCase(ctx, which, seconds));
    return { seconds, cases: out };
  } finally {
    await entra.close();
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

const maps = new Map<string, SourceMap | null>();

function sourceMapFor(url: string): SourceMap | null {
  if (!maps.has(url)) {
    let map: SourceMap | null = null;
    try {
      if (url.startsWith('file:')) {
        map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')));
      }
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  return maps.get(url) ?? null;
}

/** `name (file:line)`, with built positions mapped to the TypeScript source where a map exists. */
function where(frame: ProfileNode['callFrame']): string {
  const name = frame.functionName || '(anonymous)';
  // No script: native code (`run` under a SignJob is OpenSSL's RSA verify) or V8's own entries.
  if (!frame.url) return name.startsWith('(') ? name : `${name} (native)`;
  const map = sourceMapFor(frame.url);
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as
    | { originalSource?: string; originalLine?: number }
    | undefined;
  const pkg = /\/packages\/([^/]+)\//.exec(frame.url)?.[1];
  if (entry?.originalSource !== undefined) {
    const source = entry.originalSource.replace(/^(\.\.\/)+/, '');
    const prefix = pkg !== undefined && source.startsWith('src/') ? `packages/${pkg}/` : '';
    return `${name} (${prefix}${source}:${(entry.originalLine ?? 0) + 1})`;
  }
  const short = frame.url
    .replace(/^.*\/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '')
    .replace(/^file:\/\/.*\/(packages|bench)\//, '$1/');
  return `${name} (${short}:${frame.lineNumber + 1})`;
}

export function summarizeData(
  path: string,
  top = 25,
): { samples: number; self: ProfileEntry[]; inclusive: ProfileEntry[] } {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as { nodes: ProfileNode[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const total = profile.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0) || 1;
  const self = new Map<string, number>();
  for (const n of profile.nodes) {
    const key = where(n.callFrame);
    self.set(key, (self.get(key) ?? 0) + (n.hitCount ?? 0));
  }
  // Inclusive time of the core's functions, each counted once per stack.
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (hits === 0) continue;
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parents.get(id)) {
      const node = byId.get(id) as ProfileNode;
      if (!node.callFrame.url.includes('/packages/core/')) continue;
      const key = where(node.callFrame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + hits);
    }
  }
  const ranked = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, h]) => ({ where: k, share: h / total }));
  return { samples: total, self: ranked(self), inclusive: ranked(inclusive) };
}

export function summarize(path: string, top = 25): string {
  const data = summarizeData(path, top);
  const pct = (share: number) => `${(100 * share).toFixed(1).padStart(5)} %`;
  const lines = [`${path}: ${data.samples} samples`, '', 'self time:'];
  for (const e of data.self) lines.push(`  ${pct(e.share)}  ${e.where}`);
  lines.push('', 'inclusive time, core functions:');
  for (const e of data.inclusive) lines.push(`  ${pct(e.share)}  ${e.where}`);
  return lines.join('\n');
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const args = process.argv.slice(2);
    const [command, ...rest] = args;
    if (command === 'summarize' && rest[0] !== undefined) {
      console.log(summarize(rest[0], rest[1] === undefined ? 25 : Number(rest[1])));
      return;
    }
    const seconds = Number(rest.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 4);
    const names = rest.filter((a) => !a.startsWith('--'));
    const unknown = names.filter((a) => !(CASES as readonly string[]).includes(a));
    if (command === 'run' && unknown.length === 0) {
      const result = await runProfiles(names.length > 0 ? (names as ProfileCase[]) : BENCH_CASES, seconds);
      for (const c of result.cases)
        console.log(`\n${c.case}: ${c.usPerCall.toFixed(2)} µs per call\n${summarize(c.file, 15)}`);
      return;
    }
    if (command === 'bench' && rest[0] !== undefined) {
      writeJson(rest[0], await runProfiles(BENCH_CASES, seconds));
      return;
    }
    throw new Error(
      `usage: profile.js run [${CASES.join('|')}...] [--seconds=N] | profile.js summarize <file.cpuprofile> [top]`,
    );
  });
}
