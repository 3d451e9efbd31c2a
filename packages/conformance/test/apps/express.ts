import {
  createRoleCheck,
  type EntraPrincipal,
  entraAuth,
  entraErrorHandler,
  requireAppOnly,
  requireAuthContext,
  requireDelegated,
  requireGroups,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from '@org/entra-express';
import type express from 'express';
import type { RequestHandler } from 'express';
import {
  type AppConfig,
  answer,
  type ConformanceTarget,
  listening,
  preflightOption,
  ROUTES,
  type RouteSpec,
} from '../../src/index.js';

function guards(route: RouteSpec, config: AppConfig): RequestHandler[] {
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

/** The conformance app in Express (4 or 5: the factory decides). */
export function expressTarget(name: string, createApp: typeof express): ConformanceTarget {
  return {
    name,
    async start(config) {
      const app = createApp();
      const required = entraAuth(config.auth, preflightOption(config));
      const optional = entraAuth(required.validator, { ...preflightOption(config), optional: true });
      for (const route of ROUTES) {
        const auth = route.auth === 'none' ? [] : [route.optional ? optional : required];
        app.all(route.path, ...auth, ...guards(route, config), (req, res) => {
          checkInHandler(route, req.auth);
          const a = answer(req.auth);
          res.status(a.status).json(a.body);
        });
      }
      app.use(entraErrorHandler());
      return listening(app.listen(0, '127.0.0.1'), () => required.validator.close());
    },
  };
}
