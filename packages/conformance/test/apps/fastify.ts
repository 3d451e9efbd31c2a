import {
  type EntraValidator,
  entraAuth,
  requireAppOnly,
  requireDelegated,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from '@org/entra-fastify';
import type fastify from 'fastify';
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { answer, type ConformanceTarget, overHttp, ROUTES, type RouteSpec } from '../../src/index.js';

function guards(route: RouteSpec): preHandlerAsyncHookHandler[] {
  if (route.scopes) return [requireScopes(route.scopes)];
  if (route.roles) return [requireRoles(route.roles)];
  if (route.scopeOrRole) return [requireScopeOrRole(route.scopeOrRole)];
  if (route.caller) return [route.caller === 'app' ? requireAppOnly() : requireDelegated()];
  return [];
}

function routes(scope: FastifyInstance, optional: boolean): void {
  for (const route of ROUTES.filter((r) => (r.optional ?? false) === optional)) {
    scope.route({
      method: ['GET', 'OPTIONS'],
      url: route.path,
      preHandler: guards(route),
      handler: async (request, reply) => {
        const a = answer(request.method, request.auth);
        return a.status === 204 ? reply.code(204).send() : a.body;
      },
    });
  }
}

/**
 * The conformance app in Fastify (4 or 5: the factory decides). Two sibling scopes: one registers the
 * plugin with options (it owns the validator), the other shares that validator with `optional: true`.
 */
export function fastifyTarget(name: string, createApp: typeof fastify): ConformanceTarget {
  return {
    name,
    async start({ auth, corsPreflight }) {
      const app = createApp();
      let shared: EntraValidator | undefined;
      await app.register(async (scope) => {
        await scope.register(entraAuth, { ...auth, corsPreflight });
        shared = scope.entra;
        routes(scope, false);
      });
      await app.register(async (scope) => {
        await scope.register(entraAuth, { validator: shared!, corsPreflight, optional: true });
        routes(scope, true);
      });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      return overHttp(url, () => app.close());
    },
  };
}
