/**
 * The core's attack table (packages/core/test/attack/cases.ts), sent through `entraAuth` and the guards
 * over real HTTP to Express 5 and Express 4. Requests are written byte for byte on a socket, so a row's
 * Authorization header arrives exactly as the row says (two headers, Latin-1 bytes, 1 MiB values).
 * Every answer must carry the row's status, the contract's challenge, `Cache-Control: no-store`, the
 * JSON body, and nothing of the token, the kid or the configuration.
 *
 * Rows the core marks `coreOnly` (CR, LF, NUL and other bytes no HTTP parser lets through; a guard no
 * adapter has) are checked in the core only; what Node does with such bytes is tested at the end.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { connect } from 'node:net';
import { createEntraValidator, type EntraValidatorOptions } from '@org/entra-core';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import express5, { type RequestHandler } from 'express';
import express4 from 'express4';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ATTACK_CASES,
  type AttackCase,
  type AttackContext,
  configSecrets,
  type Guard,
  prepareAttackContext,
} from '../../core/test/attack/cases.js';
import {
  CONTRACT,
  challengeProblems,
  isSafeMessage,
  isTransportable,
  leaks,
  tokenSecrets,
} from '../../core/test/attack/support.js';
import {
  entraAuth,
  requireAppOnly,
  requireDelegated,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from '../src/index.js';

const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const clock = () => NOW;

interface HttpRow {
  readonly row: AttackCase;
  readonly index: number;
  /** Authorization header values, one per header line. */
  headers: string[];
  secrets: string[];
}

/** The rows that can travel over HTTP as they are. */
function httpRows(ctx: AttackContext): HttpRow[] {
  const out: HttpRow[] = [];
  ATTACK_CASES.forEach((row, index) => {
    if (row.coreOnly !== undefined || (row.guard !== undefined && 'authContext' in row.guard)) return;
    let headers: string[];
    let secrets: string[];
    if (row.token !== undefined) {
      const token = row.token(ctx);
      if (!B64TOKEN.test(token)) return; // the Bearer grammar stops it first: a transport row covers that
      headers = [`Bearer ${token}`];
      secrets = tokenSecrets(token);
    } else {
      const value = row.authorization?.(ctx);
      headers = value === undefined ? [] : Array.isArray(value) ? value : [value];
      secrets = headers.flatMap((h) =>
        (h.match(/[A-Za-z0-9\-_.~+/]{12,}/g) ?? []).flatMap((r) => [r, ...tokenSecrets(r)]),
      );
    }
    if (!headers.every(isTransportable)) return;
    out.push({ row, index, headers, secrets });
  });
  return out;
}

function guardOf(guard: Guard | undefined): RequestHandler[] {
  if (guard === undefined) return [];
  if ('scopes' in guard) return [requireScopes(guard.scopes, { match: guard.match ?? 'all' })];
  if ('roles' in guard) return [requireRoles(guard.roles, { match: guard.match ?? 'all' })];
  if ('scopeOrRole' in guard) return [requireScopeOrRole(guard.scopeOrRole)];
  if ('caller' in guard) return [guard.caller === 'app' ? requireAppOnly() : requireDelegated()];
  throw new Error('no Express guard for an authentication context');
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  raw: string;
}

/** One HTTP/1.1 request written as bytes (Latin-1, as header bytes are), one response read back. */
function send(port: number, path: string, authorization: readonly string[]): Promise<RawResponse> {
  const head = [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const value of authorization) head.push(`Authorization: ${value}`);
  const bytes = Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    // Not end(): a half-closed socket is dropped by Node before an asynchronous answer is ready.
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // The server may answer and close before the whole request is written (431).
      if (e.code === 'EPIPE' || e.code === 'ECONNRESET') return;
      reject(e);
    });
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      const split = raw.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = raw.slice(0, split < 0 ? raw.length : split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
      }
      let body = split < 0 ? '' : raw.slice(split + 4);
      if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
      resolve({
        status: Number(statusLine?.split(' ')[1] ?? 0),
        headers,
        body: Buffer.from(body, 'latin1').toString('utf8'),
        raw,
      });
    });
  });
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, eol), 16);
    if (!(size > 0)) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 4 + size);
  }
}

function listen(handler: RequestListener, maxHeaderSize?: number): Promise<{ server: Server; port: number }> {
  const server = createServer(maxHeaderSize === undefined ? {} : { maxHeaderSize }, handler);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as { port: number }).port }),
    );
  });
}

// Built while the file is collected, so that the rows sent over HTTP are known to test.each.
const entra: MockEntra = await createMockEntra({ clock });
const ctx: AttackContext = await prepareAttackContext(entra);
const rows: HttpRow[] = httpRows(ctx);

afterAll(async () => {
  await ctx.close();
  await entra.close();
});

describe.each([
  ['express 5', express5],
  ['express 4', express4 as unknown as typeof express5],
])('%s', (_name, createApp) => {
  let port = 0;
  let server: Server | undefined;
  const closers: Array<() => void> = [];

  beforeAll(async () => {
    const app = createApp();
    for (const { row, index } of rows) {
      const validator = createEntraValidator(
        entra.validatorOptions({ clock, tokenCache: false, ...row.options?.(ctx) }) as EntraValidatorOptions,
      );
      closers.push(() => validator.close());
      app.get(`/row/${index}`, entraAuth(validator), ...guardOf(row.guard), (req, res) => {
        res.json({ oid: req.auth?.objectId });
      });
    }
    // Large enough for the 1 MiB and 100k-space rows to reach the middleware.
    ({ server, port } = await listen(app, 4 << 20));
  });
  afterAll(async () => {
    for (const close of closers) close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  test('the table sent over HTTP is large enough', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
  });

  test.each(
    rows.map(
      (entry) =>
        [`${entry.row.group}: ${entry.row.name} → ${entry.row.code} ${entry.row.status}`, entry] as const,
    ),
  )('%s', async (_title, entry) => {
    const { row, headers, index } = entry;
    const res = await send(port, `/row/${index}`, headers);
    expect(res.status, res.body).toBe(row.status);
    if (row.code === 'ok') {
      expect(JSON.parse(res.body)).toHaveProperty('oid');
      return;
    }
    const body = JSON.parse(res.body) as { error: string; error_description: string };
    expect(body).toEqual({ error: row.code, error_description: expect.any(String) });
    expect(isSafeMessage(body.error_description)).toBe(true);
    const contract = CONTRACT[row.code];
    expect(challengeProblems(res.headers['www-authenticate'], contract.challenge)).toEqual([]);
    if (res.headers['www-authenticate']?.includes('error_description=')) {
      expect(res.headers['www-authenticate']).toContain(`error_description="${body.error_description}"`);
    }
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    if (row.status === 503) expect(res.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
    else expect(res.headers['retry-after']).toBeUndefined();
    const never = [...entry.secrets, ...(row.secrets ?? []), ...configSecrets(ctx)];
    expect(leaks([res.raw], never)).toEqual([]);
  });
});

describe('what Node refuses before Express', () => {
  test('a 1 MiB header on a default server: 431 from Node, nothing echoed', async () => {
    let reached = 0;
    const app = express5();
    app.use(entraAuth(entra.validatorOptions({ clock }) as EntraValidatorOptions));
    app.use((_req, res) => {
      reached++;
      res.end();
    });
    const { server, port } = await listen(app);
    try {
      const token = entra.createToken({ pad: 'p'.repeat(1 << 20) });
      const res = await send(port, '/', [`Bearer ${token}`]);
      expect(res.status).toBe(431);
      expect(reached).toBe(0);
      expect(leaks([res.raw], tokenSecrets(token))).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test.each([
    ['NUL', '\u0000'],
    ['a line feed alone', '\n'],
    ['DEL', '\u007f'],
    ['a vertical tab', '\u000b'],
  ])(
    '%s inside the Authorization header: 400 from Node, the app never reached, nothing echoed',
    async (_name, bad) => {
      let reached = 0;
      const app = express5();
      app.use((_req, res) => {
        reached++;
        res.end();
      });
      const { server, port } = await listen(app);
      try {
        const token = entra.createToken();
        const res = await send(port, '/', [`Bearer ${token.slice(0, 40)}${bad}${token.slice(40)}`]);
        expect(res.status).toBe(400);
        expect(reached).toBe(0);
        expect(leaks([res.raw], tokenSecrets(token))).toEqual([]);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  );

  test('the second loopback server (jku, x5u, kid URLs) never saw a request', () => {
    expect(ctx.lure.requests).toEqual([]);
  });
});
