// Cold start to the first verified token, in a fresh `node` process each time, three ways: fetching
// discovery and keys from the issuer, with a warm Redis key store, and with `jwks.preload` (discovery
// still fetched). The test checks what each start asked the issuer; the times are printed, not
// asserted (ENTRA_COLDSTART_SAMPLES, default 3, and ENTRA_COLDSTART_LATENCY_MS, the issuer's added
// latency per request, default 0, for a measurement worth reporting).
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createEntraValidator } from '../../src/index.js';
import { redisKeyStore } from '../../src/stores/redis.js';
import { type RedisServer, startRedisServer } from './redis-server.js';

const SAMPLES = Number(process.env.ENTRA_COLDSTART_SAMPLES ?? 3);
const LATENCY_MS = Number(process.env.ENTRA_COLDSTART_LATENCY_MS ?? 0);
const MODES = ['network', 'redis', 'preload'] as const;
type Mode = (typeof MODES)[number];

// The real clock: the child processes check the tokens' times with theirs.
let kit: MockEntra | undefined;
let server: RedisServer | undefined;
const root = fileURLToPath(new URL('../../../..', import.meta.url));

beforeAll(async () => {
  // The child processes load the core's build, as an installed package: build it (a turbo cache hit
  // after the test command's build step).
  const built = spawnSync(
    'pnpm',
    ['turbo', 'run', 'build', '--filter=@org/entra-core', '--output-logs=errors-only'],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
    },
  );
  if (built.status !== 0) throw new Error(`building @org/entra-core failed:\n${built.stdout}${built.stderr}`);
  server = await startRedisServer();
  kit = await createMockEntra();
}, 900_000);
afterAll(async () => {
  await kit?.close();
  await server?.stop();
});

interface Sample {
  /** Spawn to report, measured by this process. */
  wallMs: number;
  /** The child's own clock: imports done, token verified. */
  importedMs: number;
  verifiedMs: number;
  oid: string;
  events: string[];
  requests: number;
}

function once(mode: Mode, input: Record<string, unknown>): Promise<Sample> {
  const child = fileURLToPath(new URL('./coldstart-child.mjs', import.meta.url));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const p = spawn(process.execPath, [child], {
      env: { ...process.env, ENTRA_COLDSTART: JSON.stringify({ mode, ...input }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    p.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    p.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) reject(new Error(`cold start (${mode}) exited with ${code}:\n${err}`));
      else resolve({ ...JSON.parse(out), wallMs, requests: 0 });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

test('cold start to the first verified token: network, warm Redis store, preload', async () => {
  if (kit === undefined) throw new Error('the mock issuer is not started');
  if (LATENCY_MS > 0) kit.setFault('slow', { delayMs: LATENCY_MS });
  const options = kit.validatorOptions();
  const redisUrl = server?.url;
  // Warm the store once, as the first replica would.
  const client = new Redis(redisUrl as string);
  try {
    await createEntraValidator({ ...options, keyStore: redisKeyStore(client) }).warmUp();
  } finally {
    client.disconnect();
  }
  const samples: Record<Mode, Sample[]> = { network: [], redis: [], preload: [] };
  // One unmeasured round first: the OS file cache, not the library, would be measured otherwise.
  for (let i = -1; i < SAMPLES; i++) {
    for (const mode of i % 2 === 0 ? MODES : [...MODES].reverse()) {
      const token = kit.createToken({ uti: `cold-${mode}-${i}` });
      kit.resetCounts();
      const sample = await once(mode, { options, token, redisUrl, preload: kit.jwks() });
      sample.requests = kit.requestCount();
      expect(sample.oid, mode).toBeTruthy();
      if (i >= 0) samples[mode].push(sample);
    }
  }
  kit.setFault(null);
  // What each start asked the issuer: both documents; none; the discovery document only.
  expect(samples.network.map((s) => s.requests)).toEqual(Array(SAMPLES).fill(2));
  expect(samples.redis.map((s) => s.requests)).toEqual(Array(SAMPLES).fill(0));
  expect(samples.preload.map((s) => s.requests)).toEqual(Array(SAMPLES).fill(1));
  expect(samples.redis[0]?.events).toEqual(['metadata_loaded', 'keys_loaded', 'token_verified']);
  expect(samples.preload[0]?.events).toEqual(['metadata_fetched', 'keys_loaded', 'token_verified']);

  const rows = MODES.map((mode) => {
    const s = samples[mode];
    return {
      mode,
      'spawn → verified (ms)': median(s.map((x) => x.wallMs)).toFixed(1),
      'process start → verified (ms)': median(s.map((x) => x.verifiedMs)).toFixed(1),
      'imports done → verified (ms)': median(s.map((x) => x.verifiedMs - x.importedMs)).toFixed(1),
      'issuer requests': s[0]?.requests,
    };
  });
  console.log(`cold start, median of ${SAMPLES}, issuer latency ${LATENCY_MS} ms per request`);
  console.table(rows);
}, 300_000);
