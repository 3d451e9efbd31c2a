/**
 * Entra's claim rules, each a small function that throws one `EntraAuthError` code. They run only
 * after the signature has been checked, except {@link isGraphAudience}.
 */
import { type IssuerRule, issuerFor, TENANT_TEMPLATE } from './authority.js';
import type { ClaimSet } from './claim-set.js';
import { EntraAuthError } from './errors.js';
import { CONSUMERS_TENANT_ID, GRAPH_APP_ID } from './guid.js';
import type { SigningKey } from './jwks.js';

const GRAPH_AUDIENCES = new Set([
  GRAPH_APP_ID,
  'https://graph.microsoft.com',
  'https://graph.microsoft.com/',
  'https://graph.microsoft.us',
  'https://graph.microsoft.us/',
  'https://dod-graph.microsoft.us',
  'https://dod-graph.microsoft.us/',
  'https://microsoftgraph.chinacloudapi.cn',
  'https://microsoftgraph.chinacloudapi.cn/',
]);

/** Other Microsoft first-party resources whose tokens clients often send to the wrong API. */
const MICROSOFT_RESOURCES: ReadonlyMap<string, string> = new Map([
  ['00000002-0000-0000-c000-000000000000', 'Azure AD Graph'],
  ['https://graph.windows.net', 'Azure AD Graph'],
  ['https://graph.windows.net/', 'Azure AD Graph'],
  ['797f4846-ba00-4fd7-ba43-dac1f8f63013', 'Azure Resource Manager'],
  ['https://management.azure.com', 'Azure Resource Manager'],
  ['https://management.azure.com/', 'Azure Resource Manager'],
  ['https://management.core.windows.net', 'Azure Service Management'],
  ['https://management.core.windows.net/', 'Azure Service Management'],
  ['https://vault.azure.net', 'Azure Key Vault'],
  ['cfa8b339-82a2-471a-a3c9-0fc0be7a4093', 'Azure Key Vault'],
  ['https://storage.azure.com', 'Azure Storage'],
  ['https://storage.azure.com/', 'Azure Storage'],
  ['https://database.windows.net/', 'Azure SQL Database'],
  ['https://ossrdbms-aad.database.windows.net', 'Azure Database for PostgreSQL and MySQL'],
  ['https://cognitiveservices.azure.com', 'Azure AI services'],
  ['https://servicebus.azure.net', 'Azure Service Bus and Event Hubs'],
  ['https://api.loganalytics.io', 'Azure Log Analytics'],
  ['00000003-0000-0ff1-ce00-000000000000', 'SharePoint Online'],
  ['00000002-0000-0ff1-ce00-000000000000', 'Exchange Online'],
]);

/** The name of the Microsoft service an audience belongs to (Graph, ARM, Key Vault...), if it is one. */
export function microsoftServiceName(aud: unknown): string | undefined {
  if (typeof aud !== 'string') return undefined;
  return GRAPH_AUDIENCES.has(aud) ? 'Microsoft Graph' : MICROSOFT_RESOURCES.get(aud);
}

/** True for a Microsoft Graph audience (Graph tokens cannot be validated by anyone but Graph). */
export function isGraphAudience(aud: unknown): boolean {
  return typeof aud === 'string' && GRAPH_AUDIENCES.has(aud);
}

/** True for the audience of a Microsoft first-party service other than Graph (ARM, Key Vault, Storage...). */
export function isMicrosoftResourceAudience(aud: unknown): boolean {
  return typeof aud === 'string' && MICROSOFT_RESOURCES.has(aud);
}

/** The times a verified token may be used within, in milliseconds, for the verified-token cache. */
export interface ValidityWindow {
  readonly fromMs: number;
  readonly untilMs: number;
}

function optionalTime(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new EntraAuthError('malformed_token', {
      message: `The access token claim ${name} is not a number`,
    });
  }
  return v;
}

/**
 * `exp` (required), `nbf`, `iat`, and the token age. A token is accepted when
 * `nbf - tolerance <= now < exp + tolerance` and `iat - tolerance <= now`, and, with a maximum age,
 * `now - iat <= maxAge + tolerance`.
 */
export function checkTimes(
  c: ClaimSet,
  nowMs: number,
  toleranceSeconds: number,
  maxAgeSeconds: number | undefined,
): ValidityWindow {
  const now = nowMs / 1000;
  const exp = optionalTime(c.exp, 'exp');
  if (exp === undefined)
    throw new EntraAuthError('malformed_token', { message: 'The access token has no exp claim' });
  const nbf = optionalTime(c.nbf, 'nbf');
  const iat = optionalTime(c.iat, 'iat');
  let until = exp + toleranceSeconds;
  // Comparisons are written so that a clock returning NaN (or nothing) fails closed.
  if (!(now < until)) throw new EntraAuthError('token_expired');
  let from = Number.NEGATIVE_INFINITY;
  if (nbf !== undefined) from = nbf - toleranceSeconds;
  if (iat !== undefined) from = Math.max(from, iat - toleranceSeconds);
  if (!(now >= from)) throw new EntraAuthError('token_not_yet_valid');
  if (maxAgeSeconds !== undefined) {
    if (iat === undefined)
      throw new EntraAuthError('token_too_old', { message: 'The access token has no iat claim' });
    const oldest = iat + maxAgeSeconds + toleranceSeconds;
    if (!(now <= oldest)) throw new EntraAuthError('token_too_old');
    until = Math.min(until, oldest);
  }
  return { fromMs: from * 1000, untilMs: until * 1000 };
}

/**
 * `iss` equals the trusted issuer (multi-tenant: the template filled with a GUID `tid`); for a single
 * Entra tenant, `tid` must name that tenant too. Returns `tid`.
 */
export function checkIssuer(c: ClaimSet, rule: IssuerRule): string | undefined {
  const iss = c.iss;
  const tid = c.tid;
  const expected = issuerFor(rule, tid);
  if (typeof iss !== 'string' || expected === undefined || iss !== expected) {
    throw new EntraAuthError('invalid_issuer');
  }
  if (rule.tenant !== undefined && (typeof tid !== 'string' || tid.toLowerCase() !== rule.tenant)) {
    throw new EntraAuthError('invalid_issuer', {
      message: 'The access token names another tenant than its issuer',
    });
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
  const iss = c.iss;
  const effective = key.issuer.includes(TENANT_TEMPLATE)
    ? typeof tid === 'string'
      ? key.issuer.replace(TENANT_TEMPLATE, () => tid)
      : undefined
    : key.issuer;
  if (effective !== undefined && (effective === iss || effective === issuerFor(v2, tid))) return;
  throw new EntraAuthError('invalid_issuer', {
    message: 'The access token was signed by a key of another issuer',
  });
}

/** `organizations` refuses personal Microsoft accounts. */
export function checkNotConsumer(tid: string | undefined): void {
  if (tid !== undefined && tid.toLowerCase() === CONSUMERS_TENANT_ID) {
    throw new EntraAuthError('tenant_not_allowed', {
      message:
        'Personal Microsoft accounts are not accepted by this API: sign in with a work or school account',
    });
  }
}

/**
 * An OpenID Connect ID token sent as an access token: it has a `nonce` / `at_hash` / `c_hash`, or
 * none of the claims every access token has (`azp`/`appid`, `scp`, `roles`).
 */
export function isIdToken(c: ClaimSet): boolean {
  if (c.nonce !== undefined || c.at_hash !== undefined || c.c_hash !== undefined) {
    return true;
  }
  return c.azp === undefined && c.appid === undefined && c.scp === undefined && c.roles === undefined;
}

export const ID_TOKEN_MESSAGE =
  'This is an ID token, which proves a sign-in to the client app: send an access token for this API instead (request a scope of this API, for example api://<client-id>/.default)';
export const RESOURCE_MESSAGE =
  'This token is for another Microsoft service: request a token for this API scope instead (for example api://<client-id>/.default)';

/** `aud` is one of the accepted audiences (a string, or an array with one of them). */
export function checkAudience(c: ClaimSet, audiences: ReadonlySet<string>): void {
  const aud = c.aud;
  if (typeof aud === 'string') {
    if (audiences.has(aud)) return;
    if (MICROSOFT_RESOURCES.has(aud))
      throw new EntraAuthError('foreign_token', { message: RESOURCE_MESSAGE });
  } else if (Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === 'string')) {
    if (aud.some((a: string) => audiences.has(a))) return;
  }
  throw new EntraAuthError('invalid_audience');
}

/** `scp` (space-separated string) and `roles` (string array), type-checked. Empty counts as absent. */
export function readPermissions(c: ClaimSet): { scopes: string[]; roles: string[] } {
  const scp = c.scp;
  const roles = c.roles;
  let scopes: string[] = [];
  if (scp !== undefined) {
    if (typeof scp !== 'string') {
      throw new EntraAuthError('malformed_token', { message: 'The access token claim scp is not a string' });
    }
    if (scp !== '') {
      scopes = scp.split(' ');
      // Entra separates scopes with single spaces; anything else is tidied up, rarely.
      if (scopes.includes('')) scopes = scopes.filter((s) => s !== '');
    }
  }
  let roleList: string[] = [];
  if (roles !== undefined) {
    if (!Array.isArray(roles)) throw rolesError();
    roleList = new Array<string>(roles.length);
    for (let i = 0; i < roles.length; i++) {
      const r: unknown = roles[i];
      if (typeof r !== 'string') throw rolesError();
      roleList[i] = r;
    }
  }
  return { scopes, roles: roleList };
}

function rolesError(): EntraAuthError {
  return new EntraAuthError('malformed_token', {
    message: 'The access token claim roles is not a list of strings',
  });
}
