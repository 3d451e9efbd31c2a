import { expect, test } from 'vitest';
import { formatTable, runDemo } from '../src/demo.js';

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

test('a wrong answer is shown as a failed row', () => {
  const table = formatTable({
    ok: false,
    authority: 'http://127.0.0.1:1',
    customerAuthorities: { b2c: 'http://127.0.0.1:3', externalId: 'http://127.0.0.1:4' },
    apiUrl: 'http://127.0.0.1:2',
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
