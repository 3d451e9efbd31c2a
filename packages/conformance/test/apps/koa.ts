import {
  entraAuth,
  requireAppOnly,
  requireDelegated,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from '@org/entra-koa';
import type Koa from 'koa';
import type { Middleware } from 'koa';
import { answer, type ConformanceTarget, listening, ROUTES, type RouteSpec } from '../../src/index.js';

function guards(route: RouteSpec): Middleware[] {
  if (route.scopes) return [requireScopes(route.scopes)];
  if (route.roles) return [requireRoles(route.roles)];
  if (route.scopeOrRole) return [requireScopeOrRole(route.scopeOrRole)];
  if (route.caller) return [route.caller === 'app' ? requireAppOnly() : requireDelegated()];
  return [];
}

const handler: Middleware = (ctx) => {
  const a = answer(ctx.method, ctx.state.auth);
  ctx.status = a.status;
  if (a.status === 200) ctx.body = a.body;
};

/** The conformance app in Koa (2 or 3: the class decides), routed by path without a router package. */
export function koaTarget(name: string, KoaClass: typeof Koa): ConformanceTarget {
  return {
    name,
    async start({ auth, corsPreflight }) {
      const app = new KoaClass();
      const required = entraAuth(auth, { corsPreflight });
      const optional = entraAuth(required.validator, { corsPreflight, optional: true });
      const chains = new Map(
        ROUTES.map((route) => [
          route.path,
          [route.optional ? optional : required, ...guards(route), handler],
        ]),
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
