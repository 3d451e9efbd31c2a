/**
 * A property over generated requests: every adapter (Express 4/5, Koa 2/3, Fastify 4/5, fetch, Hono, NestJS)
 * gives the same status, challenge, cache and retry headers and body, and every answer is one the
 * contract allows (RFC 6750 challenge, JSON error body).
 *
 * The requests come from a seeded generator (this package has no fast-check dependency): FC_SEED
 * replays another set, as in the core's property tests. A failure names the seed and the request.
 */

import type { EntraValidatorOptions } from '@org/entra-core';
import { createMockEntra, createMockGraph, type MockEntra, type MockGraph } from '@org/entra-testing';
import express5 from 'express';
import express4 from 'express4';
import fastify5 from 'fastify';
import fastify4 from 'fastify4';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONTRACT, challengeProblems, FC_SEED, isSafeMessage } from '../../core/test/attack/support.js';
import {
  type ConformanceTarget,
  ROUTES,
  type StartedApp,
  type TestRequest,
  type TestResponse,
} from '../src/index.js';
import { azureFunctionsTarget } from './apps/azure-functions.js';
import { expressTarget } from './apps/express.js';
import { fastifyTarget } from './apps/fastify.js';
import { fetchTarget } from './apps/fetch.js';
import { honoTarget } from './apps/hono.js';
import { koaTarget } from './apps/koa.js';
import { nestTarget } from './apps/nestjs.js';

const TARGETS: readonly ConformanceTarget[] = [
  expressTarget('express 5', express5),
  expressTarget('express 4', express4),
  koaTarget('koa 3', Koa3),
  koaTarget('koa 2', Koa2),
  fastifyTarget('fastify 5', fastify5),
  fastifyTarget('fastify 4', fastify4 as unknown as typeof fastify5),
  fetchTarget,
  honoTarget,
  azureFunctionsTarget,
  nestTarget('nestjs 11 (express)', 'express'),
  nestTarget('nestjs 11 (fastify)', 'fastify'),
];
const REQUESTS = 200;
const OTHER_TENANT = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

/** mulberry32: small, seeded, good enough to pick test inputs. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(kit: MockEntra, next: () => number): TestRequest[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const some = <T>(list: readonly T[]): T[] => list.filter(() => next() < 0.4);
  const SCOPES = ['Orders.Read', 'Orders.Write', 'orders.read', 'Orders.Read.All', 'User.Read'];
  const ROLES = ['Orders.Admin', 'Orders.Read.All', 'Orders.Read', 'orders.admin'];
  const garbage = (): string => {
    const chars =
      ' \t!"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~éÿ';
    return Array.from({ length: Math.floor(next() * 40) }, () => pick([...chars])).join('');
  };
  const tokens: Array<() => string> = [
    () =>
      kit.createToken({
        scp: some(SCOPES).join(' ') || undefined,
        roles: next() < 0.3 ? some(ROLES) : undefined,
      }),
    () => kit.createToken({ roles: some(ROLES) }, { kind: 'app' }),
    () => kit.createToken({ roles: some(ROLES), idtyp: undefined }, { kind: 'app' }),
    () => kit.createToken({}, { version: '1.0' }),
    () => kit.createToken({}, { issuedAt: -7200, expiresIn: 3600 }),
    () => kit.createToken({}, { issuedAt: 3600, notBefore: 3600 }),
    () => kit.createToken({}, { tenantId: OTHER_TENANT }),
    () => kit.createToken({}, { kind: 'graph' }),
    () => kit.createToken({}, { kind: 'id' }),
    () => kit.createToken({ aud: 'api://billing' }),
    () => kit.createToken({ scp: undefined }),
    () => kit.createToken({}, { signWith: 'unpublished' }),
    () => kit.createToken({}, { header: { alg: pick(['none', 'HS256', 'RS384']) } }),
    () => {
      const t = kit.createToken();
      const at = Math.floor(next() * t.length);
      return `${t.slice(0, at)}${pick(['A', '_', '.', '='])}${t.slice(at + 1)}`;
    },
    () => kit.createToken().slice(0, Math.floor(next() * 300)),
  ];
  const authorization = (): string | undefined => {
    const r = next();
    if (r < 0.1) return undefined;
    if (r < 0.15) return '';
    if (r < 0.25) return garbage();
    const token = pick(tokens)();
    const scheme = pick(['Bearer', 'Bearer', 'Bearer', 'bearer', 'BEARER', 'Basic', 'Token', 'Bearer,']);
    const gap = pick([' ', ' ', '  ', '\t', '']);
    const around = pick(['', '', ' ', '\t', ' x', ',', '"']);
    return `${pick(['', '', ' '])}${scheme}${gap}${token}${around}`;
  };
  return Array.from({ length: REQUESTS }, () => {
    const headers: Record<string, string> = {};
    const value = authorization();
    if (value !== undefined) headers.authorization = value;
    const method = next() < 0.8 ? 'GET' : 'OPTIONS';
    if (method === 'OPTIONS' && next() < 0.6) {
      headers.origin = 'https://app.example';
      headers['access-control-request-method'] = 'GET';
    }
    return { method, path: pick(ROUTES).path, headers };
  });
}

interface Observed {
  status: number;
  wwwAuthenticate: string | undefined;
  cacheControl: string | undefined;
  retryAfter: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

function observe(res: TestResponse): Observed {
  let body: unknown = res.body;
  try {
    body = res.body === '' ? '' : JSON.parse(res.body);
  } catch {
    // not JSON: compared as text
  }
  return {
    status: res.status,
    wwwAuthenticate: res.headers['www-authenticate'],
    cacheControl: res.headers['cache-control'],
    retryAfter: res.headers['retry-after'],
    // Success bodies are the app's own: only an error's content type is the adapter's.
    contentType: res.status >= 400 ? res.headers['content-type'] : undefined,
    body,
  };
}

let kit: MockEntra;
let graphs: MockGraph[] = [];
let requests: TestRequest[] = [];
const apps = new Map<string, StartedApp>();

beforeAll(async () => {
  kit = await createMockEntra();
  graphs = await Promise.all([createMockGraph(), createMockGraph()]);
  const [graph, graphDown] = graphs as [MockGraph, MockGraph];
  graphDown.setFault('down');
  const groups = {
    up: { getGraphToken: () => 'graph-token', graphUrl: graph.url },
    down: { getGraphToken: () => 'graph-token', graphUrl: graphDown.url },
  };
  requests = generate(kit, random(FC_SEED));
  for (const target of TARGETS) {
    apps.set(
      target.name,
      await target.start({
        auth: kit.validatorOptions() as EntraValidatorOptions,
        corsPreflight: undefined,
        groups,
      }),
    );
  }
});
afterAll(async () => {
  await Promise.all([...apps.values()].map((app) => app.close()));
  await Promise.all([kit?.close(), ...graphs.map((g) => g.close())]);
});

describe(`every adapter answers generated requests alike (FC_SEED=${FC_SEED})`, () => {
  test(`${REQUESTS} generated requests, ${TARGETS.length} adapters`, async () => {
    const statuses = new Set<number>();
    for (const [i, request] of requests.entries()) {
      const seen: Array<[string, Observed]> = [];
      for (const target of TARGETS) {
        seen.push([target.name, observe(await (apps.get(target.name) as StartedApp).send(request))]);
      }
      const label = `request ${i} (FC_SEED=${FC_SEED}): ${JSON.stringify(request)}`;
      const [, reference] = seen[0] as [string, Observed];
      for (const [name, answer] of seen) expect(answer, `${label}, ${name}`).toEqual(reference);
      statuses.add(reference.status);
      expect([200, 204, 400, 401, 403], label).toContain(reference.status);
      if (reference.status >= 400) {
        const body = reference.body as { error: keyof typeof CONTRACT; error_description: string };
        expect(Object.keys(body).sort(), label).toEqual(['error', 'error_description']);
        expect(CONTRACT[body.error]?.status, label).toBe(reference.status);
        expect(challengeProblems(reference.wwwAuthenticate, CONTRACT[body.error].challenge), label).toEqual(
          [],
        );
        expect(isSafeMessage(body.error_description), label).toBe(true);
        expect(reference.cacheControl, label).toBe('no-store');
      }
    }
    // The generator reaches successes and every kind of refusal.
    for (const status of [200, 400, 401, 403]) expect(statuses.has(status), `status ${status}`).toBe(true);
  }, 60_000);
});
