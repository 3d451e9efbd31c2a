/**
 * The verified caller, normalised across v1 and v2 tokens. Frozen, with its claims: a handler cannot
 * change what a later verification of the same token returns.
 */

import { type TokenRules, WORKFORCE_RULES } from './authority/plan.js';
import { EntraAuthError } from './errors.js';
import type { ClaimSet } from './token.js';

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
  /** `tid`: the tenant the token was issued in (Azure AD B2C tokens without `tid`: the issuer's tenant GUID). */
  readonly tenantId: string;
  /**
   * `oid`: the immutable id of the user or service principal in that tenant (`sub` when there is no
   * `oid`). `undefined` for the v1 app-only tokens Entra issues with neither `oid` nor `sub` (for
   * example for Bot Framework): key such callers by `tenantId` + `clientId`.
   */
  readonly objectId: string | undefined;
  /** `sub`: the pairwise subject, per application (`oid` when there is no `sub`); `undefined` when the token has neither. */
  readonly subject: string | undefined;
  /** The calling application: `azp` (v2) or `appid` (v1). */
  readonly clientId: string | undefined;
  /** Delegated scopes, from `scp`. Empty for app-only tokens. */
  readonly scopes: readonly string[];
  /** App roles (users) or application permissions (app-only), from `roles`. */
  readonly roles: readonly string[];
  /**
   * True for an application acting as itself (client credentials): `idtyp` is `app`; without
   * `idtyp`, there is no `scp` and `oid` equals `sub` (Azure AD B2C, whose `sub` is the user's object
   * id and whose app-only tokens carry `scp`: only `idtyp` says so).
   */
  readonly isAppOnly: boolean;
  /**
   * True for a guest user: `acct` is 1, or (workforce tenants) `idp` differs from `iss`. In B2C and
   * External ID tenants `idp` names the social provider a customer signed in with: not a guest.
   */
  readonly isGuest: boolean;
  /** `ver`. */
  readonly tokenVersion: '1.0' | '2.0';
  /** `preferred_username` ?? `upn` ?? `unique_name`: display only. */
  readonly username: string | undefined;
  /** `name`: display only. */
  readonly name: string | undefined;
  /** `exp` as a date. */
  readonly expiresAt: Date;
  /**
   * Azure AD B2C: the policy (user flow or custom policy) that issued the token, as configured in
   * `b2c.policies` (from the `tfp` claim, or `acr` in older policies). `undefined` elsewhere.
   */
  readonly policy?: string;
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

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** What the validator knows beside the claims: the tenant, the policy, where to re-authenticate, the flavour's rules. */
export interface PrincipalContext {
  /** The tenant the issuer was checked for (`tid`, or the B2C issuer's tenant when there is no `tid`). */
  readonly tenantId?: string | undefined;
  readonly policy?: string | undefined;
  readonly challengeUri?: string | undefined;
  readonly rules?: TokenRules;
}

/** Where the issuing authority's users re-authenticate (claims challenges); not enumerable in JSON. */
const CHALLENGE_URI: unique symbol = Symbol('claimsChallengeUri');

/**
 * The authorize endpoint a claims challenge for this principal names, as its validator knows it
 * (`undefined` for a principal not made by a validator).
 */
export function claimsChallengeUriOf(principal: EntraPrincipal): string | undefined {
  const uri = (principal as { [CHALLENGE_URI]?: unknown })[CHALLENGE_URI];
  return typeof uri === 'string' ? uri : undefined;
}

// A class rather than an object literal: the `expiresAt` getter lives once on the prototype instead
// of being allocated with every principal (this is on the hot path of every verification).
class Principal implements EntraPrincipal {
  readonly tenantId: string;
  readonly objectId: string | undefined;
  readonly subject: string | undefined;
  readonly clientId: string | undefined;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly isAppOnly: boolean;
  readonly isGuest: boolean;
  readonly tokenVersion: '1.0' | '2.0';
  readonly username: string | undefined;
  readonly name: string | undefined;
  readonly policy: string | undefined;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly [CHALLENGE_URI]: string | undefined;
  readonly #expiresMs: number;

  constructor(
    payload: Record<string, unknown>,
    c: ClaimSet,
    version: '1.0' | '2.0',
    scopes: string[],
    roles: string[],
    context: PrincipalContext,
  ) {
    const idtyp = c.idtyp;
    const idp = c.idp;
    const rules = context.rules ?? WORKFORCE_RULES;
    this.tenantId = context.tenantId ?? str(c.tid) ?? '';
    const oid = str(c.oid);
    const sub = str(c.sub);
    this.objectId = oid ?? sub;
    this.subject = sub ?? oid;
    this.clientId = str(c.azp) ?? str(c.appid);
    this.scopes = Object.freeze(scopes);
    this.roles = Object.freeze(roles);
    // Without idtyp: no scp, and (when both are present) oid = sub, as for a service principal. A
    // user token with app roles but no scp has a pairwise sub, so it is not taken for an app. A
    // token with neither oid nor sub identifies no user: app-only.
    this.isAppOnly =
      typeof idtyp === 'string'
        ? idtyp === 'app'
        : rules.pairwiseSubject &&
          scopes.length === 0 &&
          (oid === undefined || sub === undefined || oid === sub);
    this.isGuest = c.acct === 1 || (rules.idpMarksGuest && typeof idp === 'string' && idp !== c.iss);
    this.tokenVersion = version;
    this.username = str(c.preferred_username) ?? str(c.upn) ?? str(c.unique_name);
    this.name = str(c.name);
    this.policy = context.policy;
    this.claims = deepFreeze(payload);
    this.#expiresMs = (c.exp as number) * 1000;
    this[CHALLENGE_URI] = context.challengeUri;
    Object.freeze(this);
  }

  /** `exp` as a date: a new one on each read, since a Date can be changed even when frozen. */
  get expiresAt(): Date {
    return new Date(this.#expiresMs);
  }

  /** Plain JSON, `expiresAt` included (as an ISO string). */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), expiresAt: this.expiresAt.toISOString() };
  }
}

/** Builds the frozen principal of a verified payload. */
export function buildPrincipal(
  payload: Record<string, unknown>,
  c: ClaimSet,
  version: '1.0' | '2.0',
  scopes: string[],
  roles: string[],
  context: PrincipalContext = {},
): EntraPrincipal {
  const principal = new Principal(payload, c, version, scopes, roles, context);
  // App-only tokens may identify no object (Entra's v1 app-only tokens for some resources carry
  // neither oid nor sub); a user token always names its user.
  if (principal.objectId === undefined && !principal.isAppOnly) {
    throw new EntraAuthError('malformed_token', {
      message: 'The access token is a user token that identifies no user (no oid, no sub)',
      check: 'format',
    });
  }
  return principal;
}
