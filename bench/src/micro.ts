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
import { envNumber, isMain, log, runMain, writeJson } from './lib/cli.js';
import { type BenchContext, flatString, malformedTokens, readContext } from './lib/kit.js';
import {
  type Contender,
  type ContenderId,
  countSubtleVerifies,
  createContender,
  fetchJwks,
  loadWebCryptoCore,
  type PeerSetup,
  settle,
} from './lib/peers.js';
import { rotate } from './lib/stats.js';

export type MicroGroup = 'accept' | 'cache' | 'reject' | 'malformed';

interface MicroCase {
  readonly id: string;
  readonly label: string;
  readonly group: MicroGroup;
  readonly contender: string;
  readonly expect: 'accept' | 'reject';
  readonly inputs: readonly string[];
  readonly call: (input: string) => unknown;
}

/** Per-case raw results: one entry per round, aligned across cases. */
export interface MicroCaseResult {
  readonly id: string;
  readonly label: string;
  readonly group: MicroGroup;
  readonly contender: string;
  readonly expect: 'accept' | 'reject';
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
  readonly notes: string[];
}

export interface MicroOptions {
  rounds: number;
  batchMs: number;
  warmupMs: number;
  /** Leave out the WebCrypto copy of the core (it needs `import.meta.resolve` of the built package). */
  webCrypto: boolean;
}

export const DEFAULT_MICRO: MicroOptions = { rounds: 15, batchMs: 120, warmupMs: 400, webCrypto: true };

const ACCEPT_CONTENDERS: readonly ContenderId[] = [
  'floor',
  'ours',
  'ours-webcrypto',
  'ours-cache-miss',
  'aws-jwt-verify',
  'jose-keyobject',
  'jose-local',
  'oauth2-jwt-bearer',
  'jsonwebtoken-jwks-rsa',
];

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
  // Half a pool away from where the measured batches start: a token seen in the warm-up and again
  // moments later would be admitted to the verified-token cache, which admits on a second sighting.
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
  const jwks = await fetchJwks(ctx.kit);
  const setup: PeerSetup = {
    kit: ctx.kit,
    jwks,
    pool: ctx.tokens.valid.length,
    webCore: options.webCrypto ? await loadWebCryptoCore() : undefined,
  };
  const valid = ctx.tokens.valid;
  const malformed = malformedTokens(valid[0] as string, 1000);
  const contenders = new Map<string, Contender>();
  for (const id of ACCEPT_CONTENDERS) {
    if (id === 'ours-webcrypto' && !options.webCrypto) continue;
    contenders.set(id, createContender(id, setup));
  }
  contenders.set('ours-cached', createContender('ours-cached', setup));

  // Every contender must do the job before its speed means anything.
  const checks: Record<string, ContenderChecks> = {};
  const subtleCalls: Record<string, number> = {};
  for (const [id, contender] of contenders) {
    checks[id] = await checksOf(contender, ctx, malformed[3] as string);
    subtleCalls[id] = await countSubtleVerifies(() => settle(contender, valid[1] as string));
  }

  const cases: MicroCase[] = [];
  for (const id of ACCEPT_CONTENDERS) {
    const contender = contenders.get(id);
    if (contender === undefined) continue;
    cases.push({
      id,
      label: contender.label,
      group: 'accept',
      contender: id,
      expect: 'accept',
      inputs: valid,
      call: (token) => contender.verify(token),
    });
  }
  // Cache hits: the same 100 tokens again and again, through `authenticate` with the header value
  // (a flat string, as an HTTP parser makes): the token is a fresh slice of it on every call, so the
  // cache pays for hashing the whole token on every lookup, as it does behind a server.
  const cached = contenders.get('ours-cached') as Contender & {
    validator: { authenticate(h: string): Promise<unknown> };
  };
  const hot = valid.slice(0, 100);
  // Twice: a token is cached on its second verification.
  for (const token of [...hot, ...hot]) await cached.verify(token);
  cases.push({
    id: 'ours-cache-hit',
    label: '@org/entra-core, verified-token cache hit',
    group: 'cache',
    contender: 'ours-cached',
    expect: 'accept',
    inputs: hot.map((token) => flatString(`Bearer ${token}`)),
    call: (header) => cached.validator.authenticate(header),
  });
  const oursContender = contenders.get('ours') as Contender & {
    validator: { authenticate(h: string): Promise<unknown> };
  };
  // What an adapter calls: the Authorization header value, parsed by the core (cache off).
  cases.push({
    id: 'ours-authenticate',
    label: '@org/entra-core via authenticate(header)',
    group: 'accept',
    contender: 'ours',
    expect: 'accept',
    inputs: valid.map((token) => flatString(`Bearer ${token}`)),
    call: (header) => oursContender.validator.authenticate(header),
  });
  const rejections: [string, string, readonly string[], MicroGroup][] = [
    ['ours-expired', 'rejects an expired token', ctx.tokens.expired, 'reject'],
    ['ours-wrong-audience', 'rejects a token for another audience', ctx.tokens.wrongAudience, 'reject'],
    ['ours-bad-signature', 'rejects a bad signature', ctx.tokens.badSignature, 'reject'],
    ['ours-malformed', 'rejects malformed input', malformed, 'malformed'],
  ];
  for (const [id, label, inputs, group] of rejections) {
    cases.push({
      id,
      label: `@org/entra-core ${label}`,
      group,
      contender: 'ours',
      expect: 'reject',
      inputs,
      call: (token) => oursContender.verify(token),
    });
  }
  const floorContender = contenders.get('floor') as Contender;
  cases.push({
    id: 'floor-malformed',
    label: 'floor rejects malformed input',
    group: 'malformed',
    contender: 'floor',
    expect: 'reject',
    inputs: malformed,
    call: (token) => floorContender.verify(token),
  });

  // Warm every case (JIT, key caches), then size the batches from the warm speed.
  const sizes = new Map<string, number>();
  for (const c of cases) {
    await runFor(c, options.warmupMs / 2);
    const us = await runFor(c, options.warmupMs / 2);
    sizes.set(c.id, Math.max(8, Math.round((options.batchMs * 1000) / Math.max(us, 0.01))));
  }

  const results = new Map<string, MicroCaseResult>();
  for (const c of cases) {
    results.set(c.id, {
      id: c.id,
      label: c.label,
      group: c.group,
      contender: c.contender,
      expect: c.expect,
      callsPerBatch: sizes.get(c.id) as number,
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
  for (const contender of contenders.values()) contender.close?.();

  if (options.webCrypto && (subtleCalls['ours-webcrypto'] ?? 0) === 0) {
    notes.push(
      'The WebCrypto copy of the core made no crypto.subtle.verify call: its numbers are not WebCrypto.',
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
      webCrypto: true,
    };
    writeJson(outPath, await runMicro(readContext(contextPath), options));
  });
}
