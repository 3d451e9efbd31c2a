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
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { fail } from './respond.js';

function guard(check: PrincipalCheck | GroupsCheck): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const state = req[ENTRA_AUTH_STATE];
    let pending: void | Promise<void>;
    try {
      pending = runGuard(state, check);
    } catch (error) {
      fail(error, state, res, next);
      return;
    }
    // Express 4 ignores returned promises: an asynchronous check settles here, never unhandled.
    if (pending === undefined) next();
    else
      pending
        .then(
          () => next(),
          (error: unknown) => fail(error, state, res, next),
        )
        .catch(next);
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
export function requireScopes(scopes: string | readonly string[], options?: MatchOptions): RequestHandler {
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
export function requireRoles(roles: string | readonly string[], options?: MatchOptions): RequestHandler {
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
export function requireScopeOrRole(requirement: ScopeOrRoleRequirement): RequestHandler {
  return guard(createScopeOrRoleCheck(requirement));
}

/**
 * Requires an application acting as itself (client credentials); a user token gets 403.
 *
 * @example
 * ```ts
 * app.post('/jobs', requireAppOnly(), runJob);
 * ```
 */
export function requireAppOnly(): RequestHandler {
  return guard(appOnly);
}

/**
 * Requires a user (delegated) token; an app-only token gets 403.
 *
 * @example
 * ```ts
 * app.get('/me/orders', requireDelegated(), myOrders);
 * ```
 */
export function requireDelegated(): RequestHandler {
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
 * app.delete('/orders/:id', requireGroups('5b2d6c1e-8f3a-4e7b-9c0d-1a2b3c4d5e6f', { getGraphToken }), deleteOrder);
 * ```
 */
export function requireGroups(
  groups: string | readonly string[],
  options: RequireGroupsOptions,
): RequestHandler {
  return guard(createGroupsCheck(groups, options));
}
