import { HttpRequest, HttpResponse, InvocationContext } from '@azure/functions';
import {
  createEntraValidator,
  createGroupsCheck,
  type EntraPrincipal,
  type EntraProtectedHttpHandler,
  isEntraAuthError,
  isEntraValidator,
  requireAppOnly,
  requireAuthContext,
  requireDelegated,
  requireRoles,
  requireScopes,
  toErrorResponse,
  withEntraAuth,
} from '@org/entra-azure-functions';
import {
  type AppConfig,
  answer,
  type ConformanceTarget,
  preflightOption,
  ROUTES,
  type RouteSpec,
  type StartedApp,
} from '../../src/index.js';

type Handler = (request: HttpRequest, context: InvocationContext) => Promise<unknown>;

/**
 * The checks the other adapters make with guard middleware that `withEntraAuth` has no place for (as
 * in the fetch target): after an optional authentication, with none at all, the kind of caller, and
 * the in-handler checks, all with the helpers this package re-exports.
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
) => {
  checkInHandler(route, principal);
  // As in fetch, the group check runs in the handler; its refusal is answered like the wrapper's own.
  if (route.groups) await createGroupsCheck(route.groups.ids, groups[route.groups.graph])(principal);
  return { jsonBody: answer(principal).body };
};

/** No authentication before the check: a plain Functions handler, refusing as a guard without a principal does. */
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

/**
 * The Functions host in process: each scenario's request becomes `@azure/functions`' own
 * `HttpRequest` (repeated headers joined with `, `, as the platform does), the handler of its route
 * is called with a fresh `InvocationContext`, and what it returns goes through the package's own
 * `HttpResponse`, as the host sends it.
 */
export const azureFunctionsTarget: ConformanceTarget = {
  name: 'azure functions (HttpRequest in process)',
  async start(config): Promise<StartedApp> {
    // The combined validator is given (the runner closes it); otherwise the target owns its own.
    const owned = !isEntraValidator(config.auth);
    const validator = isEntraValidator(config.auth) ? config.auth : createEntraValidator(config.auth);
    const routes = new Map<string, Handler>();
    for (const route of ROUTES) {
      if (route.auth === 'none') {
        routes.set(route.path, unauthenticated(route, config.groups));
        continue;
      }
      const handler: EntraProtectedHttpHandler = withEntraAuth(
        validator,
        (_request, principal: EntraPrincipal | undefined) => respond(route, principal, config.groups),
        {
          ...preflightOption(config),
          optional: route.optional,
          scopes: route.optional ? undefined : (route.scopes ?? route.scopeOrRole?.scopes),
          roles: route.roles ?? route.scopeOrRole?.roles,
        },
      );
      routes.set(route.path, handler);
    }
    return {
      async send(req) {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          headers[name] = typeof value === 'string' ? value : value.join(', ');
        }
        const url = new URL(req.path, 'https://orders.azurewebsites.net');
        const handler = routes.get(url.pathname);
        if (handler === undefined) return { status: 404, headers: {}, body: 'not found' };
        const request = new HttpRequest({ method: req.method, url: url.href, headers });
        const context = new InvocationContext({ functionName: url.pathname.slice(1) });
        const response = new HttpResponse((await handler(request, context)) as never);
        const answered: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          answered[name] = value;
        });
        return { status: response.status, headers: answered, body: await response.text() };
      },
      async close() {
        if (owned) validator.close();
      },
    };
  },
};
