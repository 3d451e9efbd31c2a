/**
 * Cold start: from spawning a fresh `node` process to its first verified token, against the
 * loopback issuer (discovery and key set fetched on the way), ours vs aws-jwt-verify. A bare
 * `node` start is measured the same way, to show what any library adds. Samples alternate between
 * the contenders; the summary is the median of `samples` per contender.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { envNumber, isMain, runMain, writeJson } from './lib/cli.js';
import { type BenchContext, readContext } from './lib/kit.js';

export const COLD_CONTENDERS = ['node', 'ours', 'aws'] as const;
export type ColdContender = (typeof COLD_CONTENDERS)[number];

export interface ColdSample {
  /** Spawn to the child's report, measured by the parent. */
  readonly wallMs: number;
  /** The child's own `performance.now()` at its report (from its time origin). */
  readonly sinceOriginMs: number;
  /** The child's `performance.now()` once the library was imported. */
  readonly importedMs: number;
}

export interface ColdStartResult {
  readonly samples: number;
  readonly contenders: Record<ColdContender, ColdSample[]>;
}

function once(which: ColdContender, env: string): Promise<ColdSample> {
  const entry = fileURLToPath(new URL('./coldstart-child.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [entry, which], {
      env: { ...process.env, BENCH_COLD: env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let wallMs = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      if (wallMs === 0) wallMs = performance.now() - t0;
      out += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`cold start of ${which} exited with ${code}`));
        return;
      }
      const report = JSON.parse(out) as { totalMs: number; importedMs: number };
      resolve({ wallMs, sinceOriginMs: report.totalMs, importedMs: report.importedMs });
    });
  });
}

export async function runColdStart(ctx: BenchContext, samples: number): Promise<ColdStartResult> {
  const contenders: Record<ColdContender, ColdSample[]> = { node: [], ours: [], aws: [] };
  // One unmeasured start of each first: the OS file cache, not the library, would be measured otherwise.
  for (let i = -1; i < samples; i++) {
    const order = i % 2 === 0 ? COLD_CONTENDERS : [...COLD_CONTENDERS].reverse();
    for (const which of order) {
      const token = ctx.tokens.valid[
        (i + 1) * COLD_CONTENDERS.length + COLD_CONTENDERS.indexOf(which)
      ] as string;
      const sample = await once(which, JSON.stringify({ kit: ctx.kit, token }));
      if (i >= 0) contenders[which].push(sample);
    }
  }
  return { samples, contenders };
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const [contextPath, outPath] = process.argv.slice(2);
    if (contextPath === undefined || outPath === undefined)
      throw new Error('usage: coldstart.js <context.json> <out.json>');
    writeJson(outPath, await runColdStart(readContext(contextPath), envNumber('BENCH_COLD_SAMPLES', 15)));
  });
}
