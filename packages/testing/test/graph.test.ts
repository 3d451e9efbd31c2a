// The mock of Microsoft Graph's getMemberObjects: Graph's answers and errors over real HTTP, counting,
// faults, and options checked like the rest of the kit.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockGraph, type MockGraph } from '../src/index.js';

const USER = '2e8f0c1a-5d4b-4a3e-9c7f-8b6a5d4c3e21';
const APP = '4d7a2c9e-1f3b-4e8a-9d6c-5b0e3f1a7c28';
const GROUP = '5b2d6c1e-8f3a-4e7b-9c0d-1a2b3c4d5e6f';
let graph: MockGraph;

beforeAll(async () => {
  graph = await createMockGraph({ token: 'secret', groups: { [USER]: [GROUP] } });
});
afterAll(() => graph.close());
beforeEach(() => {
  graph.setFault(null);
  graph.resetCounts();
});

async function post(path: string, body: unknown = { securityEnabledOnly: true }, token = 'secret') {
  const response = await fetch(`${graph.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

describe('getMemberObjects', () => {
  it("answers a known user's groups as Graph does, and records the request", async () => {
    const { status, body } = await post(`/v1.0/users/${USER}/getMemberObjects`);
    expect(status).toBe(200);
    expect(body.value).toEqual([GROUP]);
    expect(body['@odata.context']).toContain('Collection(Edm.String)');
    expect(graph.requestCount()).toBe(1);
    expect(graph.requestCount(`/v1.0/users/${USER}/getMemberObjects?x=1`)).toBe(1);
    expect(graph.requests()).toEqual([
      {
        method: 'POST',
        path: `/v1.0/users/${USER}/getMemberObjects`,
        authorization: 'Bearer secret',
        body: { securityEnabledOnly: true },
      },
    ]);
  });

  it('serves service principals, and forgets memberships set to null', async () => {
    graph.setGroups(APP, [GROUP]);
    expect((await post(`/v1.0/servicePrincipals/${APP}/getMemberObjects`)).body.value).toEqual([GROUP]);
    graph.setGroups(APP, null);
    expect((await post(`/v1.0/servicePrincipals/${APP}/getMemberObjects`)).status).toBe(404);
  });

  it("answers Graph's errors: 401 without the token, 404 unknown object, 400 bad body or path, 405 not POST", async () => {
    const unauthorized = await post(`/v1.0/users/${USER}/getMemberObjects`, undefined, 'other');
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.body.error.code).toBe('InvalidAuthenticationToken');
    const unknown = await post(`/v1.0/users/${APP}/getMemberObjects`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('Request_ResourceNotFound');
    expect((await post(`/v1.0/users/${USER}/getMemberObjects`, { securityEnabledOnly: 'yes' })).status).toBe(
      400,
    );
    expect((await post(`/v1.0/users/${USER}/getMemberObjects`, 'not json')).status).toBe(400);
    expect((await post(`/v1.0/users/${USER}/getMemberGroups`)).status).toBe(400);
    const get = await fetch(`${graph.url}/v1.0/users/${USER}/getMemberObjects`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('faults', () => {
  const path = `/v1.0/users/${USER}/getMemberObjects`;

  it('status: Graph-style errors with a code and Retry-After', async () => {
    graph.setFault('status', { status: 403 });
    const denied = await post(path);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('Authorization_RequestDenied');
    graph.setFault('status', { status: 429, retryAfter: 3, code: 'Throttled' });
    const throttled = await post(path);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    expect(throttled.body.error.code).toBe('Throttled');
    graph.setFault('status');
    expect((await post(path)).status).toBe(503);
  });

  it('body, garbage, huge, down and slow', async () => {
    graph.setFault('body', { body: { value: ['x'] } });
    expect((await post(path)).body).toEqual({ value: ['x'] });
    graph.setFault('garbage');
    await expect(post(path)).rejects.toThrow(SyntaxError);
    graph.setFault('huge');
    const huge = await fetch(`${graph.url}${path}`, { method: 'POST' });
    expect(Number(huge.headers.get('content-length'))).toBeGreaterThan(1024 * 1024);
    await huge.arrayBuffer();
    graph.setFault('down');
    await expect(post(path)).rejects.toThrow();
    graph.setFault('slow', { delayMs: 30 });
    const started = performance.now();
    expect((await post(path)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    // An untimed slow answer is released when the fault changes.
    graph.setFault('slow');
    const held = post(path);
    setTimeout(() => graph.setFault(null), 20);
    expect((await held).status).toBe(200);
    expect(graph.requestCount()).toBe(6);
  });
});

describe('options', () => {
  it('are checked with a TypeError that says what is accepted', async () => {
    await expect(createMockGraph({ port: -1 })).rejects.toThrow(TypeError);
    await expect(createMockGraph({ token: '' })).rejects.toThrow(TypeError);
    await expect(createMockGraph({ groups: { 'not-a-guid': [] } })).rejects.toThrow(/GUID/);
    await expect(createMockGraph({ nope: 1 } as never)).rejects.toThrow(/unknown option 'nope'/);
    await expect(createMockGraph(null as never)).rejects.toThrow(TypeError);
    expect(() => graph.setGroups(USER, 'x' as never)).toThrow(TypeError);
    expect(() => graph.setFault('melt' as never)).toThrow(/one of/);
    expect(() => graph.setFault('status', { status: 99 })).toThrow(/status/);
    expect(() => graph.setFault('slow', { delayMs: -1 })).toThrow(/delayMs/);
    expect(() => graph.setFault('status', { retryAfter: 1.5 })).toThrow(/retryAfter/);
    expect(() => graph.setFault('status', { code: 1 as never })).toThrow(/code/);
    expect(() => graph.setFault('status', { target: 'all' } as never)).toThrow(/unknown option 'target'/);
  });

  it('closes idempotently, with await using too', async () => {
    const other = await createMockGraph();
    await other.close();
    await other[Symbol.asyncDispose]();
    await expect(
      fetch(`${other.url}/v1.0/users/${USER}/getMemberObjects`, { method: 'POST' }),
    ).rejects.toThrow();
  });
});
