/**
 * HTTP benchmarks: autocannon against each framework, with no authentication (the baseline), the
 * floor wired in, our adapter, aws-jwt-verify (the fastest peer) and the framework's popular JWT
 * middleware. Every request carries a token: a distinct one per request (a pool larger than our
 * verified-token cache, cycled in order, so every verification is a miss), or one of 100 reused
 * tokens, as clients that keep their token for its lifetime send.
 *
 * Each server variant runs alone in its own process; its CPU time is read over IPC before and
 * after every run, so "CPU per request" is the server's alone. The variants of a framework are
 * started together, warmed, then measured in rounds with the order rotated each round; ratios are
 * taken within a round.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { envNumber, isMain, log, runMain, writeJson } from './lib/cli.js';
import { type BenchContext, type KitInfo, readContext } from './lib/kit.js';
import { rotate } from './lib/stats.js';
import type { FromServer, ServerFactory, Variant } from './servers/common.js';

export const FRAMEWORKS = ['express', 'koa', 'fastify', 'fetch'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export const FRAMEWORK_LABELS: Record<Framework, string> = {
  express: 'Express 5',
  koa: 'Koa 3',
  fastify: 'Fastify 5',
  fetch: 'fetch handler on @hono/node-server',
};

export type TokenMode = 'distinct' | 'reused';

export interface HttpRun {
  readonly reqPerSec: number;
  readonly responses: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** Server CPU (user + system, all threads) per response, µs. */
  readonly cpuUsPerReq: number;
}

export interface HttpConfigResult {
  readonly id: string;
  readonly variant: Variant;
  readonly tokens: TokenMode;
  readonly label: string;
  /** One per round, aligned across the configs of a framework. */
  readonly runs: HttpRun[];
}

export interface HttpFrameworkResult {
  readonly framework: Framework;
  readonly label: string;
  readonly popularLabel: string;
  readonly configs: HttpConfigResult[];
}

export interface HttpOptions {
  seconds: number;
  warmupSeconds: number;
  runs: number;
  connections: number;
  frameworks: readonly Framework[];
  /** Test mode: servers in this process (no CPU figures), `amount` requests per run with `fetch`. */
  inProcess?: boolean;
  amount?: number;
}

export interface HttpResult {
  readonly options: Omit<HttpOptions, 'inProcess' | 'amount'>;
  readonly pools: { distinct: number; reused: number };
  readonly frameworks: HttpFrameworkResult[];
}

export const DEFAULT_HTTP: HttpOptions = {
  seconds: 3,
  warmupSeconds: 2,
  runs: 3,
  connections: 10,
  frameworks: FRAMEWORKS,
};

interface ServerHandle {
  readonly port: number;
  /** CPU time used so far, µs. */
  cpu(): Promise<number>;
  close(): Promise<void>;
}

interface FrameworkModule {
  start: ServerFactory;
  variants: readonly Variant[];
  popularLabel: string;
}

const MODULES: Record<Framework, () => Promise<FrameworkModule>> = {
  express: () => import('./servers/express.js'),
  koa: () => import('./servers/koa.js'),
  fastify: () => import('./servers/fastify.js'),
  fetch: () => import('./servers/fetch.js'),
};

function frameworkModule(framework: Framework): Promise<FrameworkModule> {
  return MODULES[framework]();
}

function spawnServer(framework: Framework, variant: Variant, kit: KitInfo): Promise<ServerHandle> {
  const entry = fileURLToPath(new URL(`./servers/${framework}.js`, import.meta.url));
  const child: ChildProcess = fork(entry, [variant], {
    env: { ...process.env, BENCH_KIT: JSON.stringify(kit) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let waiting: ((usage: number) => void) | undefined;
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${framework}/${variant} server exited (${code})`)));
    child.on('message', (message: FromServer) => {
      if (message.type === 'ready') {
        resolve({
          port: message.port,
          cpu: () =>
            new Promise<number>((done) => {
              waiting = done;
              child.send({ type: 'cpu' });
            }),
          close: () =>
            new Promise<void>((done) => {
              child.removeAllListeners('exit');
              child.once('exit', () => done());
              child.send({ type: 'close' });
              setTimeout(() => child.kill('SIGKILL'), 3000).unref();
            }),
        });
      } else if (message.type === 'cpu') {
        waiting?.(message.user + message.system);
        waiting = undefined;
      } else if (message.type === 'error') {
        reject(new Error(`${framework}/${variant}: ${message.message}`));
      }
    });
  });
}

async function inProcessServer(framework: Framework, variant: Variant, kit: KitInfo): Promise<ServerHandle> {
  const module = await frameworkModule(framework);
  const server = await module.start(variant, kit);
  return { port: server.port, cpu: async () => Number.NaN, close: () => server.close() };
}

/** Cycles through `tokens` in order across all connections: request i carries token i mod n. */
export function tokenRotation(tokens: readonly string[]) {
  const headers = tokens.map((t) => `Bearer ${t}`);
  let next = 0;
  return (request: autocannon.Request): autocannon.Request => {
    const authorization = headers[next % headers.length] as string;
    next++;
    return { ...request, headers: { authorization } };
  };
}

/** What one load run gives, whichever way it was made. */
export interface LoadResult {
  readonly ok: number;
  readonly responses: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly seconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** autocannon for `seconds` against the server, the Authorization header rotating per request. */
export async function autocannonLoad(
  port: number,
  rotation: ReturnType<typeof tokenRotation>,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const r = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    pipelining: 1,
    duration: seconds,
    requests: [{ method: 'GET', path: '/', setupRequest: rotation }],
  });
  return {
    ok: r['2xx'],
    responses: r['1xx'] + r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    seconds: r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
  };
}

/**
 * Test mode: `amount` requests with `fetch`, `connections` at a time (autocannon's runs last whole
 * seconds, too long for a smoke test of two dozen servers).
 */
async function fetchLoad(
  port: number,
  rotation: ReturnType<typeof tokenRotation>,
  connections: number,
  amount: number,
): Promise<LoadResult> {
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < amount) {
      next++;
      const { headers } = rotation({});
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`, {
          headers: headers as Record<string, string>,
        });
        await response.arrayBuffer();
        if (response.status >= 200 && response.status < 300) ok++;
        else non2xx++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const ms = performance.now() - t0;
  return {
    ok,
    responses: ok + non2xx,
    non2xx,
    errors,
    seconds: ms / 1000,
    p50Ms: Number.NaN,
    p99Ms: Number.NaN,
  };
}

function load(
  port: number,
  rotation: ReturnType<typeof tokenRotation>,
  options: HttpOptions,
  seconds: number,
): Promise<LoadResult> {
  return options.amount !== undefined
    ? fetchLoad(port, rotation, options.connections, options.amount)
    : autocannonLoad(port, rotation, options.connections, seconds);
}

interface Config {
  readonly id: string;
  readonly variant: Variant;
  readonly tokens: TokenMode;
  readonly label: string;
  readonly rotation: ReturnType<typeof tokenRotation>;
}

function labelOf(variant: Variant, popular: string): string {
  switch (variant) {
    case 'baseline':
      return 'no authentication';
    case 'floor':
      return 'floor (node:crypto.verify + claim checks)';
    case 'ours':
      return 'ours (@org/entra-*)';
    case 'aws':
      return 'aws-jwt-verify';
    case 'popular':
      return popular;
    case 'oauth2-bearer':
      return 'express-oauth2-jwt-bearer';
  }
}

async function runFramework(
  framework: Framework,
  ctx: BenchContext,
  options: HttpOptions,
): Promise<HttpFrameworkResult> {
  const module = await frameworkModule(framework);
  const servers = new Map<Variant, ServerHandle>();
  try {
    const started = await Promise.all(
      module.variants.map((variant) =>
        (options.inProcess ? inProcessServer : spawnServer)(framework, variant, ctx.kit),
      ),
    );
    module.variants.forEach((variant, i) => {
      servers.set(variant, started[i] as ServerHandle);
    });
    const configs: Config[] = [];
    for (const variant of module.variants) {
      configs.push({
        id: variant,
        variant,
        tokens: 'distinct',
        label: labelOf(variant, module.popularLabel),
        rotation: tokenRotation(ctx.tokens.valid),
      });
      if (variant === 'ours') {
        configs.push({
          id: 'ours-reused',
          variant,
          tokens: 'reused',
          label: 'ours, 100 reused tokens',
          rotation: tokenRotation(ctx.tokens.reused),
        });
      }
    }
    const results = new Map<string, HttpConfigResult>(
      configs.map((c) => [
        c.id,
        { id: c.id, variant: c.variant, tokens: c.tokens, label: c.label, runs: [] },
      ]),
    );
    for (const c of configs) {
      const server = servers.get(c.variant) as ServerHandle;
      await load(server.port, c.rotation, options, options.warmupSeconds);
    }
    for (let round = 0; round < options.runs; round++) {
      for (const c of rotate(configs, round)) {
        const server = servers.get(c.variant) as ServerHandle;
        const cpu0 = await server.cpu();
        const r = await load(server.port, c.rotation, options, options.seconds);
        const cpu1 = await server.cpu();
        (results.get(c.id) as HttpConfigResult).runs.push({
          reqPerSec: r.ok / Math.max(r.seconds, 1e-3),
          responses: r.responses,
          non2xx: r.non2xx,
          errors: r.errors,
          latencyP50Ms: r.p50Ms,
          latencyP99Ms: r.p99Ms,
          cpuUsPerReq: (cpu1 - cpu0) / Math.max(r.responses, 1),
        });
      }
      log(`http: ${framework} round ${round + 1}/${options.runs}`);
    }
    return {
      framework,
      label: FRAMEWORK_LABELS[framework],
      popularLabel: module.popularLabel,
      configs: [...results.values()],
    };
  } finally {
    await Promise.all([...servers.values()].map((s) => s.close()));
  }
}

export async function runHttp(ctx: BenchContext, options: HttpOptions = DEFAULT_HTTP): Promise<HttpResult> {
  const frameworks: HttpFrameworkResult[] = [];
  for (const framework of options.frameworks) {
    log(`http: ${framework}`);
    frameworks.push(await runFramework(framework, ctx, options));
  }
  const { inProcess: _i, amount: _a, ...rest } = options;
  return {
    options: rest,
    pools: { distinct: ctx.tokens.valid.length, reused: ctx.tokens.reused.length },
    frameworks,
  };
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const [contextPath, outPath] = process.argv.slice(2);
    if (contextPath === undefined || outPath === undefined)
      throw new Error('usage: http.js <context.json> <out.json>');
    const only = process.env.BENCH_HTTP_FRAMEWORKS?.split(',').filter(Boolean) as Framework[] | undefined;
    const options: HttpOptions = {
      seconds: envNumber('BENCH_HTTP_SECONDS', DEFAULT_HTTP.seconds),
      warmupSeconds: envNumber('BENCH_HTTP_WARMUP_SECONDS', DEFAULT_HTTP.warmupSeconds),
      runs: envNumber('BENCH_HTTP_RUNS', DEFAULT_HTTP.runs),
      connections: envNumber('BENCH_HTTP_CONNECTIONS', DEFAULT_HTTP.connections),
      frameworks: only ?? FRAMEWORKS,
    };
    writeJson(outPath, await runHttp(readContext(contextPath), options));
  });
}
