/**
 * What the numbers were measured on: the machine, how busy it was, and the exact versions of
 * everything compared.
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly v8: string;
  readonly openssl: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    v8: process.versions.v8,
    openssl: process.versions.openssl ?? 'unknown',
  };
}

/** The bench package's folder (this file is at src/lib or dist/lib). */
export const benchRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function versionAt(dir: string): string | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
}

/** The installed version of `name` as the bench resolves it, or of `name` as `parent` resolves it. */
function installedVersion(name: string, parent?: string): string | undefined {
  try {
    if (parent === undefined) return versionAt(join(benchRoot, 'node_modules', name));
    const parentDir = realpathSync(join(benchRoot, 'node_modules', parent));
    // A workspace package has its own node_modules folder...
    const own = versionAt(join(parentDir, 'node_modules', name));
    if (own !== undefined) return own;
    // ...and with pnpm, a registry package's dependencies sit beside it in the same node_modules folder.
    const scopeDepth = parent.startsWith('@') ? 2 : 1;
    let modules = parentDir;
    for (let i = 0; i < scopeDepth; i++) modules = dirname(modules);
    return versionAt(join(modules, name));
  } catch {
    return undefined;
  }
}

/** Packages that matter to a figure but are dependencies of a dependency: [label, name, parent]. */
const NESTED: readonly [string, string, string][] = [
  ['lru-cache (core)', 'lru-cache', '@org/entra-core'],
  ['jose (inside express-oauth2-jwt-bearer)', 'jose', 'express-oauth2-jwt-bearer'],
  ['fast-jwt (inside @fastify/jwt)', 'fast-jwt', '@fastify/jwt'],
];

/** Every dependency of the bench (what is compared, the frameworks, the tools), with its version. */
export function packageVersions(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(benchRoot, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const entries: [string, string | undefined][] = [
    ...Object.keys(manifest.dependencies).map((name): [string, string | undefined] => [
      name,
      installedVersion(name),
    ]),
    ...NESTED.map(([label, name, parent]): [string, string | undefined] => [
      label,
      installedVersion(name, parent),
    ]),
  ];
  return Object.fromEntries(entries.map(([k, v]) => [k, v ?? 'not installed']));
}

/** Busy and total jiffies of all CPUs, from /proc/stat (Linux). */
function cpuTimes(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export interface LoadSample {
  /** 1-minute load average. */
  readonly loadavg1: number;
  /** Share of all cores busy over the sample window (0..1), while the benchmark itself was idle. */
  readonly busyShare: number | undefined;
}

/** How busy the machine is with other work: sampled while the benchmark does nothing. */
export async function sampleLoad(ms = 2000): Promise<LoadSample> {
  const a = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = cpuTimes();
  const busyShare =
    a !== undefined && b !== undefined && b.total > a.total
      ? (b.busy - a.busy) / (b.total - a.total)
      : undefined;
  return { loadavg1: loadavg()[0] ?? 0, busyShare };
}

/** Share of all cores busy between two readings: for whole phases, our own load included. */
export function busyMeter(): () => number | undefined {
  const a = cpuTimes();
  return () => {
    const b = cpuTimes();
    return a !== undefined && b !== undefined && b.total > a.total
      ? (b.busy - a.busy) / (b.total - a.total)
      : undefined;
  };
}

/** utime + stime + cutime + cstime (clock ticks) and parent pid of a process, from /proc/<pid>/stat. */
function procStat(pid: string): { ppid: number; ticks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(fields[i] ?? 0);
    return { ppid: n(1), ticks: n(11) + n(12) + n(13) + n(14) };
  } catch {
    return undefined;
  }
}

/** CPU ticks used by this process and every process below it, finished children included. */
function treeTicks(root: number): number {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const pid of pids) {
    const st = procStat(pid);
    if (st !== undefined) stats.set(Number(pid), st);
  }
  let total = 0;
  for (const [pid, st] of stats) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = stats.get(p)?.ppid) {
      if (p === root) {
        total += st.ticks;
        break;
      }
    }
  }
  return total;
}

/**
 * How much of the machine other work took while the benchmark ran: all cores' busy time (from
 * /proc/stat, machine-wide) minus what this process and its descendants used (finished children
 * included). `share()` is the fraction of all cores that others kept busy since the meter was made
 * (Linux only; `undefined` elsewhere).
 */
export function othersMeter(): () => number | undefined {
  const first = cpuTimes();
  const firstOurs = treeTicks(process.pid);
  return () => {
    const now = cpuTimes();
    if (first === undefined || now === undefined || now.total <= first.total) return undefined;
    const ours = treeTicks(process.pid) - firstOurs;
    return Math.max(0, now.busy - first.busy - ours) / (now.total - first.total);
  };
}
