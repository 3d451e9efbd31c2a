/**
 * The verified caller, normalised across v1 and v2 tokens. Frozen, with its claims: a handler cannot
 * change what a later verification of the same token returns.
 */
import { own } from './codec.js';
import { EntraAuthError } from './errors.js';

/**
 * Who called, as a verified Entra ID access token says. Identify callers by `tenantId` + `objectId`;
 * `username`, `name` and email claims are for display only (mutable, and not verified).
 *
 * @example
 * ```ts
 * const principal = await validator.verify(token);
 * if (principal.isAppOnly) console.log('app', principal.clientId, principal.roles);
 * else console.log('user', principal.tenantId, principal.objectId, principal.scopes);
 * ```
 */
export interface EntraPrincipal {
  /** `tid`: the tenant the token was issued in. */
  readonly tenantId: string;
  /** `oid`: the immutable id of the user or service principal in that tenant (`sub` when there is no `oid`). */
  readonly objectId: string;
  /** `sub`: the pairwise subject, per application. */
  readonly subject: string;
  /** The calling application: `azp` (v2) or `appid` (v1). */
  readonly clientId: string | undefined;
  /** Delegated scopes, from `scp`. Empty for app-only tokens. */
  readonly scopes: readonly string[];
  /** App roles (users) or application permissions (app-only), from `roles`. */
  readonly roles: readonly string[];
  /** True for an application acting as itself (client credentials): `idtyp` is `app`, or there is no `scp`. */
  readonly isAppOnly: boolean;
  /** True for a guest user: `acct` is 1, or `idp` differs from `iss`. */
  readonly isGuest: boolean;
  /** `ver`. */
  readonly tokenVersion: '1.0' | '2.0';
  /** `preferred_username` ?? `upn` ?? `unique_name`: display only. */
  readonly username: string | undefined;
  /** `name`: display only. */
  readonly name: string | undefined;
  /** `exp` as a date. */
  readonly expiresAt: Date;
  /** Every claim of the token, read-only. */
  readonly claims: Readonly<Record<string, unknown>>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

function str(payload: Record<string, unknown>, name: string): string | undefined {
  const v = own(payload, name);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Builds the frozen principal of a verified payload. */
export function buildPrincipal(
  payload: Record<string, unknown>,
  version: '1.0' | '2.0',
  scopes: string[],
  roles: string[],
): EntraPrincipal {
  const objectId = str(payload, 'oid') ?? str(payload, 'sub');
  if (objectId === undefined) {
    throw new EntraAuthError('malformed_token', {
      message: 'The access token identifies no subject (no oid, no sub)',
    });
  }
  const idtyp = own(payload, 'idtyp');
  const idp = own(payload, 'idp');
  const iss = own(payload, 'iss');
  const expiresMs = (own(payload, 'exp') as number) * 1000;
  const principal: EntraPrincipal = {
    tenantId: str(payload, 'tid') ?? '',
    objectId,
    subject: str(payload, 'sub') ?? objectId,
    clientId: str(payload, 'azp') ?? str(payload, 'appid'),
    scopes: Object.freeze(scopes),
    roles: Object.freeze(roles),
    isAppOnly: typeof idtyp === 'string' ? idtyp === 'app' : scopes.length === 0,
    isGuest: own(payload, 'acct') === 1 || (typeof idp === 'string' && idp !== iss),
    tokenVersion: version,
    username: str(payload, 'preferred_username') ?? str(payload, 'upn') ?? str(payload, 'unique_name'),
    name: str(payload, 'name'),
    // A Date is mutable even when frozen (setTime): each read gets a fresh one.
    get expiresAt() {
      return new Date(expiresMs);
    },
    claims: deepFreeze(payload),
  };
  return Object.freeze(principal);
}
