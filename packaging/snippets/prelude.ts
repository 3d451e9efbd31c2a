/**
 * Names the documentation's TypeScript snippets use without declaring them: the API's own
 * configuration (`tenantId`), objects made elsewhere on the page (`validator`, `entra`), your own
 * functions (`listOrders`). Each entry is the TypeScript that declares one name. A snippet gets the
 * entry of each name it uses and does not declare itself, placed after its own code (so the
 * snippet's line numbers stay those of the Markdown file).
 *
 * `app` (and what goes with it) depends on the framework of the snippet: the adapter it imports
 * (`@org/entra-koa` → Koa), else the package whose README it is in, else Express.
 *
 * Add a name here when a new snippet needs one; prefer a real import in the snippet when the name
 * comes from a package (readers copy snippets).
 */

export const COMMON: Readonly<Record<string, string>> = {
  tenantId: 'declare const tenantId: string;',
  clientId: 'declare const clientId: string;',
  token: 'declare const token: string;',
  validator:
    "import type { EntraValidator as __Validator } from '@org/entra-core';\ndeclare const validator: __Validator;",
  principal:
    "import type { EntraPrincipal as __Principal } from '@org/entra-core';\ndeclare const principal: __Principal;",
  entra:
    "import type { MockEntra as __MockEntra } from '@org/entra-testing';\ndeclare const entra: __MockEntra;",
  // An incoming request: a Web Request, or Node's with `headers.authorization`.
  request: 'declare const request: Request & { headers: Headers & { authorization?: string } };',
  logger: 'declare const logger: { warn(fields: object, message: string): void };',
  metrics:
    'declare const metrics: { gauge(name: string, value: number): void; increment(name: string): void };',
  db: 'declare const db: { customers: { findByTenant(tid: string): Promise<{ active: boolean } | undefined> } };',
  // Your own handlers and helpers: any function the framework accepts.
  handler: 'declare const handler: any;',
  listOrders: 'declare const listOrders: any;',
  createOrder: 'declare const createOrder: any;',
  deleteOrder: 'declare const deleteOrder: any;',
  remove: 'declare const remove: any;',
  reindex: 'declare const reindex: any;',
  feed: 'declare const feed: any;',
  buildApp:
    "import type { EntraValidatorOptions as __Options } from '@org/entra-core';\ndeclare function buildApp(options: __Options): import('express').Express;",
  get: 'declare const get: (path: string, token?: string) => Promise<Response>;',
  // The groups guide: a Graph token provider, a group check, ids.
  getGraphToken:
    "import type { GraphTokenProvider as __GraphTokens } from '@org/entra-core';\ndeclare const getGraphToken: __GraphTokens;",
  ordersAdmins:
    "import type { GroupsCheck as __GroupsCheck } from '@org/entra-core';\ndeclare const ordersAdmins: __GroupsCheck;",
  userOid: 'declare const userOid: string;',
  ordersAdminsId: 'declare const ordersAdminsId: string;',
  apiClientId: 'declare const apiClientId: string;',
  apiClientSecret: 'declare const apiClientSecret: string;',
  // Test runner functions, as in docs/testing.md.
  expect: "import { expect } from 'vitest';",
  test: "import { test } from 'vitest';",
  beforeAll: "import { beforeAll } from 'vitest';",
  afterAll: "import { afterAll } from 'vitest';",
  // Cloudflare Workers' types, as @cloudflare/workers-types names them.
  Env: 'type Env = Record<string, unknown>;',
  ExecutionContext:
    'interface ExecutionContext { waitUntil(promise: Promise<unknown>): void; passThroughOnException(): void }',
};

export type Framework = 'express' | 'koa' | 'fastify' | 'fetch' | 'hono';

export const FRAMEWORK: Readonly<Record<Framework, Readonly<Record<string, string>>>> = {
  express: {
    app: "import type { Express as __Express } from 'express';\ndeclare const app: __Express;",
  },
  koa: {
    app: "import type __Koa from 'koa';\ndeclare const app: __Koa;",
    // @koa/router's shape, for the routing examples.
    router:
      "import type __Koa2 from 'koa';\ndeclare const router: { get(path: string, ...middleware: __Koa2.Middleware[]): unknown; delete(path: string, ...middleware: __Koa2.Middleware[]): unknown };",
  },
  fastify: {
    app: "import type { FastifyInstance as __Fastify } from 'fastify';\ndeclare const app: __Fastify;",
  },
  fetch: {
    app: "import type { Hono as __Hono } from 'hono';\ndeclare const app: __Hono;",
  },
  // @org/entra-hono's own README and guides: an app typed with EntraEnv.
  hono: {
    app: "import type { Hono as __Hono } from 'hono';\nimport type { EntraEnv as __EntraEnv } from '@org/entra-hono';\ndeclare const app: __Hono<__EntraEnv>;",
  },
};
