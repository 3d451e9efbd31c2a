/**
 * Entra's claim rules, each a small function that throws one `EntraAuthError` naming its check.
 * They run after the signature has been verified, in the order the validator calls them.
 */
import { type IssuerRule, issuerFor, TENANT_TEMPLATE, type TokenRules } from './authority/plan.js';
import { EntraAuthError } from './errors.js';
import { CONSUMERS_TENANT_ID } from './ids.js';
import type { SigningKey } from './keys/jwks.js';
import { microsoftServiceName } from './microsoft.js';
import type { EntraPrincipal } from './principal.js';
import type { ClaimSet } from './token.js';

/** `ver` is `1.0` or `2.0`, and accepted. */
export function checkVersion(c: ClaimSet, accepted: ReadonlySet<string>): '1.0' | '2.0' {
  const ver = c.ver;
  if ((ver !== '1.0' && ver !== '2.0') || !accepted.has(ver)) {
    throw new EntraAuthError('unsupported_token_version', { check: 'ver' });
  }
  return ver;
}

/** The times a verified token may be used within, in milliseconds (for the verified-token cache). */
export interface ValidityWindow {
  readonly fromMs: number;
  readonly untilMs: number;
}

function time(c: ClaimSet, name: 'exp' | 'nbf' | 'iat'): number | undefined {
  const v = c[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new EntraAuthError('malformed_token', {
      message: `The access token claim ${name} is not a number`,
      check: name,
    });
  }
  return v;
}

/**
 * `exp` (required), `nbf`, `iat`, and the token's age. A token is accepted when
 * `nbf - tolerance <= now < exp + tolerance` and `iat - tolerance <= now`, and, with a maximum age,
 * `now - iat <= maxAge + tolerance`. Comparisons are written so that a clock returning NaN (or
 * nothing) fails closed.
 */
export function checkTimes(
  c: ClaimSet,
  nowMs: number,
  toleranceSeconds: number,
  maxAgeSeconds: number | undefined,
): ValidityWindow {
  const now = nowMs / 1000;
  const exp = time(c, 'exp');
  if (exp === undefined) {
    throw new EntraAuthError('malformed_token', {
      message: 'The access token has no exp claim',
      check: 'exp',
    });
  }
  const nbf = time(c, 'nbf');
  const iat = time(c, 'iat');
  let until = exp + toleranceSeconds;
  if (!(now < until)) throw new EntraAuthError('token_expired', { check: 'exp' });
  if (nbf !== undefined && !(now >= nbf - toleranceSeconds)) {
    throw new EntraAuthError('token_not_yet_valid', { check: 'nbf' });
  }
  if (iat !== undefined && !(now >= iat - toleranceSeconds)) {
    throw new EntraAuthError('token_not_yet_valid', { check: 'iat' });
  }
  const from = Math.max(nbf ?? Number.NEGATIVE_INFINITY, iat ?? Number.NEGATIVE_INFINITY) - toleranceSeconds;
  if (maxAgeSeconds !== undefined) {
    if (iat === undefined) {
      throw new EntraAuthError('token_too_old', {
        message: 'The access token has no iat claim',
        check: 'iat',
      });
    }
    const oldest = iat + maxAgeSeconds + toleranceSeconds;
    if (!(now <= oldest)) throw new EntraAuthError('token_too_old', { check: 'iat' });
    until = Math.min(until, oldest);
  }
  return { fromMs: from * 1000, untilMs: until * 1000 };
}

/**
 * `iss` equals the trusted issuer (multi-tenant: the template filled with a GUID `tid`); for a
 * single tenant, `tid` names that tenant too (Azure AD B2C tokens may have no `tid`: the tenant is
 * then the issuer's). Returns the token's tenant.
 */
export function checkIssuer(c: ClaimSet, rule: IssuerRule): string | undefined {
  const tid = c.tid;
  const expected = issuerFor(rule, tid);
  if (typeof c.iss !== 'string' || expected === undefined || c.iss !== expected) {
    throw new EntraAuthError('invalid_issuer', { check: 'iss' });
  }
  if (rule.tenant !== undefined) {
    if (tid === undefined && rule.tidOptional === true) return rule.tenant;
    if (typeof tid !== 'string' || tid.toLowerCase() !== rule.tenant) {
      throw new EntraAuthError('invalid_issuer', {
        message: 'The access token names another tenant than its issuer',
        check: 'tid',
      });
    }
  }
  return typeof tid === 'string' ? tid : undefined;
}

/**
 * The key's own `issuer` property, when it has one, must name the token's issuer (multi-tenant keys:
 * once the token's `tid` is filled in). As in Microsoft.IdentityModel, a v1 token may be signed by a
 * key published with the v2 issuer of the same tenant.
 */
export function checkKeyIssuer(key: SigningKey, c: ClaimSet, v2: IssuerRule): void {
  if (key.issuer === undefined) return;
  const tid = c.tid;
  const effective = key.issuer.includes(TENANT_TEMPLATE)
    ? typeof tid === 'string'
      ? key.issuer.replace(TENANT_TEMPLATE, () => tid)
      : undefined
    : key.issuer;
  if (
    effective !== undefined &&
    (effective === c.iss || effective === issuerFor(v2, tid) || v2.keyIssuers?.includes(effective) === true)
  ) {
    return;
  }
  throw new EntraAuthError('invalid_issuer', {
    message: 'The access token was signed by a key of another issuer',
    check: 'iss',
  });
}

/** `organizations` refuses personal Microsoft accounts. */
export function checkNotConsumer(tid: string | undefined): void {
  if (tid !== undefined && tid.toLowerCase() === CONSUMERS_TENANT_ID) {
    throw new EntraAuthError('tenant_not_allowed', {
      message:
        'Personal Microsoft accounts are not accepted by this API: sign in with a work or school account',
      check: 'tid',
    });
  }
}

export const ID_TOKEN_MESSAGE =
  'This is an ID token, which proves a sign-in to the client app: send an access token for this API instead (request a scope of this API, for example api://<client-id>/.default)';
const RESOURCE_MESSAGE =
  'This token is for another Microsoft service: request a token for this API scope instead (for example api://<client-id>/.default)';

/**
 * An OpenID Connect ID token sent as an access token: it has an `at_hash` / `c_hash`, a `nonce`
 * (except from Azure AD B2C, whose access tokens may carry the sign-in's nonce), or none of the
 * claims every access token has (`azp`/`appid`, `scp`, `roles`).
 */
export function isIdToken(
  c: ClaimSet,
  rules: Pick<TokenRules, 'payloadNonceMarksIdToken'> = { payloadNonceMarksIdToken: true },
): boolean {
  if (c.at_hash !== undefined || c.c_hash !== undefined) return true;
  if (c.nonce !== undefined && rules.payloadNonceMarksIdToken) return true;
  return c.azp === undefined && c.appid === undefined && c.scp === undefined && c.roles === undefined;
}

/** Not an ID token (`foreign_token`). */
export function checkNotIdToken(c: ClaimSet, rules: TokenRules): void {
  if (isIdToken(c, rules))
    throw new EntraAuthError('foreign_token', { message: ID_TOKEN_MESSAGE, check: 'foreign' });
}

/** `aud` is one of the accepted audiences (a string, or an array with one of them). */
export function checkAudience(c: ClaimSet, audiences: ReadonlySet<string>): void {
  const aud = c.aud;
  if (typeof aud === 'string') {
    if (audiences.has(aud)) return;
    if (microsoftServiceName(aud) !== undefined) {
      throw new EntraAuthError('foreign_token', { message: RESOURCE_MESSAGE, check: 'foreign' });
    }
  } else if (Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === 'string')) {
    if (aud.some((a: string) => audiences.has(a))) return;
  }
  throw new EntraAuthError('invalid_audience', { check: 'aud' });
}

/**
 * A token's permissions: delegated scopes (`scp`, space-separated) and roles (`roles`, an array of
 * strings), type-checked; empty counts as absent.
 *
 * @example
 * ```ts
 * const { scopes, roles } = readPermissions(decodeTokenUnverified(token)!.payload);
 * ```
 */
export function readPermissions(claims: { readonly scp?: unknown; readonly roles?: unknown }): {
  scopes: string[];
  roles: string[];
} {
  const scp = Object.hasOwn(claims, 'scp') ? claims.scp : undefined;
  const roles = Object.hasOwn(claims, 'roles') ? claims.roles : undefined;
  let scopes: string[] = [];
  if (scp !== undefined) {
    if (typeof scp !== 'string') {
      throw new EntraAuthError('malformed_token', {
        message: 'The access token claim scp is not a string',
        check: 'scp',
      });
    }
    if (scp !== '') {
      scopes = scp.split(' ');
      // Entra separates scopes with single spaces; anything else is tidied up, rarely.
      if (scopes.includes('')) scopes = scopes.filter((s) => s !== '');
    }
  }
  let roleList: string[] = [];
  if (roles !== undefined) {
    if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) {
      throw new EntraAuthError('malformed_token', {
        message: 'The access token claim roles is not a list of strings',
        check: 'roles',
      });
    }
    roleList = roles.slice();
  }
  return { scopes, roles: roleList };
}

/** With `requireScopeOrRole`, a token must grant something (as Microsoft.Identity.Web, IDW10201). */
export function checkHasPermissions(scopes: readonly string[], roles: readonly string[]): void {
  if (scopes.length === 0 && roles.length === 0)
    throw new EntraAuthError('missing_permissions', { check: 'scp' });
}

/** `allowGuests: false` refuses guests (`acct` = 1, or `idp` ≠ `iss`). */
export function checkNotGuest(principal: EntraPrincipal): void {
  if (principal.isGuest) throw new EntraAuthError('guest_not_allowed', { check: 'acct' });
}

/** `allowedClientIds`: the calling application (`azp` / `appid`) is listed. */
export function checkClient(principal: EntraPrincipal, allowed: ReadonlySet<string>): void {
  const client = principal.clientId;
  if (client === undefined || !allowed.has(client.toLowerCase())) {
    throw new EntraAuthError('client_not_allowed', { check: 'azp' });
  }
}
