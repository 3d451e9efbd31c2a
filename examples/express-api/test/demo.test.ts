import { expect, test } from 'vitest';
import { formatTable, formatTelemetry, runDemo } from '../src/demo.js';

test('the demo: every call behaves as expected', async () => {
  const result = await runDemo();
  const failed = result.rows.filter((r) => !r.ok);
  expect(failed, formatTable(result)).toEqual([]);
  expect(result.ok).toBe(true);
  expect(result.rows.length).toBeGreaterThanOrEqual(10);
  const statuses = result.rows.map((r) => `${r.request} ${r.status} ${r.code}`);
  expect(statuses).toContain('GET /orders 401 missing_token');
  expect(statuses).toContain('GET /orders 200 -');
  expect(statuses).toContain('GET /orders 403 insufficient_scope');
  expect(statuses).toContain('GET /orders 401 token_expired');
  expect(statuses).toContain('POST /orders/export 200 -');
  expect(statuses).toContain('GET /me 401 foreign_token');
  // Customers, through the combined validator.
  const customers = result.rows.filter((r) => /B2C|External ID/.test(r.token));
  expect(customers.map((r) => `${r.token}: ${r.status} ${r.code}`)).toEqual([
    'B2C customer: 200 -',
    'B2C customer: Orders.Read: 200 -',
    'B2C, policy not accepted: 401 invalid_issuer',
    'External ID customer: 200 -',
    'External ID, other tenant: 401 invalid_issuer',
  ]);
  expect(customers[0]?.saw).toContain('via B2C_1_signupsignin');
  const table = formatTable(result, 120);
  expect(table.split('\n').every((line) => line.length <= 120)).toBe(true);
  expect(table).toContain('✓');
  expect(table).not.toContain('✗');
});

test('the telemetry summary counts what the validators decided, by outcome and code', async () => {
  const { rows, telemetry } = await runDemo();
  // Rows with a token answered 200 or 403 (a permission the route lacks) had it verified; every 401
  // is a refusal by the validator (no token on a protected route included), by its code.
  const withToken = rows.filter((r) => !r.token.startsWith('none'));
  const refused: Record<string, number> = {};
  for (const r of rows.filter((r) => r.status === 401)) refused[r.code] = (refused[r.code] ?? 0) + 1;
  expect(telemetry.accepted).toBe(withToken.filter((r) => r.status === 200 || r.status === 403).length);
  expect(telemetry.rejected).toEqual(refused);
  expect(telemetry.rejected.token_expired).toBe(1);
  // One key set per issuer (workforce, one B2C policy, External ID), fetched once each.
  expect(telemetry.fetches['key sets ok']).toBe(3);
  const summary = formatTelemetry(telemetry);
  expect(summary).toContain(`verifications accepted ${telemetry.accepted}`);
  expect(summary).toContain('token_expired 1');
});

test('a wrong answer is shown as a failed row', () => {
  const table = formatTable({
    ok: false,
    authority: 'http://127.0.0.1:1',
    customerAuthorities: { b2c: 'http://127.0.0.1:3', externalId: 'http://127.0.0.1:4' },
    apiUrl: 'http://127.0.0.1:2',
    telemetry: { accepted: 0, rejected: {}, fetches: {} },
    rows: [
      {
        request: 'GET /orders',
        token: 'none',
        expectedStatus: 401,
        expectedCode: 'missing_token',
        status: 200,
        code: '-',
        saw: 'oops',
        ok: false,
        problem: 'expected 401 missing_token',
      },
    ],
  });
  expect(table).toContain('✗');
  expect(table).toContain('WRONG: expected 401 missing_token');
});
