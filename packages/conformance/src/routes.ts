/**
 * The one app every adapter builds for the conformance run: the same paths, the same requirements,
 * the same answers. Each route accepts every method; an OPTIONS that reaches its handler (a CORS
 * preflight passed on) is answered 204, anything else 200 with a summary of the principal.
 */
import type { EntraPrincipal } from '@org/entra-core';

/** One route: its path and what it requires. */
export interface RouteSpec {
  readonly path: string;
  /** Authenticated with `optional: true`. */
  readonly optional?: boolean;
  /** `requireScopes(scopes)`. */
  readonly scopes?: readonly string[];
  /** `requireRoles(roles)`. */
  readonly roles?: readonly string[];
  /** `requireScopeOrRole({ scopes, roles })`. */
  readonly scopeOrRole?: { readonly scopes: readonly string[]; readonly roles: readonly string[] };
  /** `requireAppOnly()` or `requireDelegated()`. */
  readonly caller?: 'app' | 'user';
}

export const ROUTES: readonly RouteSpec[] = [
  { path: '/me' },
  { path: '/orders', scopes: ['Orders.Read'] },
  { path: '/admin', roles: ['Orders.Admin'] },
  { path: '/read', scopeOrRole: { scopes: ['Orders.Read'], roles: ['Orders.Read.All'] } },
  { path: '/app-only', caller: 'app' },
  { path: '/user-only', caller: 'user' },
  { path: '/optional', optional: true },
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
  };
}

/** The answer of every route's handler, in every framework. */
export type RouteAnswer = { status: 204 } | { status: 200; body: PrincipalSummary };

export function answer(method: string | undefined, principal: EntraPrincipal | undefined): RouteAnswer {
  return method === 'OPTIONS' ? { status: 204 } : { status: 200, body: summarize(principal) };
}
