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
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { fail } from './respond.js';

function guard(check: PrincipalCheck | GroupsCheck): preHandlerAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const state = request[ENTRA_AUTH_STATE];
    try {
      await runGuard(state, check);
    } catch (error) {
      return fail(error, state, reply);
    }
    return undefined;
  };
}

/**
 * Requires scopes (delegated permissions, `scp`): all of them, or any with `{ match: 'any' }`.
 * A `preHandler` hook; refuses with 403 `insufficient_scope`. An empty list throws `EntraConfigError` at once.
 *
 * @example
 * ```ts
 * app.get('/orders', { preHandler: requireScopes('Orders.Read') }, listOrders);
 * ```
 */
export function requireScopes(
  scopes: string | readonly string[],
  options?: MatchOptions,
): preHandlerAsyncHookHandler {
  return guard(createScopeCheck(scopes, options));
}

/**
 * Requires roles (app roles, or application permissions of a daemon): all of them, or any with
 * `{ match: 'any' }`. Refuses with 403 `insufficient_role`.
 *
 * @example
 * ```ts
 * app.delete('/orders/:id', { preHandler: requireRoles('Orders.Admin') }, deleteOrder);
 * ```
 */
export function requireRoles(
  roles: string | readonly string[],
  options?: MatchOptions,
): preHandlerAsyncHookHandler {
  return guard(createRoleCheck(roles, options));
}

/**
 * Passes when any listed scope (a user's delegated permission) or any listed role (an app's
 * application permission) is present.
 *
 * @example
 * ```ts
 * app.get('/orders', { preHandler: requireScopeOrRole({ scopes: 'Orders.Read', roles: 'Orders.Read.All' }) }, listOrders);
 * ```
 */
export function requireScopeOrRole(requirement: ScopeOrRoleRequirement): preHandlerAsyncHookHandler {
  return guard(createScopeOrRoleCheck(requirement));
}

/**
 * Requires an application acting as itself (client credentials); a user token gets 403.
 *
 * @example
 * ```ts
 * app.post('/jobs', { preHandler: requireAppOnly() }, runJob);
 * ```
 */
export function requireAppOnly(): preHandlerAsyncHookHandler {
  return guard(appOnly);
}

/**
 * Requires a user (delegated) token; an app-only token gets 403.
 *
 * @example
 * ```ts
 * app.get('/me/orders', { preHandler: requireDelegated() }, myOrders);
 * ```
 */
export function requireDelegated(): preHandlerAsyncHookHandler {
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
 * app.delete('/orders/:id', { preHandler: requireGroups('5b2d6c1e-8f3a-4e7b-9c0d-1a2b3c4d5e6f', { getGraphToken }) }, deleteOrder);
 * ```
 */
export function requireGroups(
  groups: string | readonly string[],
  options: RequireGroupsOptions,
): preHandlerAsyncHookHandler {
  return guard(createGroupsCheck(groups, options));
}
