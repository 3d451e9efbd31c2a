/**
 * Runs one program of the matrix as a child process: the input as JSON on stdin, the JSON lines it
 * prints on stdout parsed and returned. A program that exits non-zero, prints anything but JSON
 * lines, or runs past its time limit is an error carrying its stderr.
 */
import { spawn } from 'node:child_process';
import { quietEnv, runtimesDir } from './runtimes.js';

export interface RunOptions {
  /** Milliseconds before the program is killed (a generous bound, not a performance budget). */
  timeoutMs?: number;
  env?: Record<string, string>;
  cwd?: string;
}

export async function runProgram(
  command: string,
  args: string[],
  input: unknown,
  options: RunOptions = {},
): Promise<Record<string, unknown>[]> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawn(command, args, {
    cwd: options.cwd ?? runtimesDir,
    env: quietEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.on('error', () => undefined);
  child.stdin.end(JSON.stringify(input));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).finally(() => clearTimeout(timer));
  const shown = `${command} ${args.join(' ')}`;
  if (code !== 0) {
    throw new Error(
      `${shown} exited with ${code ?? 'a signal (time limit?)'}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
    );
  }
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${shown} printed a line that is not JSON: ${line}\n--- stderr\n${stderr}`);
      }
    });
}
