/**
 * Micro-benchmarks: the cost of one warm verification, per contender, on the same tokens.
 *
 * Method. Every case runs in batches of a fixed number of calls (calibrated once so a batch lasts
 * about `batchMs`), cycling through a pool of distinct tokens minted beforehand. A round runs one
 * batch of every case, in an order rotated each round; ratios are taken between cases of the same
 * round, then summarised over the rounds (median and interquartile range). Each batch records wall
 * time (`process.hrtime`) and the process's CPU time (`process.cpuUsage`, every thread: WebCrypto
 * runs on libuv's pool), so a busy machine shows up as wall > CPU.
 *
 * A hand-rolled loop rather than mitata or tinybench: those time one contender at a time, whereas
 * ratios "from the same run" need the contenders interleaved, and sync and async verifiers need the
 * same loop (await only when a promise comes back).
 */
import type { EntraValidator } from '@org/entra-core';
import { envNumber, isMain, log, runMain, writeJson } from './lib/cli.js';
import { EDGE_CONDITIONS, loadEdgeCore } from './lib/edge-core.js';
import { type BenchContext, flatString, malformedTokens, readContext } from './lib/kit.js';
import {
  type Contender,
  type ContenderId,
  countSubtleVerifies,
  createContender,
  fetchJwks,
  type PeerSetup,
  settle,
} from './lib/peers.js';
import { rotate } from './lib/stats.js';
import { benchTelemetry } from './lib/telemetry.js';

export type MicroGroup = 'accept' | 'cache' | 'reject' | 'malformed';

/** What a case is: its id and label, its group, the contender it runs, what it should do. */
interface MicroCaseInfo {
  readonly id: string;
  readonly label: string;
  readonly group: MicroGroup;
  readonly contender: string;
  readonly expect: 'accept' | 'reject';
}

interface MicroCase extends MicroCaseInfo {
  readonly inputs: readonly string[];
  readonly call: (input: string) => unknown;
}

/** Per-case raw results: one entry per round, aligned across cases. */
export interface MicroCaseResult extends MicroCaseInfo {
  readonly callsPerBatch: number;
  /** Wall time per call, µs, one value per round. */
  readonly wallUs: number[];
  /** CPU time per call (user + system, all threads), µs, one value per round. */
  readonly cpuUs: number[];
  /** Calls whose outcome was not the expected one (must be 0). */
  unexpected: number;
}

/** What a contender does with the tokens that test its checks. */
export interface ContenderChecks {
  readonly acceptsValid: boolean;
  readonly rejectsBadSignature: boolean;
  readonly rejectsWrongAudience: boolean;
  readonly rejectsExpired: boolean;
  readonly rejectsMalformed: boolean;
}

export interface MicroResult {
  readonly rounds: number;
  readonly batchMs: number;
  readonly pools: Record<string, number>;
  readonly tokenBytes: { min: number; max: number };
  readonly cases: MicroCaseResult[];
  readonly checks: Record<string, ContenderChecks>;
  /** `crypto.subtle.verify` calls seen per verification: 0 on the native path, 1 on WebCrypto. */
  readonly subtleCalls: Record<string, number>;
  /** The conditions the edge bundle of the core (`ours-webcrypto`) was resolved with. */
  readonly edgeConditions?: readonly string[];
  /**
   * What the `-telemetry` contenders' SDK meter provider held at the end: accepted verifications
   * counted and durations recorded (proof that the listener did its work on every call).
   */
  readonly telemetry?: { accepted: number; durations: number };
  readonly notes: string[];
}

export interface MicroOptions {
  rounds: number;
  batchMs: number;
  warmupMs: number;
}

export const DEFAULT_MICRO: MicroOptions = { rounds: 15, batchMs: 120, warmupMs: 400 };

const ACCEPT_CONTENDERS: readonly ContenderId[] = [
  'floor',
  'ours',
  'ours-webcrypto',
  'ours-cache-miss',
  'ours-telemetry',
  'aws-jwt-verify',
  'jose-keyobject',
  'jose-local',
  'oauth2-jwt-bearer',
  'jsonwebtoken-jwks-rsa',
];

/** Contenders that only serve cache hits (the same tokens again and again). */
const CACHE_CONTENDERS: readonly ContenderId[] = ['ours-cached', 'ours-cached-telemetry'];

/** One batch of `n` calls from input `start` on; returns wall and CPU time per call in µs. */
async function batch(
  c: MicroCase,
  n: number,
  start: number,
): Promise<{ wall: number; cpu: number; bad: number }> {
  const inputs = c.inputs;
  const len = inputs.length;
  const call = c.call;
  const wantAccept = c.expect === 'accept';
  let accepted = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    try {
      const result = call(inputs[(start + i) % len] as string);
      if (result instanceof Promise) await result;
      accepted++;
    } catch {
      // A refusal: counted by difference.
    }
  }
  const t1 = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpu0);
  return {
    wall: Number(t1 - t0) / 1000 / n,
    cpu: (cpu.user + cpu.system) / n,
    bad: wantAccept ? n - accepted : accepted,
  };
}

/** Runs `c` for about `ms` milliseconds; returns the mean µs per call (wall). */
async function runFor(c: MicroCase, ms: number): Promise<number> {
  let n = 16;
  let spent = 0;
  let calls = 0;
  // Half a pool away from where the measured batches start: a token verified in the warm-up would
  // still be in the verified-token cache when a measured batch met it moments later.
  let start = Math.floor(c.inputs.length / 2);
  while (spent < ms) {
    const t0 = performance.now();
    await batch(c, n, start);
    const took = performance.now() - t0;
    spent += took;
    calls += n;
    start += n;
    n = Math.min(n * 2, 4096);
  }
  return (spent * 1000) / calls;
}

async function checksOf(
  contender: Contender,
  ctx: BenchContext,
  malformed: string,
): Promise<ContenderChecks> {
  const t = ctx.tokens;
  return {
    acceptsValid: await settle(contender, t.valid[t.valid.length - 1] as string),
    rejectsBadSignature: !(await settle(contender, t.badSignature[0] as string)),
    rejectsWrongAudience: !(await settle(contender, t.wrongAudience[0] as string)),
    rejectsExpired: !(await settle(contender, t.expired[0] as string)),
    rejectsMalformed: !(await settle(contender, malformed)),
  };
}

export async function runMicro(
  ctx: BenchContext,
  options: MicroOptions = DEFAULT_MICRO,
): Promise<MicroResult> {
  const notes: string[] = [];
  const telemetry = benchTelemetry();
  const setup: PeerSetup = {
    kit: ctx.kit,
    jwks: await fetchJwks(ctx.kit),
    pool: ctx.tokens.valid.length,
    edgeCore: await loadEdgeCore(),
    onEvent: telemetry.onEvent,
  };
  const valid = ctx.tokens.valid;
  const malformed = malformedTokens(valid[0] as string, 1000);
  const contenders = new Map<string, Contender>();
  for (const id of [...ACCEPT_CONTENDERS, ...CACHE_CONTENDERS])
    contenders.set(id, createContender(id, setup));
  const contender = (id: ContenderId) => contenders.get(id) as Contender & { validator?: EntraValidator };

  // Every contender must do the job before its speed means anything.
  const checks: Record<string, ContenderChecks> = {};
  const subtleCalls: Record<string, number> = {};
  for (const [id, c] of contenders) {
    checks[id] = await checksOf(c, ctx, malformed[3] as string);
    subtleCalls[id] = await countSubtleVerifies(() => settle(c, valid[1] as string));
  }

  const cases: MicroCase[] = [];
  const add =
    (expect: MicroCase['expect']) =>
    (
      group: MicroGroup,
      id: string,
      label: string,
      of: ContenderId,
      inputs: readonly string[],
      call: MicroCase['call'],
    ) =>
      cases.push({ id, label, group, contender: of, expect, inputs, call });
  const accepts = add('accept');
  const refuses = add('reject');
  for (const id of ACCEPT_CONTENDERS) {
    const c = contender(id);
    accepts('accept', id, c.label, id, valid, (token) => c.verify(token));
  }
  // What an adapter calls: the Authorization header value, parsed by the core (cache off). Header
  // values are flat strings, as an HTTP parser makes them.
  const headers = valid.map((token) => flatString(`Bearer ${token}`));
  const ours = contender('ours').validator as EntraValidator;
  accepts('accept', 'ours-authenticate', '@org/entra-core via authenticate(header)', 'ours', headers, (h) =>
    ours.authenticate(h),
  );
  // Cache hits: the same 100 tokens again and again, through `authenticate` with the header value:
  // the token is a fresh slice of it on every call, so the cache pays for hashing the whole token
  // on every lookup, as it does behind a server. A token is cached on its first verification.
  const hot = valid.slice(0, 100);
  for (const [id, of, label] of [
    ['ours-cache-hit', 'ours-cached', '@org/entra-core, verified-token cache hit'],
    ['ours-cache-hit-telemetry', 'ours-cached-telemetry', '@org/entra-core + entraTelemetry(), cache hit'],
  ] as const) {
    const validator = contender(of).validator as EntraValidator;
    for (const token of hot) await validator.verify(token);
    accepts('cache', id, label, of, headers.slice(0, hot.length), (h) => validator.authenticate(h));
  }
  const rejections: [string, string, readonly string[], MicroGroup][] = [
    ['ours-expired', 'rejects an expired token', ctx.tokens.expired, 'reject'],
    ['ours-wrong-audience', 'rejects a token for another audience', ctx.tokens.wrongAudience, 'reject'],
    ['ours-bad-signature', 'rejects a bad signature', ctx.tokens.badSignature, 'reject'],
    ['ours-malformed', 'rejects malformed input', malformed, 'malformed'],
  ];
  for (const [id, label, inputs, group] of rejections) {
    refuses(group, id, `@org/entra-core ${label}`, 'ours', inputs, (token) => ours.verify(token));
  }
  const floor = contender('floor');
  refuses('malformed', 'floor-malformed', 'floor rejects malformed input', 'floor', malformed, (token) =>
    floor.verify(token),
  );

  // Warm every case (JIT, key caches), then size the batches from the warm speed.
  const sizes = new Map<string, number>();
  for (const c of cases) {
    await runFor(c, options.warmupMs / 2);
    const us = await runFor(c, options.warmupMs / 2);
    sizes.set(c.id, Math.max(8, Math.round((options.batchMs * 1000) / Math.max(us, 0.01))));
  }

  const results = new Map<string, MicroCaseResult>();
  for (const { inputs: _inputs, call: _call, ...info } of cases) {
    results.set(info.id, {
      ...info,
      callsPerBatch: sizes.get(info.id) as number,
      wallUs: [],
      cpuUs: [],
      unexpected: 0,
    });
  }
  const offsets = new Map<string, number>();
  for (let round = 0; round < options.rounds; round++) {
    for (const c of rotate(cases, round)) {
      const n = sizes.get(c.id) as number;
      const start = offsets.get(c.id) ?? 0;
      // A turn of the event loop between batches, as a server has: timers and sockets stay alive.
      await new Promise((resolve) => setImmediate(resolve));
      const r = await batch(c, n, start);
      offsets.set(c.id, start + n);
      const out = results.get(c.id) as MicroCaseResult;
      out.wallUs.push(r.wall);
      out.cpuUs.push(r.cpu);
      out.unexpected += r.bad;
    }
    log(`micro: round ${round + 1}/${options.rounds}`);
  }
  for (const c of contenders.values()) c.close?.();
  const recorded = await telemetry.totals();
  await telemetry.close();

  if (subtleCalls['ours-webcrypto'] !== 1) {
    notes.push(
      `The edge bundle of the core made ${subtleCalls['ours-webcrypto']} crypto.subtle.verify calls per verification, not 1: its numbers are not WebCrypto's.`,
    );
  }
  const lengths = valid.map((t) => t.length);
  return {
    rounds: options.rounds,
    batchMs: options.batchMs,
    pools: {
      valid: valid.length,
      cacheHit: hot.length,
      expired: ctx.tokens.expired.length,
      wrongAudience: ctx.tokens.wrongAudience.length,
      badSignature: ctx.tokens.badSignature.length,
      malformed: malformed.length,
    },
    tokenBytes: { min: Math.min(...lengths), max: Math.max(...lengths) },
    cases: [...results.values()],
    checks,
    subtleCalls,
    edgeConditions: EDGE_CONDITIONS,
    telemetry: recorded,
    notes,
  };
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const [contextPath, outPath] = process.argv.slice(2);
    if (contextPath === undefined || outPath === undefined)
      throw new Error('usage: micro.js <context.json> <out.json>');
    const options: MicroOptions = {
      rounds: envNumber('BENCH_MICRO_ROUNDS', DEFAULT_MICRO.rounds),
      batchMs: envNumber('BENCH_MICRO_BATCH_MS', DEFAULT_MICRO.batchMs),
      warmupMs: envNumber('BENCH_MICRO_WARMUP_MS', DEFAULT_MICRO.warmupMs),
    };
    writeJson(outPath, await runMicro(readContext(contextPath), options));
  });
}
