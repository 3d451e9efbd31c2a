/**
 * The one app every adapter builds for the conformance run: the same paths, the same requirements,
 * the same answers. Each route accepts every method, and its handler answers every request it runs
 * for (OPTIONS included) 200 with a summary of the principal: a 204 can only come from the adapter,
 * so whether a handler ran is visible in every answer.
 */
import type { EntraPrincipal } from '@org/entra-core';

/** One route: its path and what it requires. */
export interface RouteSpec {
  readonly path: string;
  /** Authenticated with `optional: true`. */
  readonly optional?: boolean;
  /**
   * `'none'`: no authentication before the route's guard (in fetch, where the guard is an option of
   * the authenticating wrapper, a plain handler refusing as that guard would).
   */
  readonly auth?: 'none';
  /** `requireScopes(scopes)`. */
  readonly scopes?: readonly string[];
  /** `requireRoles(roles)`. */
  readonly roles?: readonly string[];
  /** `requireScopeOrRole({ scopes, roles })`. */
  readonly scopeOrRole?: { readonly scopes: readonly string[]; readonly roles: readonly string[] };
  /** `requireAppOnly()` or `requireDelegated()`. */
  readonly caller?: 'app' | 'user';
  /**
   * Checked by the handler itself, with the core's helpers: `requireRoles(principal, roles)` (or
   * `createRoleCheck(roles)(principal)`), then `requireAuthContext(principal, authContext)`. The
   * `EntraAuthError` thrown must be answered like a guard's.
   */
  readonly inHandler?: { readonly roles: readonly string[]; readonly authContext: string };
  /**
   * The adapter's group guard, `requireGroups(ids, config.groups[graph])` (in fetch, the handler's
   * `createGroupsCheck`), with a Microsoft Graph look-alike that answers (`up`) or is unreachable (`down`).
   */
  readonly groups?: { readonly ids: readonly string[]; readonly graph: 'up' | 'down' };
}

/** The group the group routes require, and the overage user the Graph look-alike knows in it. */
export const GROUP = '5b2d6c1e-8f3a-4e7b-9c0d-1a2b3c4d5e6f';
export const OVERAGE_MEMBER = '8a1f3c5e-7b9d-4e2f-a6c8-0d1e2f3a4b5c';

export const ROUTES: readonly RouteSpec[] = [
  { path: '/me' },
  { path: '/orders', scopes: ['Orders.Read'] },
  { path: '/admin', roles: ['Orders.Admin'] },
  { path: '/read', scopeOrRole: { scopes: ['Orders.Read'], roles: ['Orders.Read.All'] } },
  { path: '/app-only', caller: 'app' },
  { path: '/user-only', caller: 'user' },
  { path: '/optional', optional: true },
  { path: '/optional-orders', optional: true, scopes: ['Orders.Read'] },
  { path: '/no-auth-guard', auth: 'none', scopes: ['Orders.Read'] },
  { path: '/in-handler', inHandler: { roles: ['Orders.Admin'], authContext: 'c1' } },
  { path: '/group', groups: { ids: [GROUP], graph: 'up' } },
  { path: '/group-graph-down', groups: { ids: [GROUP], graph: 'down' } },
];

/** What a route answers about its caller. */
export interface PrincipalSummary {
  authenticated: boolean;
  tenantId?: string;
  objectId?: string;
  clientId?: string | null;
  scopes?: readonly string[];
  roles?: readonly string[];
  isAppOnly?: boolean;
  tokenVersion?: string;
  /** Azure AD B2C tokens only. */
  policy?: string;
}

export function summarize(principal: EntraPrincipal | undefined): PrincipalSummary {
  if (principal === undefined) return { authenticated: false };
  return {
    authenticated: true,
    tenantId: principal.tenantId,
    objectId: principal.objectId,
    clientId: principal.clientId ?? null,
    scopes: principal.scopes,
    roles: principal.roles,
    isAppOnly: principal.isAppOnly,
    tokenVersion: principal.tokenVersion,
    ...(principal.policy === undefined ? {} : { policy: principal.policy }),
  };
}

/** The answer of every route's handler, in every framework, whatever the method. */
export interface RouteAnswer {
  status: 200;
  body: PrincipalSummary;
}

export function answer(principal: EntraPrincipal | undefined): RouteAnswer {
  return { status: 200, body: summarize(principal) };
}
