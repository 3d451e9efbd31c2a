/**
 * The end-to-end demo (`npm run demo` at the repository root): starts three local look-alikes (a
 * workforce tenant, an Azure AD B2C tenant, an Entra External ID tenant) and this Express API on
 * ephemeral loopback ports, the API trusting all three through one combined validator; makes real
 * HTTP calls with different tokens, and prints what the API answered and saw. Exits 0 only when
 * every call behaved as expected, so it is also a smoke test.
 */
import { once } from 'node:events';
import { realpathSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type DataPoint, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { combineValidators, createEntraValidator } from '@org/entra-express';
import { entraTelemetry } from '@org/entra-otel';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { createApp } from './app.js';
import { ORDERS_EXPORT, ORDERS_READ } from './orders.js';

const SPA_ORIGIN = 'http://localhost:5173';
const OTHER_TENANT = '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** The customer issuers beside the workforce one. */
interface Customers {
  b2c: MockEntra<'b2c'>;
  externalId: MockEntra<'externalId'>;
}

interface Call {
  method: 'GET' | 'POST' | 'OPTIONS';
  path: string;
  token: string;
  /** Makes the token (undefined: no Authorization header). */
  makeToken?: (entra: MockEntra, customers: Customers) => string;
  headers?: Record<string, string>;
  expect: { status: number; code?: string };
  /** What the API saw, in a few words; or why the answer is wrong (`fail`). */
  saw: (answer: Answer) => string;
  check?: (answer: Answer) => string | undefined;
}

/** One line of the demo's table. */
export interface DemoRow {
  request: string;
  token: string;
  expectedStatus: number;
  expectedCode: string;
  status: number;
  code: string;
  saw: string;
  ok: boolean;
  /** Why the row failed, when it did. */
  problem?: string;
}

export interface DemoResult {
  rows: DemoRow[];
  ok: boolean;
  authority: string;
  /** The B2C and External ID look-alikes. */
  customerAuthorities: { b2c: string; externalId: string };
  apiUrl: string;
  /** What the validators reported through `@org/entra-otel`, read from the OpenTelemetry SDK. */
  telemetry: Telemetry;
}

/** The demo's telemetry summary: verifications by outcome and refusal code, key set fetches. */
export interface Telemetry {
  accepted: number;
  /** Refusals by `EntraAuthError` code (`entra.error.code`). */
  rejected: Record<string, number>;
  /** Key set and discovery document requests by outcome. */
  fetches: Record<string, number>;
}

/** A metric reader the demo collects from once, at the end (an exporter would send the same data). */
class CollectOnce extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** Sums the counters `@org/entra-otel` recorded into the summary. */
async function summarize(reader: CollectOnce): Promise<Telemetry> {
  const telemetry: Telemetry = { accepted: 0, rejected: {}, fetches: {} };
  const { resourceMetrics } = await reader.collect();
  for (const metric of resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics)) {
    for (const point of metric.dataPoints as DataPoint<number>[]) {
      const outcome = String(point.attributes['entra.outcome']);
      if (metric.descriptor.name === 'entra.auth.verifications') {
        if (outcome === 'accepted') telemetry.accepted += point.value;
        else {
          const code = String(point.attributes['entra.error.code']);
          telemetry.rejected[code] = (telemetry.rejected[code] ?? 0) + point.value;
        }
      } else if (metric.descriptor.name.endsWith('.fetches')) {
        const what = metric.descriptor.name === 'entra.keys.fetches' ? 'key sets' : 'discovery documents';
        telemetry.fetches[`${what} ${outcome}`] =
          (telemetry.fetches[`${what} ${outcome}`] ?? 0) + point.value;
      }
    }
  }
  return telemetry;
}

/** The summary's lines, as the demo prints them. */
export function formatTelemetry(t: Telemetry): string {
  const rejected = Object.entries(t.rejected).sort(([, a], [, b]) => b - a);
  const total = rejected.reduce((sum, [, n]) => sum + n, 0);
  const fetches = Object.entries(t.fetches).map(([what, n]) => `${what} ${n}`);
  return [
    'Telemetry (@org/entra-otel through the OpenTelemetry SDK; entra.auth.verifications, entra.*.fetches):',
    `  verifications accepted ${t.accepted}, rejected ${total}${total ? ': ' : ''}${rejected.map(([code, n]) => `${code} ${n}`).join(', ')}`,
    `  requests to the issuers: ${fetches.join(', ') || 'none'}`,
  ].join('\n');
}

const described = (a: Answer) => a.body?.error_description ?? '';

const CALLS: Call[] = [
  {
    method: 'GET',
    path: '/health',
    token: 'none',
    expect: { status: 200 },
    saw: (a) => `public route, no token needed: ${JSON.stringify(a.body)}`,
  },
  {
    method: 'OPTIONS',
    path: '/orders',
    token: 'none, CORS preflight',
    headers: {
      origin: SPA_ORIGIN,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    },
    expect: { status: 204 },
    saw: (a) => `answered before auth; allows ${a.headers.get('access-control-allow-origin')}`,
    check: (a) =>
      a.headers.get('access-control-allow-origin') === SPA_ORIGIN
        ? undefined
        : 'no CORS headers on the preflight',
  },
  {
    method: 'GET',
    path: '/orders',
    token: 'none',
    expect: { status: 401, code: 'missing_token' },
    saw: (a) => `no token; challenge: ${a.headers.get('www-authenticate')}`,
    check: (a) =>
      a.headers.get('www-authenticate') === 'Bearer realm="api"' ? undefined : 'wrong WWW-Authenticate',
  },
  {
    method: 'GET',
    path: '/orders',
    token: `user: ${ORDERS_READ}`,
    makeToken: (e) => e.createToken({ scp: ORDERS_READ }),
    expect: { status: 200 },
    saw: (a) => `${a.body.readBy} read ${a.body.orders?.length} orders`,
  },
  {
    method: 'GET',
    path: '/me',
    token: `user: ${ORDERS_READ}`,
    makeToken: (e) => e.createToken({ scp: ORDERS_READ }),
    expect: { status: 200 },
    saw: (a) =>
      `${a.body.kind} ${a.body.name}, oid ${String(a.body.objectId).slice(0, 8)}…, ` +
      `tenant ${String(a.body.tenantId).slice(0, 8)}…, scp ${a.body.scopes.join(' ')}, v${a.body.tokenVersion}`,
  },
  {
    method: 'GET',
    path: '/orders',
    token: 'user: User.Read',
    makeToken: (e) => e.createToken({ scp: 'User.Read' }),
    expect: { status: 403, code: 'insufficient_scope' },
    saw: (a) =>
      `${described(a)}; challenge names ${/scope="[^"]*"/.exec(a.headers.get('www-authenticate') ?? '')}`,
    check: (a) =>
      a.headers.get('www-authenticate')?.includes(`scope="${ORDERS_READ}"`)
        ? undefined
        : `the challenge does not name scope="${ORDERS_READ}"`,
  },
  {
    method: 'GET',
    path: '/orders',
    token: 'user, expired',
    makeToken: (e) => e.createToken({ scp: ORDERS_READ }, { issuedAt: -7200, expiresIn: 3600 }),
    expect: { status: 401, code: 'token_expired' },
    saw: described,
  },
  {
    method: 'GET',
    path: '/orders',
    token: 'user, other tenant',
    makeToken: (e) => e.createToken({ scp: ORDERS_READ }, { tenantId: OTHER_TENANT }),
    expect: { status: 401, code: 'invalid_issuer' },
    saw: described,
  },
  {
    method: 'POST',
    path: '/orders/export',
    token: `app: ${ORDERS_EXPORT}`,
    makeToken: (e) => e.createToken({ roles: [ORDERS_EXPORT] }, { kind: 'app' }),
    expect: { status: 200 },
    saw: (a) => `app ${String(a.body.requestedBy).slice(0, 8)}… exported ${a.body.orders} orders`,
  },
  {
    method: 'POST',
    path: '/orders/export',
    token: `user: ${ORDERS_READ}`,
    makeToken: (e) => e.createToken({ scp: ORDERS_READ }),
    expect: { status: 403, code: 'insufficient_role' },
    saw: described,
  },
  {
    method: 'GET',
    path: '/me',
    token: 'Graph token',
    makeToken: (e) => e.createToken({}, { kind: 'graph' }),
    expect: { status: 401, code: 'foreign_token' },
    saw: described,
    check: (a) => (/Graph/.test(described(a)) ? undefined : 'no hint about the Graph token'),
  },
  {
    method: 'GET',
    path: '/me',
    token: 'ID token',
    makeToken: (e) => e.createToken({}, { kind: 'id' }),
    expect: { status: 401, code: 'foreign_token' },
    saw: described,
  },
  // Customers: the same API trusts an Azure AD B2C tenant and an Entra External ID tenant too.
  {
    method: 'GET',
    path: '/me',
    token: 'B2C customer',
    makeToken: (_e, c) => c.b2c.createToken({ scp: ORDERS_READ }),
    expect: { status: 200 },
    saw: (a) =>
      `B2C ${a.body.kind} ${a.body.name} via ${a.body.policy}, tenant ${String(a.body.tenantId).slice(0, 8)}… ` +
      `(from the issuer: no tid), scp ${a.body.scopes.join(' ')}, v${a.body.tokenVersion}`,
    check: (a) => (a.body.policy === 'B2C_1_signupsignin' ? undefined : 'the B2C policy is missing'),
  },
  {
    method: 'GET',
    path: '/orders',
    token: `B2C customer: ${ORDERS_READ}`,
    makeToken: (_e, c) => c.b2c.createToken({ scp: ORDERS_READ }),
    expect: { status: 200 },
    saw: (a) => `${a.body.readBy} read ${a.body.orders?.length} orders`,
  },
  {
    method: 'GET',
    path: '/me',
    token: 'B2C, policy not accepted',
    makeToken: (_e, c) => c.b2c.createToken({ scp: ORDERS_READ }, { policy: 'B2C_1_legacy_signin' }),
    expect: { status: 401, code: 'invalid_issuer' },
    saw: described,
  },
  {
    method: 'GET',
    path: '/me',
    token: 'External ID customer',
    makeToken: (_e, c) => c.externalId.createToken({ scp: ORDERS_READ }),
    expect: { status: 200 },
    saw: (a) =>
      `External ID ${a.body.kind} ${a.body.name}, tenant ${String(a.body.tenantId).slice(0, 8)}…, ` +
      `scp ${a.body.scopes.join(' ')}, v${a.body.tokenVersion}`,
  },
  {
    method: 'GET',
    path: '/me',
    token: 'External ID, other tenant',
    makeToken: (_e, c) => c.externalId.createToken({ scp: ORDERS_READ }, { tenantId: OTHER_TENANT }),
    expect: { status: 401, code: 'invalid_issuer' },
    saw: described,
  },
];

async function listen(server: Server): Promise<string> {
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Runs every call against fresh look-alikes and API, and closes them. */
export async function runDemo(): Promise<DemoResult> {
  const [entra, b2c, externalId] = await Promise.all([
    createMockEntra(),
    createMockEntra({ flavour: 'b2c', policies: ['B2C_1_signupsignin'] }),
    createMockEntra({ flavour: 'externalId', tenantId: '3f8c1a2b-4d5e-4f60-9a7b-8c9d0e1f2a3b' }),
  ]);
  const customers: Customers = { b2c, externalId };
  // Metrics go to an OpenTelemetry MeterProvider: in production, one with a Prometheus or OTLP exporter.
  const reader = new CollectOnce();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const onEvent = entraTelemetry({ meterProvider });
  // Employees, B2C customers and External ID customers: each token goes, by its issuer, to its own.
  const validator = combineValidators([
    createEntraValidator(entra.validatorOptions({ onEvent })),
    createEntraValidator(b2c.validatorOptions({ onEvent })),
    createEntraValidator(externalId.validatorOptions({ onEvent })),
  ]);
  const server = createApp({ auth: validator, allowedOrigin: SPA_ORIGIN }).listen(0, '127.0.0.1');
  try {
    const apiUrl = await listen(server);
    const rows: DemoRow[] = [];
    for (const call of CALLS) {
      const headers: Record<string, string> = { ...call.headers };
      if (call.makeToken) headers.authorization = `Bearer ${call.makeToken(entra, customers)}`;
      const row: DemoRow = {
        request: `${call.method} ${call.path}`,
        token: call.token,
        expectedStatus: call.expect.status,
        expectedCode: call.expect.code ?? '-',
        status: 0,
        code: '-',
        saw: '',
        ok: false,
      };
      try {
        const response = await fetch(apiUrl + call.path, { method: call.method, headers });
        const text = await response.text();
        let body: any;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
        const answer: Answer = { status: response.status, headers: response.headers, body };
        row.status = answer.status;
        row.code = response.ok ? '-' : (body?.error ?? '?');
        row.saw = call.saw(answer);
        if (row.status !== row.expectedStatus || row.code !== row.expectedCode) {
          row.problem = `expected ${row.expectedStatus} ${row.expectedCode}`;
        } else {
          row.problem = call.check?.(answer);
        }
      } catch (error) {
        row.problem = `request failed: ${(error as Error).message}`;
      }
      row.ok = row.problem === undefined;
      if (row.ok) delete row.problem;
      rows.push(row);
    }
    const telemetry = await summarize(reader);
    await meterProvider.shutdown();
    return {
      rows,
      telemetry,
      ok: rows.every((r) => r.ok),
      authority: entra.authority,
      customerAuthorities: { b2c: b2c.authority, externalId: externalId.authority },
      apiUrl,
    };
  } finally {
    server.close();
    server.closeAllConnections();
    validator.close();
    await Promise.all([entra.close(), b2c.close(), externalId.close()]);
  }
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines;
}

/** The table the demo prints; the last column wraps to fit `columns`. */
export function formatTable(result: DemoResult, columns = 120): string {
  const head = ['', 'request', 'token', 'status', 'code', 'what the API saw'];
  const cells = result.rows.map((r) => [
    r.ok ? '✓' : '✗',
    r.request,
    r.token,
    r.status ? String(r.status) : '—',
    r.code,
    r.saw,
  ]);
  const last = head.length - 1;
  const widths = head.map((h, c) =>
    Math.max(h.length, ...cells.map((row) => (c === last ? 0 : row[c]!.length))),
  );
  const indent = widths.slice(0, last).reduce((sum, w) => sum + w + 2, 0);
  const sawWidth = Math.max(32, columns - indent - 1);
  const blank = widths.slice(0, last).map(() => '');
  const pad = (row: string[]) =>
    row
      .map((cell, c) => (c === last ? cell : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const out = [pad(head), pad(widths.map((w, c) => '-'.repeat(c === last ? sawWidth : w)))];
  result.rows.forEach((r, i) => {
    const [first = '', ...rest] = wrap(cells[i]![last]!, sawWidth);
    out.push(pad([...cells[i]!.slice(0, last), first]));
    for (const more of rest) out.push(pad([...blank, more]));
    if (!r.ok) out.push(pad([...blank, `^ WRONG: ${r.problem}`]));
  });
  return out.join('\n');
}

async function main(): Promise<void> {
  const result = await runDemo();
  const passed = result.rows.filter((r) => r.ok).length;
  console.log(
    `\nLocal Entra look-alikes: workforce ${result.authority}, B2C ${result.customerAuthorities.b2c}, ` +
      `External ID ${result.customerAuthorities.externalId}; Orders API (Express) on ${result.apiUrl}\n`,
  );
  console.log(formatTable(result, process.stdout.columns || 120));
  console.log(
    `\n${passed} of ${result.rows.length} calls behaved as expected${result.ok ? '.' : ': see the rows marked ✗.'}`,
  );
  console.log(`\n${formatTelemetry(result.telemetry)}`);
  console.log(
    'Run the API yourself: pnpm --filter express-api start (local look-alike, prints tokens and curl commands),\n' +
      'or with ENTRA_TENANT_ID and ENTRA_CLIENT_ID set against your tenant: see examples/express-api/README.md.',
  );
  process.exitCode = result.ok ? 0 : 1;
}

// Run when executed (node dist/demo.js), not when imported (the test imports runDemo).
const entry = process.argv[1];
if (entry !== undefined && realpathSync(entry) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
