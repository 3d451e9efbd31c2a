import { createGroupsCheck } from '@org/entra-core';
import {
  type CorsPreflightMode,
  createEntraValidator,
  type EntraPrincipal,
  type EntraProtectedHandler,
  type EntraValidator,
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
import {
  type AppConfig,
  answer,
  type ConformanceTarget,
  inProcess,
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

const respond = async (
  route: RouteSpec,
  principal: EntraPrincipal | undefined,
  groups: AppConfig['groups'],
): Promise<Response> => {
  checkInHandler(route, principal);
  // No guard middleware in fetch: the group check runs in the handler, and its refusal is answered
  // by the wrapper like its own.
  if (route.groups) await createGroupsCheck(route.groups.ids, groups[route.groups.graph])(principal);
  return Response.json(answer(principal).body);
};

/** No authentication before the check: a plain handler, refusing as a guard without a principal does. */
const unauthenticated =
  (route: RouteSpec, groups: AppConfig['groups']): Handler =>
  async () => {
    try {
      return await respond(route, undefined, groups);
    } catch (error) {
      if (isEntraAuthError(error)) return toErrorResponse(error);
      throw error;
    }
  };

/** One wrapped handler per route, sharing the validator. */
function handlers(
  validator: EntraValidator,
  corsPreflight: CorsPreflightMode | undefined,
  groups: AppConfig['groups'],
): Map<string, Handler> {
  const map = new Map<string, Handler>();
  for (const route of ROUTES) {
    if (route.auth === 'none') {
      map.set(route.path, unauthenticated(route, groups));
      continue;
    }
    const wrapped: EntraProtectedHandler<[]> = withEntraAuth(
      validator,
      (_request, principal: EntraPrincipal | undefined) => respond(route, principal, groups),
      {
        ...(corsPreflight === undefined ? {} : { corsPreflight }),
        optional: route.optional,
        scopes: route.optional ? undefined : (route.scopes ?? route.scopeOrRole?.scopes),
        roles: route.roles ?? route.scopeOrRole?.roles,
      },
    );
    map.set(route.path, wrapped);
  }
  return map;
}

const notFound = async (_request: Request): Promise<Response> => new Response('not found', { status: 404 });

/** Plain fetch handlers, given real Web `Request`s in process, sharing a validator the test creates. */
export const fetchTarget: ConformanceTarget = {
  name: 'fetch (Request in process)',
  async start({ auth, corsPreflight, groups }) {
    const validator = isEntraValidator(auth) ? auth : createEntraValidator(auth);
    const routes = handlers(validator, corsPreflight, groups);
    const app = (request: Request) => (routes.get(new URL(request.url).pathname) ?? notFound)(request);
    return inProcess(app, async () => validator.close());
  },
};
