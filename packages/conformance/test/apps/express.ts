import {
  entraAuth,
  requireAppOnly,
  requireDelegated,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from '@org/entra-express';
import type express from 'express';
import type { RequestHandler } from 'express';
import { answer, type ConformanceTarget, listening, ROUTES, type RouteSpec } from '../../src/index.js';

function guards(route: RouteSpec): RequestHandler[] {
  if (route.scopes) return [requireScopes(route.scopes)];
  if (route.roles) return [requireRoles(route.roles)];
  if (route.scopeOrRole) return [requireScopeOrRole(route.scopeOrRole)];
  if (route.caller) return [route.caller === 'app' ? requireAppOnly() : requireDelegated()];
  return [];
}

/** The conformance app in Express (4 or 5: the factory decides). */
export function expressTarget(name: string, createApp: typeof express): ConformanceTarget {
  return {
    name,
    async start({ auth, corsPreflight }) {
      const app = createApp();
      const required = entraAuth(auth, { corsPreflight });
      const optional = entraAuth(required.validator, { corsPreflight, optional: true });
      for (const route of ROUTES) {
        app.all(route.path, route.optional ? optional : required, ...guards(route), (req, res) => {
          const a = answer(req.method, req.auth);
          if (a.status === 204) res.status(204).end();
          else res.status(200).json(a.body);
        });
      }
      return listening(app.listen(0, '127.0.0.1'), () => required.validator.close());
    },
  };
}
