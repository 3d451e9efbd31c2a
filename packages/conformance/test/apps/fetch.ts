import { serve } from '@hono/node-server';
import {
  createEntraValidator,
  type EntraProtectedHandler,
  type EntraValidator,
  type EntraValidatorOptions,
  requireAppOnly,
  requireDelegated,
  withEntraAuth,
} from '@org/entra-fetch';
import { Hono } from 'hono';
import { answer, type ConformanceTarget, inProcess, overHttp, ROUTES } from '../../src/index.js';

type Handler = EntraProtectedHandler<[]>;

/** One wrapped handler per route; the first gets `auth` (options or a validator), the rest share its validator. */
function handlers(
  auth: EntraValidatorOptions | EntraValidator,
  corsPreflight: 'pass' | 'authenticate',
): Map<string, Handler> {
  const map = new Map<string, Handler>();
  let shared = auth;
  for (const route of ROUTES) {
    const wrapped = withEntraAuth(
      shared,
      (request, principal) => {
        // A passed preflight carries no principal; anything else is checked (an EntraAuthError thrown
        // here is answered by the wrapper like its own).
        if (principal !== undefined && route.caller === 'app') requireAppOnly(principal);
        if (principal !== undefined && route.caller === 'user') requireDelegated(principal);
        const a = answer(request.method, principal);
        return a.status === 204 ? new Response(null, { status: 204 }) : Response.json(a.body);
      },
      {
        corsPreflight,
        optional: route.optional,
        scopes: route.scopes ?? route.scopeOrRole?.scopes,
        roles: route.roles ?? route.scopeOrRole?.roles,
      },
    );
    shared = wrapped.validator;
    map.set(route.path, wrapped);
  }
  return map;
}

const notFound = async (_request: Request): Promise<Response> => new Response('not found', { status: 404 });

/** Plain fetch handlers, given real Web `Request`s in process, sharing a validator the test creates. */
export const fetchTarget: ConformanceTarget = {
  name: 'fetch (Request in process)',
  async start({ auth, corsPreflight }) {
    const validator = createEntraValidator(auth);
    const routes = handlers(validator, corsPreflight);
    const app = (request: Request) => (routes.get(new URL(request.url).pathname) ?? notFound)(request);
    return inProcess(app, async () => validator.close());
  },
};

/** The same handlers in Hono (`c.req.raw` is the Web Request), served by @hono/node-server. */
export const honoTarget: ConformanceTarget = {
  name: 'hono (node-server)',
  async start({ auth, corsPreflight }) {
    const app = new Hono();
    const routes = handlers(auth, corsPreflight);
    for (const [path, handler] of routes) app.all(path, (c) => handler(c.req.raw));
    const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
      (resolve) => {
        const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
          resolve({ server: s, port: info.port }),
        );
      },
    );
    return overHttp(`http://127.0.0.1:${port}`, async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      routes.get('/me')?.validator.close();
    });
  },
};
