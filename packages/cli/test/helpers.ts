import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built bin: what `npx @org/entra-cli` runs. */
export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node dist/cli.js ...args`, asynchronously (the local issuer answers from this process, so a
 * synchronous spawn would deadlock). Standard input is `input` when given, otherwise empty (not a TTY).
 */
export function runCli(
  args: readonly string[],
  options: {
    input?: string;
    env?: Record<string, string | undefined>;
    timeoutMs?: number;
    /** Run this command line instead of `node dist/cli.js` (e.g. under `script` for a terminal). */
    command?: readonly string[];
  } = {},
): Promise<CliRun> {
  const [file, ...rest] = options.command ?? [process.execPath, CLI, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(file as string, rest, {
      env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      // A ceiling for a hung process, not a speed requirement: a loaded CI machine is slow.
      timeout: options.timeoutMs ?? 45_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== null) reject(new Error(`entra-token was killed by ${signal}; stderr: ${stderr}`));
      else resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs with `--json` and parses standard output. */
export async function runJson<T = any>(
  args: readonly string[],
  options: { input?: string } = {},
): Promise<{ code: number | null; json: T; stderr: string }> {
  const run = await runCli([...args, '--json'], options);
  let json: T;
  try {
    json = JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
  return { code: run.code, json, stderr: run.stderr };
}

/** A JWT with these parts, unsigned: for tests that never verify. */
export function fakeJwt(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const enc = (o: Record<string, unknown>) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc(header)}.${enc(payload)}.c2lnbmF0dXJl`;
}
