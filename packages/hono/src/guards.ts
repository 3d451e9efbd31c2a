import {
  requireAppOnly as appOnly,
  createGroupsCheck,
  createRoleCheck,
  createScopeCheck,
  createScopeOrRoleCheck,
  requireDelegated as delegated,
  type EntraPrincipal,
  type MatchOptions,
  type RequireGroupsOptions,
  type ScopeOrRoleRequirement,
} from '@org/entra-core';
import { runGuard } from '@org/entra-core/adapter';
import type { MiddlewareHandler } from 'hono';
import type { EntraAuthenticatedEnv } from './env.js';
import { fail, stateOf } from './respond.js';

/**
 * A guard: Hono middleware after which the handler has a principal (`c.get('auth')` is typed
 * `EntraPrincipal`). A CORS preflight passed on by `corsPreflight: 'pass'` is the one exception.
 *
 * @example
 * ```ts
 * const canRead: EntraGuard = requireScopes('Orders.Read');
 * app.get('/orders', canRead, (c) => c.json({ user: c.get('auth').objectId }));
 * ```
 */
export type EntraGuard = MiddlewareHandler<EntraAuthenticatedEnv>;

function guard(check: (principal: EntraPrincipal | undefined) => void | Promise<void>): EntraGuard {
  return async (c, next) => {
    const state = stateOf(c);
    try {
      // runGuard decides whether there is a principal to check; an async check (groups) is awaited.
      let pending: Promise<void> | void | undefined;
      runGuard(state, (principal) => {
        pending = check(principal);
      });
      await pending;
    } catch (error) {
      return fail(c, error, state);
    }
    await next();
  };
}

/**
 * Requires scopes (delegated permissions, `scp`): all of them, or any with `{ match: 'any' }`.
 * Refuses with 403 `insufficient_scope`. An empty list throws `EntraConfigError` at once.
 *
 * @example
 * ```ts
 * app.get('/orders', requireScopes('Orders.Read'), listOrders);
 * ```
 */
export function requireScopes(scopes: string | readonly string[], options?: MatchOptions): EntraGuard {
  return guard(createScopeCheck(scopes, options));
}

/**
 * Requires roles (app roles, or application permissions of a daemon): all of them, or any with
 * `{ match: 'any' }`. Refuses with 403 `insufficient_role`.
 *
 * @example
 * ```ts
 * app.delete('/orders/:id', requireRoles('Orders.Admin'), deleteOrder);
 * ```
 */
export function requireRoles(roles: string | readonly string[], options?: MatchOptions): EntraGuard {
  return guard(createRoleCheck(roles, options));
}

/**
 * Passes when any listed scope (a user's delegated permission) or any listed role (an app's
 * application permission) is present.
 *
 * @example
 * ```ts
 * app.get('/orders', requireScopeOrRole({ scopes: 'Orders.Read', roles: 'Orders.Read.All' }), listOrders);
 * ```
 */
export function requireScopeOrRole(requirement: ScopeOrRoleRequirement): EntraGuard {
  return guard(createScopeOrRoleCheck(requirement));
}

/**
 * Requires an application acting as itself (client credentials); a user token gets 403.
 *
 * @example
 * ```ts
 * app.post('/jobs', requireAppOnly(), handler);
 * ```
 */
export function requireAppOnly(): EntraGuard {
  return guard(appOnly);
}

/**
 * Requires a user (delegated) token; an app-only token gets 403.
 *
 * @example
 * ```ts
 * app.get('/me/orders', requireDelegated(), handler);
 * ```
 */
export function requireDelegated(): EntraGuard {
  return guard(delegated);
}

/**
 * Requires group membership (group object ids): all listed groups, or any with `match: 'any'`.
 * Groups come from the token, or from Microsoft Graph when the token signals the groups overage
 * (see `resolveGroups`). Refuses with 403 `insufficient_role`; a Graph lookup that fails answers 503
 * (with `Retry-After`) and never passes. The requirement and its options are checked now.
 *
 * @example
 * ```ts
 * app.delete('/orders/:id', requireGroups(ordersAdminsId, { getGraphToken }), deleteOrder);
 * ```
 */
export function requireGroups(groups: string | readonly string[], options: RequireGroupsOptions): EntraGuard {
  return guard(createGroupsCheck(groups, options));
}
