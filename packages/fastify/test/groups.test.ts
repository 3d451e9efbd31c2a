// The group guard over real HTTP: the groups claim, the overage answered by Microsoft Graph (a mock
// on 127.0.0.1), Graph unreachable (503), and a route without a principal (401).
import { randomUUID } from 'node:crypto';
import { createMockEntra, createMockGraph, type MockEntra, type MockGraph } from '@org/entra-testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entraAuth, requireGroups } from '../src/index.js';

const ADMINS = '5b2d6c1e-8f3a-4e7b-9c0d-1a2b3c4d5e6f';
let entra: MockEntra;
let graph: MockGraph;
let app: FastifyInstance;
let base = '';

beforeAll(async () => {
  [entra, graph] = await Promise.all([createMockEntra(), createMockGraph()]);
  const options = { getGraphToken: () => 'graph-token', graphUrl: graph.url };
  app = Fastify();
  app.get('/open', { preHandler: requireGroups(ADMINS, options) }, async () => ({ ran: true }));
  await app.register(async (scope) => {
    await scope.register(entraAuth, entra.validatorOptions());
    scope.get('/admin', { preHandler: requireGroups(ADMINS, options) }, async (request) => ({
      oid: request.auth?.objectId,
    }));
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await Promise.all([entra.close(), graph.close()]);
});

const get = (path: string, token?: string) =>
  fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('requireGroups (Fastify)', () => {
  it('passes a member named in the groups claim, without asking Graph', async () => {
    graph.resetCounts();
    const res = await get('/admin', entra.createToken({ groups: [ADMINS] }));
    expect(res.status).toBe(200);
    expect(graph.requestCount()).toBe(0);
  });

  it('refuses a non-member: 403 insufficient_role, answered like every refusal', async () => {
    const res = await get('/admin', entra.createToken({ groups: [randomUUID()] }));
    expect(res.status).toBe(403);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    expect(await res.json()).toMatchObject({ error: 'insufficient_role' });
  });

  it('asks Graph on an overage, once per user', async () => {
    const oid = randomUUID();
    graph.setGroups(oid, [ADMINS]);
    graph.resetCounts();
    for (const uti of ['a', 'b']) {
      const res = await get('/admin', entra.createToken({ oid, hasgroups: true, uti }));
      expect(res.status).toBe(200);
    }
    expect(graph.requestCount()).toBe(1);
  });

  it('answers 503 groups_unavailable with Retry-After when Graph cannot be asked', async () => {
    graph.setFault('down');
    try {
      const res = await get('/admin', entra.createToken({ oid: randomUUID(), hasgroups: true }));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
      expect(await res.json()).toMatchObject({ error: 'groups_unavailable' });
    } finally {
      graph.setFault(null);
    }
  });

  it('refuses with 401 when no authentication ran before it', async () => {
    const res = await get('/open', entra.createToken({ groups: [ADMINS] }));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'missing_token' });
  });
});
