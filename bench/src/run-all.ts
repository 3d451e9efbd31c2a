/**
 * `pnpm bench`: starts one local issuer, mints the tokens, runs every benchmark in a process of its
 * own (micro, HTTP, keys, cold start, memory), then writes docs/BENCHMARKS.md and
 * docs/benchmarks.svg from the results (also kept in bench/results/latest.json).
 *
 * `BENCH_ONLY=micro,http` runs some phases and keeps the others' results from the previous run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMockEntra } from '@org/entra-testing';
import { envNumber, isMain, log, runMain, writeJson } from './lib/cli.js';
import { kitInfo, mintTokenSets, writeContext } from './lib/kit.js';
import {
  benchRoot,
  busyMeter,
  type LoadSample,
  machineInfo,
  othersMeter,
  packageVersions,
  sampleLoad,
} from './lib/machine.js';
import { type AllResults, PHASES, type Phase, type PhaseInfo, writeReport } from './report.js';

const resultsDir = join(benchRoot, 'results');
export const latestPath = join(resultsDir, 'latest.json');

function runNode(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} failed (${code ?? signal})`)),
    );
  });
}

function script(name: string): string {
  return fileURLToPath(new URL(`./${name}.js`, import.meta.url));
}

function phaseArgs(phase: Phase, contextPath: string, out: string): string[] {
  switch (phase) {
    case 'micro':
    case 'http':
    case 'coldstart':
      return [script(phase), contextPath, out];
    case 'keys':
      return [script('keys'), out];
    case 'memory':
      // --expose-gc: the heap is read after a full collection.
      return ['--expose-gc', script('memory'), contextPath, out];
    case 'profile':
      return [script('profile'), 'bench', out, `--seconds=${envNumber('BENCH_PROFILE_SECONDS', 3)}`];
  }
}

function selectedPhases(): Phase[] {
  const only = process.env.BENCH_ONLY?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (only === undefined || only.length === 0) return [...PHASES];
  for (const p of only) {
    if (!(PHASES as readonly string[]).includes(p))
      throw new Error(`BENCH_ONLY: unknown phase ${p} (${PHASES.join(', ')})`);
  }
  return only as Phase[];
}

async function main(): Promise<void> {
  const phases = selectedPhases();
  mkdirSync(resultsDir, { recursive: true });
  const previous: Partial<AllResults> =
    phases.length < PHASES.length && existsSync(latestPath)
      ? (JSON.parse(readFileSync(latestPath, 'utf8')) as AllResults)
      : {};
  log('sampling the machine load while idle (3 s)');
  const loadBefore = await sampleLoad(3000);
  const started = performance.now();
  const entra = await createMockEntra();
  try {
    const valid = envNumber('BENCH_TOKENS', 12000);
    log(`minting ${valid + 100 + 3 * 300} tokens`);
    const t0 = performance.now();
    const tokens = mintTokenSets(entra, { valid, rejected: 300 });
    const mintSeconds = (performance.now() - t0) / 1000;
    const contextPath = join(resultsDir, 'context.json');
    writeContext(contextPath, { kit: kitInfo(entra), tokens });

    const phaseInfo: Partial<Record<Phase, PhaseInfo>> = { ...(previous.phaseInfo ?? {}) };
    const failures: Partial<Record<Phase, string>> = { ...(previous.failures ?? {}) };
    const results: Partial<AllResults> = { ...previous };
    const snapshot = (loadAfter: LoadSample): AllResults => ({
      ...(results as AllResults),
      generatedAt: new Date().toISOString(),
      machine: machineInfo(),
      versions: packageVersions(),
      load: { before: loadBefore, after: loadAfter },
      mintSeconds,
      totalSeconds: (performance.now() - started) / 1000,
      phaseInfo,
      failures,
      tokenPool: { valid, reused: tokens.reused.length, rejected: 300 },
    });
    for (const phase of phases) {
      log(`phase ${phase}`);
      const out = join(resultsDir, `${phase}.json`);
      rmSync(out, { force: true });
      const meter = busyMeter();
      const others = othersMeter();
      const p0 = performance.now();
      try {
        await runNode(phaseArgs(phase, contextPath, out));
        (results as Record<string, unknown>)[phase] = JSON.parse(readFileSync(out, 'utf8'));
        delete failures[phase];
      } catch (error) {
        // One phase failing does not lose the others: the page says which failed and why.
        failures[phase] = error instanceof Error ? error.message : String(error);
        delete (results as Record<string, unknown>)[phase];
        log(`phase ${phase} failed: ${failures[phase]}`);
      }
      phaseInfo[phase] = {
        seconds: (performance.now() - p0) / 1000,
        busyShare: meter(),
        othersShare: others(),
        ranAt: new Date().toISOString(),
      };
      writeJson(latestPath, snapshot(loadBefore));
    }
    const all = snapshot(await sampleLoad(3000));
    writeJson(latestPath, all);
    const written = writeReport(all);
    log(`wrote ${written.join(', ')} in ${Math.round(all.totalSeconds)} s`);
    if (Object.keys(failures).length > 0) process.exitCode = 1;
  } finally {
    await entra.close();
  }
}

if (isMain(import.meta.url)) runMain(main);
