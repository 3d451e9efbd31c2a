/**
 * Every benchmark runs, for a handful of iterations, against a local issuer: the contenders accept
 * valid tokens and refuse the bad ones, the servers answer, the probes and the report come out.
 * Nothing here looks at a time: speed is judged by `pnpm bench`, not by the tests.
 */
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { firstVerification } from '../src/coldstart-child.ts';
import { autocannonLoad, FRAMEWORKS, runHttp, tokenRotation } from '../src/http.ts';
import { runKeys } from '../src/keys.ts';
import { type BenchContext, kitInfo, malformedTokens, mintTokenSets } from '../src/lib/kit.ts';
import { machineInfo, packageVersions } from '../src/lib/machine.ts';
import { runMemory } from '../src/memory.ts';
import { runMicro } from '../src/micro.ts';
import { runProfiles } from '../src/profile.ts';
import { type AllResults, chart, markdown } from '../src/report.ts';

let entra: MockEntra;
let ctx: BenchContext;
const partial: Partial<AllResults> = {};

beforeAll(async () => {
  entra = await createMockEntra();
  ctx = { kit: kitInfo(entra), tokens: mintTokenSets(entra, { valid: 40, rejected: 4 }) };
});
afterAll(() => entra.close());

describe('bench smoke', () => {
  test('micro: every contender accepts valid tokens and refuses bad ones, every case runs', async () => {
    const r = await runMicro(ctx, { rounds: 2, batchMs: 1, warmupMs: 2, webCrypto: false });
    for (const [id, checks] of Object.entries(r.checks)) {
      expect({ id, ...checks }).toEqual({
        id,
        acceptsValid: true,
        rejectsBadSignature: true,
        rejectsWrongAudience: true,
        rejectsExpired: true,
        rejectsMalformed: true,
      });
    }
    expect(r.cases.map((c) => [c.id, c.unexpected, c.cpuUs.length])).toEqual(
      r.cases.map((c) => [c.id, 0, 2]),
    );
    expect(r.subtleCalls.ours).toBe(0);
    (partial as { micro: unknown }).micro = r;
  });

  test('malformed inputs are distinct and never three clean segments', () => {
    const inputs = malformedTokens(ctx.tokens.valid[0] as string, 40);
    expect(new Set(inputs).size).toBe(40);
  });

  test('http: every framework and variant answers 2xx', async () => {
    const r = await runHttp(ctx, {
      seconds: 1,
      warmupSeconds: 1,
      runs: 1,
      connections: 2,
      frameworks: FRAMEWORKS,
      inProcess: true,
      amount: 10,
    });
    const outcomes = r.frameworks.flatMap((f) =>
      f.configs.map((c) => [f.framework, c.id, c.runs[0]?.non2xx, c.runs[0]?.errors]),
    );
    expect(outcomes).toEqual(r.frameworks.flatMap((f) => f.configs.map((c) => [f.framework, c.id, 0, 0])));
    (partial as { http: unknown }).http = r;
  });

  test('http: autocannon rotates the tokens of the pool', async () => {
    const { start } = await import('../src/servers/koa.ts');
    const server = await start('ours', ctx.kit);
    try {
      const r = await autocannonLoad(server.port, tokenRotation(ctx.tokens.valid), 2, 1);
      expect(r.ok).toBeGreaterThan(0);
      expect([r.non2xx, r.errors]).toEqual([0, 0]);
    } finally {
      await server.close();
    }
  });

  test('keys: the probes run and ours fetches once', async () => {
    const r = await runKeys({
      maxWaitMs: 300,
      verifyTimeoutMs: 150,
      cacheAgeMs: 150,
      pollMs: 100,
      concurrent: 10,
      burst: 6,
    });
    const ours = r.cold.find((c) => c.id === 'ours');
    expect(ours).toMatchObject({ accepted: 10, discoveryFetches: 1, jwksFetches: 1 });
    expect(r.newKey.find((n) => n.id === 'ours')?.acceptedOnFirstRequest).toBe(true);
    expect(r.deadEndpoint.find((d) => d.id === 'ours')).toMatchObject({
      acceptedRightAfter: true,
      acceptedAfterCacheAge: true,
    });
    (partial as { keys: unknown }).keys = r;
  });

  test('cold start: both contenders verify a token from scratch', async () => {
    const input = { kit: ctx.kit, token: ctx.tokens.valid[0] as string };
    await expect(firstVerification('ours', input)).resolves.toBeGreaterThan(0);
    await expect(firstVerification('aws', input)).resolves.toBeGreaterThan(0);
  });

  test('memory: the phases run', async () => {
    const r = await runMemory(ctx, { verifications: 60, shortVerifications: 20, forged: 20, samples: 2 });
    expect(r.phases.map((p) => [p.id, p.rejected])).toEqual([
      ['default-cache', 0],
      ['cache-1000', 0],
      ['no-cache', 0],
      ['forged', 20],
    ]);
    (partial as { memory: unknown }).memory = r;
  });

  test('profile: a CPU profile is recorded and mapped to the core sources', async () => {
    const r = await runProfiles(['distinct'], 0.2, { valid: 10, rejected: 2 });
    expect(r.cases[0]?.inclusive.some((e) => e.where.includes('validator.ts'))).toBe(true);
    (partial as { profile: unknown }).profile = r;
  });

  test('report: markdown and SVG come out of the results', () => {
    const all: AllResults = {
      ...partial,
      generatedAt: new Date().toISOString(),
      machine: machineInfo(),
      versions: packageVersions(),
      load: { before: { loadavg1: 0, busyShare: 0 }, after: { loadavg1: 0, busyShare: 0 } },
      mintSeconds: 0,
      totalSeconds: 0,
      phaseInfo: {},
      tokenPool: { valid: 40, reused: 100, rejected: 4 },
    };
    const md = markdown(all);
    expect(md).toContain('## The targets of issue 6');
    expect(md).toContain('| Warm verification of a distinct token ≤ 1.10 × the floor |');
    const svg = chart(all);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Issue 6 targets');
  });
});
