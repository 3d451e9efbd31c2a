import { serve } from '@hono/node-server';
import {
  type CorsPreflightMode,
  createEntraValidator,
  type EntraPrincipal,
  type EntraProtectedHandler,
  type EntraValidator,
  type EntraValidatorOptions,
  isEntraAuthError,
  isEntraValidator,
  requireAppOnly,
  requireAuthContext,
  requireDelegated,
  requireRoles,
  requireScopes,
  toErrorResponse,
  withEntraAuth,
} from '@org/entra-fetch';
import { Hono } from 'hono';
import {
  answer,
  type ConformanceTarget,
  inProcess,
  overHttp,
  ROUTES,
  type RouteSpec,
} from '../../src/index.js';

type Handler = (request: Request) => Promise<Response>;

/**
 * The checks the other adapters make with guard middleware that fetch has no place for: after an
 * optional authentication (the wrapper refuses `optional` with `scopes`), with none at all, and the
 * kind of caller. A guard lets a preflight passed on with `corsPreflight: 'pass'` through: on the
 * routes the table sends those to (not optional ones), that is the request without a principal.
 */
function checkInHandler(route: RouteSpec, principal: EntraPrincipal | undefined): void {
  if ((route.optional || route.auth === 'none') && route.scopes) requireScopes(principal, route.scopes);
  if (principal !== undefined && route.caller === 'app') requireAppOnly(principal);
  if (principal !== undefined && route.caller === 'user') requireDelegated(principal);
  if (route.inHandler !== undefined) {
    requireRoles(principal, route.inHandler.roles);
    requireAuthContext(principal, route.inHandler.authContext);
  }
}

const respond = (route: RouteSpec, principal: EntraPrincipal | undefined): Response => {
  checkInHandler(route, principal);
  return Response.json(answer(principal).body);
};

/** No authentication before the check: a plain handler, refusing as a guard without a principal does. */
const unauthenticated =
  (route: RouteSpec): Handler =>
  async () => {
    try {
      return respond(route, undefined);
    } catch (error) {
      if (isEntraAuthError(error)) return toErrorResponse(error);
      throw error;
    }
  };

/** One wrapped handler per route; the first gets `auth` (options or a validator), the rest share its validator. */
function handlers(
  auth: EntraValidatorOptions | EntraValidator,
  corsPreflight: CorsPreflightMode | undefined,
): { routes: Map<string, Handler>; validator: () => EntraValidator | undefined } {
  const map = new Map<string, Handler>();
  let shared = auth;
  let validator: EntraValidator | undefined;
  for (const route of ROUTES) {
    if (route.auth === 'none') {
      map.set(route.path, unauthenticated(route));
      continue;
    }
    const wrapped: EntraProtectedHandler<[]> = withEntraAuth(
      shared,
      (_request, principal: EntraPrincipal | undefined) => respond(route, principal),
      {
        ...(corsPreflight === undefined ? {} : { corsPreflight }),
        optional: route.optional,
        scopes: route.optional ? undefined : (route.scopes ?? route.scopeOrRole?.scopes),
        roles: route.roles ?? route.scopeOrRole?.roles,
      },
    );
    validator ??= wrapped.validator;
    shared = wrapped.validator;
    map.set(route.path, wrapped);
  }
  return { routes: map, validator: () => validator };
}

const notFound = async (_request: Request): Promise<Response> => new Response('not found', { status: 404 });

/** Plain fetch handlers, given real Web `Request`s in process, sharing a validator the test creates. */
export const fetchTarget: ConformanceTarget = {
  name: 'fetch (Request in process)',
  async start({ auth, corsPreflight }) {
    const validator = isEntraValidator(auth) ? auth : createEntraValidator(auth);
    const { routes } = handlers(validator, corsPreflight);
    const app = (request: Request) => (routes.get(new URL(request.url).pathname) ?? notFound)(request);
    return inProcess(app, async () => validator.close());
  },
};

/** The same handlers in Hono (`c.req.raw` is the Web Request), served by @hono/node-server. */
export const honoTarget: ConformanceTarget = {
  name: 'hono (node-server)',
  async start({ auth, corsPreflight }) {
    const app = new Hono();
    const { routes, validator } = handlers(auth, corsPreflight);
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
      validator()?.close();
    });
  },
};
