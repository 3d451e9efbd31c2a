/**
 * Authorization helpers: scopes (delegated permissions), roles (app roles and application
 * permissions), and the kind of caller. Matching is exact and case-sensitive on whole names; an
 * empty requirement is a configuration error, never "allow all". Nothing here authorizes by
 * `email`, `upn` or `preferred_username`.
 *
 * Each helper exists in two forms: `requireX(principal, ...)` throws at once, and `createXCheck(...)`
 * validates the requirement up front (so adapters can fail at start-up) and returns a check.
 */
import { EntraAuthError, EntraConfigError } from './errors.js';
import { own } from './option-checks.js';
import { claimsChallengeUriOf, type EntraPrincipal } from './principal.js';

/**
 * How several names combine: every one of them (`all`, the default) or at least one (`any`).
 *
 * @example
 * ```ts
 * requireScopes(principal, ['Orders.Read', 'Orders.ReadWrite'], { match: 'any' });
 * ```
 */
export interface MatchOptions {
  match?: 'all' | 'any';
}

/**
 * A check of a principal; throws `EntraAuthError` when it does not hold. `undefined` (no token) is `missing_token`.
 *
 * @example
 * ```ts
 * const canRead: PrincipalCheck = createScopeCheck('Orders.Read');
 * canRead(principal); // throws EntraAuthError('insufficient_scope') without the scope
 * ```
 */
export type PrincipalCheck = (principal: EntraPrincipal | undefined) => void;

/**
 * What `requireScopeOrRole` accepts: any listed scope or any listed role.
 *
 * @example
 * ```ts
 * const requirement: ScopeOrRoleRequirement = { scopes: 'Orders.Read', roles: ['Orders.Read.All'] };
 * requireScopeOrRole(principal, requirement);
 * ```
 */
export interface ScopeOrRoleRequirement {
  scopes?: string | readonly string[];
  roles?: string | readonly string[];
}

// RFC 6750 scope-token characters: printable ASCII except space, `"` and `\`.
const NAME_RE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

function names(what: string, value: unknown, allowEmpty = false): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list))
    throw new EntraConfigError(`${what} must be a name or a list of names, e.g. 'Orders.Read'`);
  if (list.length === 0 && !allowEmpty) {
    throw new EntraConfigError(`${what} must not be empty: an empty requirement would allow every token`);
  }
  for (const name of list) {
    if (typeof name !== 'string' || !NAME_RE.test(name)) {
      throw new EntraConfigError(
        `${what} must contain names without spaces, quotes or backslashes (one name per entry, e.g. ['Orders.Read', 'Orders.Write'])`,
      );
    }
  }
  return [...new Set(list as string[])];
}

/** An own property of an options object: a polluted `Object.prototype` must not loosen a requirement. */
function option(options: object | undefined, name: string): unknown {
  return typeof options === 'object' && options !== null ? own(options, name) : undefined;
}

function matchMode(options: MatchOptions | undefined): 'all' | 'any' {
  const match = option(options, 'match') ?? 'all';
  if (match !== 'all' && match !== 'any') throw new EntraConfigError("match must be 'all' or 'any'");
  return match;
}

function present(principal: EntraPrincipal | undefined): EntraPrincipal {
  if (principal === undefined || principal === null) throw new EntraAuthError('missing_token');
  return principal;
}

function satisfied(have: readonly string[], need: readonly string[], match: 'all' | 'any'): boolean {
  return match === 'all' ? need.every((n) => have.includes(n)) : need.some((n) => have.includes(n));
}

/**
 * Validates a scope requirement now and returns its check.
 *
 * @example
 * ```ts
 * const canRead = createScopeCheck(['Orders.Read', 'Orders.ReadWrite'], { match: 'any' });
 * canRead(principal); // throws EntraAuthError('insufficient_scope') when neither scope is present
 * ```
 */
export function createScopeCheck(scopes: string | readonly string[], options?: MatchOptions): PrincipalCheck {
  const need = names('Required scopes', scopes);
  const match = matchMode(options);
  return (principal) => {
    if (!satisfied(present(principal).scopes, need, match))
      throw new EntraAuthError('insufficient_scope', { scopes: need });
  };
}

/**
 * Validates a role requirement now and returns its check.
 *
 * @example
 * ```ts
 * const isAdmin = createRoleCheck('Orders.Admin');
 * isAdmin(principal); // throws EntraAuthError('insufficient_role')
 * ```
 */
export function createRoleCheck(roles: string | readonly string[], options?: MatchOptions): PrincipalCheck {
  const need = names('Required roles', roles);
  const match = matchMode(options);
  return (principal) => {
    if (!satisfied(present(principal).roles, need, match)) throw new EntraAuthError('insufficient_role');
  };
}

/**
 * Validates a "scope or role" requirement now and returns its check: it passes when the principal
 * has any listed scope (delegated permission) or any listed role (application permission).
 *
 * @example
 * ```ts
 * const canRead = createScopeOrRoleCheck({ scopes: 'Orders.Read', roles: 'Orders.Read.All' });
 * ```
 */
export function createScopeOrRoleCheck(requirement: ScopeOrRoleRequirement): PrincipalCheck {
  if (typeof requirement !== 'object' || requirement === null) {
    throw new EntraConfigError(
      "requireScopeOrRole needs { scopes, roles }, e.g. { scopes: 'Orders.Read', roles: 'Orders.Read.All' }",
    );
  }
  const scopes = names('scopes', option(requirement, 'scopes') ?? [], true);
  const roles = names('roles', option(requirement, 'roles') ?? [], true);
  if (scopes.length === 0 && roles.length === 0) {
    throw new EntraConfigError(
      'requireScopeOrRole needs at least one scope or role: an empty requirement would allow every token',
    );
  }
  return (principal) => {
    const p = present(principal);
    if (satisfied(p.scopes, scopes, 'any') || satisfied(p.roles, roles, 'any')) return;
    if (p.isAppOnly || scopes.length === 0) throw new EntraAuthError('insufficient_role');
    throw new EntraAuthError('insufficient_scope', { scopes });
  };
}

/**
 * Requires scopes (delegated permissions, `scp`). Throws `insufficient_scope` (403, with the scopes
 * in the challenge).
 *
 * @example
 * ```ts
 * requireScopes(principal, 'Orders.Read');
 * requireScopes(principal, ['Orders.Read', 'Orders.Write'], { match: 'any' });
 * ```
 */
export function requireScopes(
  principal: EntraPrincipal | undefined,
  scopes: string | readonly string[],
  options?: MatchOptions,
): void {
  createScopeCheck(scopes, options)(principal);
}

/**
 * Requires roles (`roles`: app roles of a user, or application permissions of an app). Throws
 * `insufficient_role` (403).
 *
 * @example
 * ```ts
 * requireRoles(principal, 'Orders.Admin');
 * ```
 */
export function requireRoles(
  principal: EntraPrincipal | undefined,
  roles: string | readonly string[],
  options?: MatchOptions,
): void {
  createRoleCheck(roles, options)(principal);
}

/**
 * Passes when any listed scope or any listed role is present: one route serving both users
 * (delegated permission) and daemons (application permission).
 *
 * @example
 * ```ts
 * requireScopeOrRole(principal, { scopes: ['Orders.Read'], roles: ['Orders.Read.All'] });
 * ```
 */
export function requireScopeOrRole(
  principal: EntraPrincipal | undefined,
  requirement: ScopeOrRoleRequirement,
): void {
  createScopeOrRoleCheck(requirement)(principal);
}

/**
 * Requires an application acting as itself (client credentials). A user token fails with
 * `insufficient_role`.
 *
 * @example
 * ```ts
 * requireAppOnly(principal);
 * ```
 */
export function requireAppOnly(principal: EntraPrincipal | undefined): void {
  if (!present(principal).isAppOnly) {
    throw new EntraAuthError('insufficient_role', {
      message: 'This operation needs an application (app-only) token',
    });
  }
}

/**
 * Requires a user (delegated) token. An app-only token fails with `insufficient_scope`.
 *
 * @example
 * ```ts
 * requireDelegated(principal);
 * ```
 */
export function requireDelegated(principal: EntraPrincipal | undefined): void {
  if (present(principal).isAppOnly) {
    throw new EntraAuthError('insufficient_scope', {
      message: 'This operation needs a user (delegated) token',
    });
  }
}

/**
 * Options of {@link requireAuthContext}.
 *
 * @example
 * ```ts
 * const options: AuthContextOptions = {
 *   authorizationUri: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/authorize',
 * };
 * requireAuthContext(principal, 'c1', options);
 * ```
 */
export interface AuthContextOptions {
  /**
   * Where the client re-authenticates. Default: the `common` authorize endpoint of the authority
   * that issued the token, as the validator was configured (the cloud's, or `authority`'s).
   */
  authorizationUri?: string;
}

const DEFAULT_AUTHORIZE_URI = 'https://login.microsoftonline.com/common/oauth2/authorize';

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/**
 * Requires a Conditional Access authentication context (`acrs` claim), e.g. `c1` for a step-up
 * before a sensitive operation. When the token lacks it and the client declared it can handle
 * claims challenges (`xms_cc` contains `cp1`), throws `insufficient_claims` (401) with a
 * `WWW-Authenticate` claims challenge the client (MSAL) answers by signing in again; otherwise
 * throws `insufficient_scope` (403).
 *
 * @example
 * ```ts
 * requireAuthContext(principal, 'c1');
 * ```
 */
export function requireAuthContext(
  principal: EntraPrincipal | undefined,
  contextId: string,
  options: AuthContextOptions = {},
): void {
  if (typeof contextId !== 'string' || !/^c([1-9]|[1-9][0-9])$/.test(contextId)) {
    throw new EntraConfigError("contextId must be an authentication context id from c1 to c99, e.g. 'c1'");
  }
  const p = present(principal);
  // Own properties only: a polluted Object.prototype must not grant a step-up.
  const acrs = Object.hasOwn(p.claims, 'acrs') ? p.claims.acrs : undefined;
  if (Array.isArray(acrs) && acrs.includes(contextId)) return;
  const xmsCc = Object.hasOwn(p.claims, 'xms_cc') ? p.claims.xms_cc : undefined;
  if (Array.isArray(xmsCc) && xmsCc.includes('cp1')) {
    throw new EntraAuthError('insufficient_claims', {
      authorizationUri:
        (option(options, 'authorizationUri') as string | undefined) ??
        claimsChallengeUriOf(p) ??
        DEFAULT_AUTHORIZE_URI,
      claims: toBase64(JSON.stringify({ access_token: { acrs: { essential: true, value: contextId } } })),
    });
  }
  throw new EntraAuthError('insufficient_scope', {
    message:
      'This operation needs a stronger authentication (authentication context) that the token does not carry',
  });
}
