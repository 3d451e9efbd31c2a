import {
  createRoleCheck,
  type EntraPrincipal,
  type EntraValidator,
  entraAuth,
  isEntraValidator,
  requireAppOnly,
  requireAuthContext,
  requireDelegated,
  requireGroups,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from '@org/entra-fastify';
import type fastify from 'fastify';
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import {
  type AppConfig,
  answer,
  type ConformanceTarget,
  overHttp,
  preflightOption,
  ROUTES,
  type RouteSpec,
} from '../../src/index.js';

function guards(route: RouteSpec, config: AppConfig): preHandlerAsyncHookHandler[] {
  if (route.groups) return [requireGroups(route.groups.ids, config.groups[route.groups.graph])];
  if (route.scopes) return [requireScopes(route.scopes)];
  if (route.roles) return [requireRoles(route.roles)];
  if (route.scopeOrRole) return [requireScopeOrRole(route.scopeOrRole)];
  if (route.caller) return [route.caller === 'app' ? requireAppOnly() : requireDelegated()];
  return [];
}

/** The route's own checks, run by its handler with the core's helpers (re-exported by the adapter). */
function checkInHandler(route: RouteSpec, principal: EntraPrincipal | undefined): void {
  if (route.inHandler === undefined) return;
  createRoleCheck(route.inHandler.roles)(principal);
  requireAuthContext(principal, route.inHandler.authContext);
}

function routes(scope: FastifyInstance, config: AppConfig, which: (route: RouteSpec) => boolean): void {
  for (const route of ROUTES.filter(which)) {
    scope.route({
      method: ['GET', 'OPTIONS'],
      url: route.path,
      preHandler: guards(route, config),
      handler: async (request) => {
        checkInHandler(route, request.auth);
        return answer(request.auth).body;
      },
    });
  }
}

/**
 * The conformance app in Fastify (4 or 5: the factory decides). Two sibling scopes: one registers the
 * plugin with options (it owns the validator), the other shares that validator with `optional: true`;
 * routes without authentication are declared at the root, outside both.
 */
export function fastifyTarget(name: string, createApp: typeof fastify): ConformanceTarget {
  return {
    name,
    async start(config) {
      const app = createApp();
      let shared: EntraValidator | undefined;
      await app.register(async (scope) => {
        await scope.register(
          entraAuth,
          isEntraValidator(config.auth)
            ? { validator: config.auth, ...preflightOption(config) }
            : { ...config.auth, ...preflightOption(config) },
        );
        shared = scope.entra;
        routes(scope, config, (r) => r.auth !== 'none' && !r.optional);
      });
      await app.register(async (scope) => {
        await scope.register(entraAuth, { validator: shared!, ...preflightOption(config), optional: true });
        routes(scope, config, (r) => r.auth !== 'none' && r.optional === true);
      });
      routes(app, config, (r) => r.auth === 'none');
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      return overHttp(url, () => app.close());
    },
  };
}
