/**
 * Cold start: from spawning a fresh `node` process to its first verified token, against the
 * loopback issuer (discovery and key set fetched on the way), ours vs aws-jwt-verify. Measured the
 * same way: a bare `node` start, to show what any library adds; Node's `fetch` alone and `node:http`
 * alone getting one document, to show what loading fetch (undici, on its first call) costs once;
 * and, when the core has a `keyStore` option, ours with a file-backed store: once on an empty store
 * (it fetches, then writes), then in a second process on the store the first one filled.
 *
 * Samples alternate the order of the contenders; the summary is the median of `samples` each.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ColdInput, ColdReport } from './coldstart-child.js';
import { envNumber, isMain, runMain, writeJson } from './lib/cli.js';
import { type BenchContext, readContext, validatorOptions } from './lib/kit.js';

export const COLD_CONTENDERS = [
  'node',
  'fetch',
  'http',
  'ours',
  'aws',
  'ours-store-empty',
  'ours-store-warm',
] as const;
export type ColdContender = (typeof COLD_CONTENDERS)[number];

export interface ColdSample extends ColdReport {
  /** Spawn to the child's report, measured by the parent. */
  readonly wallMs: number;
  /** The child's own `performance.now()` at its report (from its time origin). */
  readonly sinceOriginMs: number;
}

export interface ColdStartResult {
  readonly samples: number;
  /** Whether the core took a `keyStore` option (the store rows are empty otherwise). */
  readonly keyStore: boolean;
  readonly contenders: Partial<Record<ColdContender, ColdSample[]>>;
}

function once(which: string, input: ColdInput): Promise<ColdSample> {
  const entry = fileURLToPath(new URL('./coldstart-child.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [entry, which], {
      env: { ...process.env, BENCH_COLD: JSON.stringify(input) },
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
      const { totalMs, ...report } = JSON.parse(out) as ColdReport & { totalMs: number };
      resolve({ wallMs, sinceOriginMs: totalMs, ...report });
    });
  });
}

/**
 * Whether the built core takes a `keyStore` option: a core without it refuses the unknown option
 * when the validator is created (which makes no request).
 */
export async function hasKeyStoreOption(ctx: BenchContext): Promise<boolean> {
  const { createEntraValidator, EntraConfigError } = await import('@org/entra-core');
  try {
    const options = validatorOptions(ctx.kit, {
      keyStore: { get: async () => undefined, set: async () => {} },
    });
    createEntraValidator(options).close();
    return true;
  } catch (error) {
    if (error instanceof EntraConfigError && error.message.includes('keyStore')) return false;
    throw error;
  }
}

/** One start of each contender, in `order`; the two store starts share a fresh folder, empty first. */
async function round(
  ctx: BenchContext,
  order: readonly ColdContender[],
  tokenAt: number,
): Promise<Partial<Record<ColdContender, ColdSample>>> {
  const out: Partial<Record<ColdContender, ColdSample>> = {};
  const storeDir = mkdtempSync(join(tmpdir(), 'entra-cold-store-'));
  try {
    for (const [i, which] of order.entries()) {
      const input: ColdInput = {
        kit: ctx.kit,
        token: ctx.tokens.valid[(tokenAt + i) % ctx.tokens.valid.length] as string,
        ...(which.startsWith('ours-store') ? { storeDir } : {}),
      };
      out[which] = await once(which.startsWith('ours') ? 'ours' : which, input);
    }
  } finally {
    rmSync(storeDir, { recursive: true, force: true });
  }
  return out;
}

export async function runColdStart(ctx: BenchContext, samples: number): Promise<ColdStartResult> {
  const keyStore = await hasKeyStoreOption(ctx);
  const single = COLD_CONTENDERS.filter((c) => !c.startsWith('ours-store'));
  const contenders: Partial<Record<ColdContender, ColdSample[]>> = {};
  // One unmeasured round first: the OS file cache, not the library, would be measured otherwise.
  for (let i = -1; i < samples; i++) {
    const forward = i % 2 === 0;
    const order: ColdContender[] = forward ? [...single] : [...single].reverse();
    // The store pair stays in its order (the warm start reads what the empty one wrote).
    if (keyStore) order.splice(forward ? order.length : 0, 0, 'ours-store-empty', 'ours-store-warm');
    const r = await round(ctx, order, (i + 1) * COLD_CONTENDERS.length);
    if (i < 0) continue;
    for (const [which, sample] of Object.entries(r) as [ColdContender, ColdSample][]) {
      contenders[which] = [...(contenders[which] ?? []), sample];
    }
  }
  return { samples, keyStore, contenders };
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const [contextPath, outPath] = process.argv.slice(2);
    if (contextPath === undefined || outPath === undefined)
      throw new Error('usage: coldstart.js <context.json> <out.json>');
    writeJson(outPath, await runColdStart(readContext(contextPath), envNumber('BENCH_COLD_SAMPLES', 15)));
  });
}
