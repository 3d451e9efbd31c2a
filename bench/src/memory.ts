/**
 * Memory: does the heap of one validator stay bounded by its cache limits however many distinct
 * tokens go through it?
 *
 * Method. A million RSA signatures take 15 minutes or more to mint here, so a pool of P distinct
 * valid tokens (P larger than the verified-token cache) is cycled in order: the cache keeps a token
 * from its first verification and evicts the least recently used, so every token is inserted and,
 * the cache being full, evicts another: the most the cache can hold, whatever the traffic. Each
 * token reaches the validator as a fresh string copied from a Buffer, as an HTTP parser hands it
 * over, so the cache holds its own copies and the heap counts them. The heap is read after a full GC (`--expose-gc`) at regular
 * intervals.
 *
 * Then the same with a smaller cache and with no cache, which gives the cost of one cache entry;
 * and a flood of distinct forged tokens (unknown kids, no valid signature), which must leave
 * nothing behind.
 */
import { createEntraValidator } from '@org/entra-core';
import { envNumber, isMain, log, runMain, writeJson } from './lib/cli.js';
import { type BenchContext, CORE_TOKEN_CACHE_MAX, readContext, validatorOptions } from './lib/kit.js';
import { median } from './lib/stats.js';

export interface HeapSample {
  readonly verifications: number;
  /** Heap used after GC, minus the heap before the validator existed, bytes. */
  readonly heapBytes: number;
}

export interface MemoryPhase {
  readonly id: string;
  readonly cacheMax: number | false;
  readonly verifications: number;
  readonly distinct: number;
  readonly usPerVerification: number;
  readonly samples: HeapSample[];
  /** Median heap over the second half of the samples. */
  readonly plateauBytes: number;
  readonly finalBytes: number;
  readonly rejected: number;
}

export interface MemoryResult {
  readonly gcExposed: boolean;
  readonly pool: number;
  readonly phases: MemoryPhase[];
  /** (plateau with the default cache - plateau without a cache) / entries. */
  readonly bytesPerEntry: number;
  readonly defaultCacheMax: number;
}

export interface MemoryOptions {
  /** Verifications through the default-cache validator (the "a million"). */
  verifications: number;
  /** Verifications in the smaller-cache and no-cache phases. */
  shortVerifications: number;
  /** Distinct forged tokens. */
  forged: number;
  samples: number;
}

export const DEFAULT_MEMORY: MemoryOptions = {
  verifications: 1_000_000,
  shortVerifications: 60_000,
  forged: 100_000,
  samples: 20,
};

const gc = (globalThis as { gc?: () => void }).gc;

function heapAfterGc(): number {
  if (gc !== undefined) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

async function phase(
  id: string,
  ctx: BenchContext,
  inputs: readonly Buffer[],
  cacheMax: number | false,
  verifications: number,
  sampleCount: number,
): Promise<MemoryPhase> {
  // The default-cache phase passes no tokenCache option at all: the default is what is measured.
  const validator = createEntraValidator(
    validatorOptions(
      ctx.kit,
      cacheMax === false
        ? { tokenCache: false }
        : cacheMax === CORE_TOKEN_CACHE_MAX
          ? {}
          : { tokenCache: { max: cacheMax } },
    ),
  );
  await validator.warmUp();
  // The baseline is taken once the validator exists and holds its keys (and `fetch` is loaded):
  // what grows from here is what verifications leave behind.
  const base = heapAfterGc();
  const every = Math.max(1, Math.floor(verifications / sampleCount));
  const samples: HeapSample[] = [{ verifications: 0, heapBytes: heapAfterGc() - base }];
  let rejected = 0;
  let spent = 0;
  for (let done = 0; done < verifications; ) {
    const end = Math.min(verifications, done + every);
    const t0 = performance.now();
    for (let i = done; i < end; i++) {
      // A fresh flat string per call, as an HTTP parser makes one per request.
      const token = (inputs[i % inputs.length] as Buffer).toString('latin1');
      try {
        await validator.verify(token);
      } catch {
        rejected++;
      }
      // Let timers and sockets run now and then, as a server's event loop does: a loop of resolved
      // promises alone would starve them (and leave dead keep-alive sockets in fetch's pool).
      if ((i & 1023) === 1023) await new Promise((resolve) => setImmediate(resolve));
    }
    spent += performance.now() - t0;
    done = end;
    samples.push({ verifications: done, heapBytes: heapAfterGc() - base });
  }
  const finalBytes = heapAfterGc() - base;
  validator.close();
  const secondHalf = samples.slice(Math.ceil(samples.length / 2)).map((s) => s.heapBytes);
  return {
    id,
    cacheMax,
    verifications,
    distinct: inputs.length,
    usPerVerification: (spent * 1000) / verifications,
    samples,
    plateauBytes: median(secondHalf),
    finalBytes,
    rejected,
  };
}

/** Distinct forged tokens: a fresh random kid in each header, over a real payload and signature. */
function forgedTokens(template: string, count: number): Buffer[] {
  const [, payload, signature] = template.split('.');
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const header = Buffer.from(
      JSON.stringify({
        typ: 'JWT',
        alg: 'RS256',
        kid: `forged-${i.toString(36)}-${Math.random().toString(36).slice(2)}`,
      }),
    ).toString('base64url');
    out.push(Buffer.from(`${header}.${payload}.${signature}`, 'latin1'));
  }
  return out;
}

export async function runMemory(
  ctx: BenchContext,
  options: MemoryOptions = DEFAULT_MEMORY,
): Promise<MemoryResult> {
  const pool = ctx.tokens.valid.map((t) => Buffer.from(t, 'latin1'));
  const phases: MemoryPhase[] = [];
  log(`memory: ${options.verifications} verifications over ${pool.length} distinct tokens, default cache`);
  phases.push(
    await phase('default-cache', ctx, pool, CORE_TOKEN_CACHE_MAX, options.verifications, options.samples),
  );
  const smaller = Math.max(1, Math.floor(CORE_TOKEN_CACHE_MAX / 5));
  phases.push(await phase('cache-1000', ctx, pool, smaller, options.shortVerifications, 10));
  phases.push(await phase('no-cache', ctx, pool, false, options.shortVerifications, 10));
  log(`memory: ${options.forged} distinct forged tokens`);
  phases.push(
    await phase(
      'forged',
      ctx,
      forgedTokens(ctx.tokens.valid[0] as string, options.forged),
      CORE_TOKEN_CACHE_MAX,
      options.forged,
      10,
    ),
  );
  const withCache = phases[0] as MemoryPhase;
  const without = phases[2] as MemoryPhase;
  const entries = Math.min(CORE_TOKEN_CACHE_MAX, pool.length);
  return {
    gcExposed: gc !== undefined,
    pool: pool.length,
    phases,
    bytesPerEntry: (withCache.plateauBytes - without.plateauBytes) / entries,
    defaultCacheMax: CORE_TOKEN_CACHE_MAX,
  };
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const [contextPath, outPath] = process.argv.slice(2);
    if (contextPath === undefined || outPath === undefined)
      throw new Error('usage: node --expose-gc memory.js <context.json> <out.json>');
    const options: MemoryOptions = {
      ...DEFAULT_MEMORY,
      verifications: envNumber('BENCH_MEMORY_VERIFICATIONS', DEFAULT_MEMORY.verifications),
      shortVerifications: envNumber('BENCH_MEMORY_SHORT_VERIFICATIONS', DEFAULT_MEMORY.shortVerifications),
      forged: envNumber('BENCH_MEMORY_FORGED', DEFAULT_MEMORY.forged),
    };
    writeJson(outPath, await runMemory(readContext(contextPath), options));
  });
}
