// src/server.ts's local host over real HTTP: the registered functions, routed by route and method.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEntraValidator, type EntraValidator } from '@org/entra-azure-functions';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { registerOrdersApi } from '../src/functions.js';
import { createLocalHost, FunctionRegistry } from '../src/local-host.js';

let entra: MockEntra;
let validator: EntraValidator;
let server: Server;
let base: string;

beforeAll(async () => {
  entra = await createMockEntra();
  validator = createEntraValidator(entra.validatorOptions());
  const registry = new FunctionRegistry();
  registerOrdersApi(registry, { auth: validator });
  server = createLocalHost(registry).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  server.closeAllConnections();
  validator.close();
  await entra.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('serves the functions on their routes', async () => {
  expect((await fetch(`${base}/health`)).status).toBe(200);
  const orders = await fetch(`${base}/orders`, {
    headers: bearer(entra.createToken({ scp: 'Orders.Read' })),
  });
  expect(orders.status).toBe(200);
  expect((await orders.json()).orders).toHaveLength(3);
  const exported = await fetch(`${base}/orders/export`, {
    method: 'POST',
    headers: bearer(entra.createToken({ roles: ['Orders.Export'] }, { kind: 'app' })),
    body: '{"format":"csv"}',
  });
  expect(exported.status).toBe(200);
  expect((await exported.json()).orders).toBe(3);
});

test('refusals arrive as every adapter sends them', async () => {
  const res = await fetch(`${base}/orders`);
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(await res.json()).toEqual({ error: 'missing_token', error_description: expect.any(String) });
});

test('route parameters, and 404 for an unknown route or method', async () => {
  const css = await fetch(`${base}/docs/swagger-ui.css`);
  expect(css.status).toBe(200);
  expect(css.headers.get('content-type')).toContain('text/css');
  await css.arrayBuffer();
  expect((await fetch(`${base}/docs`)).headers.get('content-type')).toContain('text/html');
  const wrongMethod = await fetch(`${base}/orders/export`);
  expect(wrongMethod.status).toBe(404);
  await wrongMethod.arrayBuffer();
  const unknown = await fetch(`${base}/nothing/here`);
  expect(unknown.status).toBe(404);
  await unknown.arrayBuffer();
});
