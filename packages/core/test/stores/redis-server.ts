/**
 * A real `redis-server` for the store tests, on 127.0.0.1, started and stopped by the test.
 *
 * The binary is Debian's `redis-server` package: found on PATH or at /usr/bin/redis-server, otherwise
 * installed with `apt-get update && apt-get install -y redis-server` (CI runs as root). If it still
 * cannot be found, the test fails with how to install it: never a skip.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

function findOnPath(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The path of `redis-server`, installing Debian's package if it is missing. Throws with the fix. */
export function redisServerBinary(): string {
  const found = findOnPath();
  if (found !== undefined) return found;
  const log: string[] = [];
  if (process.getuid?.() === 0) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'redis-server']]) {
      const r = spawnSync('apt-get', args, { encoding: 'utf8', env, timeout: 600_000 });
      log.push(
        `apt-get ${args.join(' ')}: exit ${r.status ?? r.error?.message}\n${(r.stderr ?? '').slice(-2000)}`,
      );
      if (r.status !== 0) break;
    }
  } else {
    log.push('not root: apt-get was not tried');
  }
  const installed = findOnPath();
  if (installed !== undefined) return installed;
  throw new Error(
    `The Redis store tests need redis-server (Debian package redis-server): install it with
  apt-get update && apt-get install -y redis-server
(or put a redis-server binary on PATH). What was tried:\n${log.join('\n')}`,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(reply.startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

/** A running redis-server: no persistence, bound to 127.0.0.1 only. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const binary = redisServerBinary();
  const dir = mkdtempSync(join(tmpdir(), 'entra-redis-'));
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && child.exitCode === null) {
      if (await answersPing(port)) {
        return {
          port,
          url: `redis://127.0.0.1:${port}`,
          async stop() {
            if (child.exitCode === null) {
              child.kill('SIGTERM');
              await exited;
            }
            rmSync(dir, { recursive: true, force: true });
          },
        };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await exited;
    lastError = output.slice(-2000);
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`redis-server did not start on 127.0.0.1:\n${lastError}`);
}
