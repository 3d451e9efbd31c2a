import { type ServerType, serve } from '@hono/node-server';
import {
  createRoleCheck,
  type EntraEnv,
  type EntraGuard,
  type EntraPrincipal,
  entraAuth,
  requireAppOnly,
  requireAuthContext,
  requireDelegated,
  requireGroups,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from '@org/entra-hono';
import { Hono, type MiddlewareHandler } from 'hono';
import {
  type AppConfig,
  answer,
  type ConformanceTarget,
  overHttp,
  preflightOption,
  ROUTES,
  type RouteSpec,
} from '../../src/index.js';

function guards(route: RouteSpec, config: AppConfig): EntraGuard[] {
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

/**
 * The conformance app with @org/entra-hono: `entraAuth` and the guards as Hono middleware on each
 * route's path (`app.use`), the handler for every method, served over HTTP by @hono/node-server.
 */
export const honoTarget: ConformanceTarget = {
  name: 'hono (node-server)',
  async start(config) {
    const app = new Hono<EntraEnv>();
    const required = entraAuth(config.auth, preflightOption(config));
    const optional = entraAuth(required.validator, { ...preflightOption(config), optional: true });
    for (const route of ROUTES) {
      const auth = route.auth === 'none' ? [] : [route.optional ? optional : required];
      const chain: MiddlewareHandler[] = [...auth, ...guards(route, config)];
      if (chain.length > 0) app.use(route.path, ...chain);
      app.all(route.path, (c) => {
        checkInHandler(route, c.get('auth'));
        const a = answer(c.get('auth'));
        return c.json(a.body, a.status);
      });
    }
    // Hono's default onError logs what a handler throws before entraAuth answers it: keep the run quiet.
    app.onError((error, c) => c.text(error.message, 500));
    const { server, port } = await new Promise<{ server: ServerType; port: number }>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
        resolve({ server: s, port: info.port }),
      );
    });
    return overHttp(`http://127.0.0.1:${port}`, async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      required.validator.close();
    });
  },
};
