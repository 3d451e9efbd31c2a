import {
  requireAppOnly as appOnly,
  createGroupsCheck,
  createRoleCheck,
  createScopeCheck,
  createScopeOrRoleCheck,
  requireDelegated as delegated,
  type GroupsCheck,
  type MatchOptions,
  type PrincipalCheck,
  type RequireGroupsOptions,
  type ScopeOrRoleRequirement,
} from '@org/entra-core';
import { ENTRA_AUTH_STATE, runGuard } from '@org/entra-core/adapter';
import type { Context, Middleware, Next } from 'koa';
import { fail } from './respond.js';

function guard(check: PrincipalCheck | GroupsCheck): Middleware {
  return async (ctx: Context, next: Next): Promise<void> => {
    const state = ctx.state[ENTRA_AUTH_STATE];
    try {
      await runGuard(state, check);
    } catch (error) {
      fail(error, state, ctx);
      return;
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
 * router.get('/orders', requireScopes('Orders.Read'), listOrders);
 * ```
 */
export function requireScopes(scopes: string | readonly string[], options?: MatchOptions): Middleware {
  return guard(createScopeCheck(scopes, options));
}

/**
 * Requires roles (app roles, or application permissions of a daemon): all of them, or any with
 * `{ match: 'any' }`. Refuses with 403 `insufficient_role`.
 *
 * @example
 * ```ts
 * router.delete('/orders/:id', requireRoles('Orders.Admin'), deleteOrder);
 * ```
 */
export function requireRoles(roles: string | readonly string[], options?: MatchOptions): Middleware {
  return guard(createRoleCheck(roles, options));
}

/**
 * Passes when any listed scope (a user's delegated permission) or any listed role (an app's
 * application permission) is present.
 *
 * @example
 * ```ts
 * router.get('/orders', requireScopeOrRole({ scopes: 'Orders.Read', roles: 'Orders.Read.All' }), listOrders);
 * ```
 */
export function requireScopeOrRole(requirement: ScopeOrRoleRequirement): Middleware {
  return guard(createScopeOrRoleCheck(requirement));
}

/**
 * Requires an application acting as itself (client credentials); a user token gets 403.
 *
 * @example
 * ```ts
 * router.post('/jobs', requireAppOnly(), runJob);
 * ```
 */
export function requireAppOnly(): Middleware {
  return guard(appOnly);
}

/**
 * Requires a user (delegated) token; an app-only token gets 403.
 *
 * @example
 * ```ts
 * router.get('/me/orders', requireDelegated(), myOrders);
 * ```
 */
export function requireDelegated(): Middleware {
  return guard(delegated);
}

/**
 * Requires membership of Entra ID security groups (all, or any with `{ match: 'any' }`), read from the
 * token's `groups` claim or, for a user in too many groups (the overage), from Microsoft Graph with
 * `options.getGraphToken` (cached per user for `cacheSeconds`). Refuses with 403 `insufficient_role`;
 * when Graph cannot be asked, 503 `groups_unavailable`. Options are checked now.
 *
 * @example
 * ```ts
 * router.delete('/orders/:id', requireGroups('5b2d6c1e-8f3a-4e7b-9c0d-1a2b3c4d5e6f', { getGraphToken }), deleteOrder);
 * ```
 */
export function requireGroups(groups: string | readonly string[], options: RequireGroupsOptions): Middleware {
  return guard(createGroupsCheck(groups, options));
}
