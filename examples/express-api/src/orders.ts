/**
 * What the example API serves, and how it describes a caller. Nothing here knows about tokens: the
 * routes in app.ts decide who may call what.
 */
import type { EntraPrincipal } from '@org/entra-express';

/** The delegated permission (scope) a user's client app must request to list orders. */
export const ORDERS_READ = 'Orders.Read';
/** The app role a daemon must be granted (an application permission) to export orders. */
export const ORDERS_EXPORT = 'Orders.Export';

export interface Order {
  id: string;
  item: string;
  quantity: number;
  status: 'pending' | 'shipped' | 'delivered';
}

export const ORDERS: readonly Order[] = [
  { id: 'ord-1001', item: 'Difference engine gears', quantity: 12, status: 'delivered' },
  { id: 'ord-1002', item: 'Punched cards (box of 500)', quantity: 3, status: 'shipped' },
  { id: 'ord-1003', item: 'Brass column', quantity: 1, status: 'pending' },
];

/** The caller as the API saw it: what `GET /me` returns. Identify callers by tenantId + objectId. */
export interface CallerView {
  kind: 'user' | 'app';
  tenantId: string;
  /** Absent from some of Entra's app-only tokens (no `oid`): such a caller is tenantId + clientId. */
  objectId: string | undefined;
  clientId: string | undefined;
  username: string | undefined;
  name: string | undefined;
  scopes: string[];
  roles: string[];
  isGuest: boolean;
  tokenVersion: '1.0' | '2.0';
  expiresAt: string;
  /** Azure AD B2C customers: the user flow or custom policy they signed in with. */
  policy?: string;
}

export function describeCaller(principal: EntraPrincipal): CallerView {
  return {
    kind: principal.isAppOnly ? 'app' : 'user',
    tenantId: principal.tenantId,
    objectId: principal.objectId,
    clientId: principal.clientId,
    username: principal.username,
    name: principal.name,
    scopes: [...principal.scopes],
    roles: [...principal.roles],
    isGuest: principal.isGuest,
    tokenVersion: principal.tokenVersion,
    expiresAt: principal.expiresAt.toISOString(),
    ...(principal.policy === undefined ? {} : { policy: principal.policy }),
  };
}
