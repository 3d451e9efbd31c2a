import {
  createRoleCheck,
  type EntraPrincipal,
  entraAuth,
  requireAppOnly,
  requireAuthContext,
  requireDelegated,
  requireGroups,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from '@org/entra-koa';
import type Koa from 'koa';
import type { Middleware } from 'koa';
import {
  type AppConfig,
  answer,
  type ConformanceTarget,
  listening,
  preflightOption,
  ROUTES,
  type RouteSpec,
} from '../../src/index.js';

function guards(route: RouteSpec, config: AppConfig): Middleware[] {
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

const handler =
  (route: RouteSpec): Middleware =>
  (ctx) => {
    checkInHandler(route, ctx.state.auth);
    const a = answer(ctx.state.auth);
    ctx.status = a.status;
    ctx.body = a.body;
  };

/** The conformance app in Koa (2 or 3: the class decides), routed by path without a router package. */
export function koaTarget(name: string, KoaClass: typeof Koa): ConformanceTarget {
  return {
    name,
    async start(config) {
      const app = new KoaClass();
      const required = entraAuth(config.auth, preflightOption(config));
      const optional = entraAuth(required.validator, { ...preflightOption(config), optional: true });
      const chains = new Map(
        ROUTES.map((route) => {
          const auth = route.auth === 'none' ? [] : [route.optional ? optional : required];
          return [route.path, [...auth, ...guards(route, config), handler(route)]];
        }),
      );
      app.use(async (ctx, next) => {
        const chain = chains.get(ctx.path);
        if (chain === undefined) return next();
        const step = async (i: number): Promise<void> => {
          await chain[i]?.(ctx, () => step(i + 1));
        };
        await step(0);
      });
      return listening(app.listen(0, '127.0.0.1'), () => required.validator.close());
    },
  };
}
