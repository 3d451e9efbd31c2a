/**
 * Reading a token from what a user pasted, and describing a decoded (unverified) token: version,
 * kind, delegated or app-only, tenant, audience, permissions, times. Shared by every command.
 */
import {
  classifyToken,
  type DecodedToken,
  decodeTokenUnverified,
  microsoftServiceName,
  readPermissions,
  type TokenKind,
} from '@org/entra-core';
import { describeTime, isoDate, type TimeClaim } from './format.js';

/**
 * Thrown for bad usage and for input that is not a JWT: the bin prints the message and exits 2.
 *
 * @example
 * ```ts
 * try {
 *   decodeToken(input);
 * } catch (e) {
 *   if (e instanceof UsageError) console.error(e.code, e.message); // 'not_a_jwt', 'the input is not a JWT ...'
 * }
 * ```
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** `usage` for arguments, `not_a_jwt` for input that does not decode. */
    readonly code: 'usage' | 'not_a_jwt' = 'usage',
  ) {
    super(message);
  }
}

/**
 * What a user pasted, cleaned: surrounding whitespace, a leading `Bearer ` (or a whole
 * `Authorization: Bearer ` header line), surrounding quotes, and line breaks inside (a wrapped
 * paste) are removed. JWTs contain none of these.
 *
 * @example
 * ```ts
 * normalizeToken('  Bearer eyJ0eXAi...\n'); // 'eyJ0eXAi...'
 * ```
 */
export function normalizeToken(input: string): string {
  let token = input.trim();
  token = token.replace(/^authorization\s*:\s*/i, '');
  token = token.replace(/^bearer\s+/i, '');
  token = token.trim();
  if (token.length >= 2 && /^(["']).*\1$/s.test(token)) token = token.slice(1, -1).trim();
  return token.replace(/\s+/g, '');
}

/** Why a string is not a JWT, in one line. */
function notAJwt(token: string): string {
  if (token === '') return 'no token given: pass it as an argument, or pipe it on standard input';
  const parts = token.split('.').length;
  if (parts === 5)
    return 'the input is an encrypted token (JWE, five parts): it cannot be decoded without the private key';
  if (parts === 1)
    return 'the input is not a JWT (no dots): an opaque token, such as a refresh token or a token for a personal Microsoft account, cannot be decoded';
  if (parts !== 3) return `the input is not a JWT: expected three parts separated by dots, found ${parts}`;
  return 'the input is not a JWT: its header and payload must be base64url-encoded JSON objects (unpadded)';
}

/**
 * Decodes a token WITHOUT verifying it, or throws a {@link UsageError} that says why it is not a JWT.
 *
 * @example
 * ```ts
 * const { header, payload } = decodeOrThrow(token);
 * ```
 */
export function decodeOrThrow(token: string): DecodedToken {
  const decoded = decodeTokenUnverified(token);
  if (decoded === undefined) throw new UsageError(notAJwt(token), 'not_a_jwt');
  return decoded;
}

/** Own property of a decoded object (inherited ones never count, as in the core). */
export function claim(obj: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(obj, name) ? obj[name] : undefined;
}

/** A non-empty string claim. */
export function stringClaim(obj: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = claim(obj, name);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * A time claim as it appears in results: the raw number, its ISO date, and words relative to now.
 *
 * @example
 * ```ts
 * const exp: TimeInfo | undefined = decodeToken(token).summary.times.exp;
 * console.log(exp?.date, exp?.relative); // '2026-01-01T10:00:00.000Z' 'expires in 42 min'
 * ```
 */
export interface TimeInfo {
  /** The claim's value: seconds since 1970. */
  readonly value: number;
  /** ISO 8601, UTC. */
  readonly date: string;
  /** `expires in 42 min`, `expired 3 h ago`, `issued 12 min ago`, ... */
  readonly relative: string;
}

/**
 * Who a token speaks for, by its claims: a user (delegated), an application (app-only), or neither.
 *
 * @example
 * ```ts
 * const identity: Identity = decodeToken(token).summary.identity; // 'delegated', 'app-only' or 'unknown'
 * ```
 */
export type Identity = 'delegated' | 'app-only' | 'unknown';

/**
 * A decoded token described in a few fields. Nothing here is verified.
 *
 * @example
 * ```ts
 * const summary: TokenSummary = decodeToken(token).summary;
 * console.log(summary.text); // 'v2.0 access token, delegated, tenant …, audience …, expires in 42 min'
 * ```
 */
export interface TokenSummary {
  /** `access_token`, `graph_token`, `id_token` or `microsoft_resource_token` (from the core's `classifyToken`). */
  readonly kind: TokenKind;
  /** `ver`, when it is `1.0` or `2.0`. */
  readonly version: '1.0' | '2.0' | undefined;
  readonly identity: Identity;
  /** `tid`. */
  readonly tenantId: string | undefined;
  /** `aud`: a string, or the array the token carries. */
  readonly audience: string | readonly string[] | undefined;
  readonly issuer: string | undefined;
  /** `azp` ?? `appid`: the calling application. */
  readonly clientId: string | undefined;
  readonly objectId: string | undefined;
  /** `preferred_username` ?? `upn` ?? `unique_name` (display only). */
  readonly username: string | undefined;
  /** From `scp`, split on spaces. */
  readonly scopes: readonly string[];
  /** From `roles`. */
  readonly roles: readonly string[];
  /** `acct` is 1, or `idp` is present and differs from `iss`. */
  readonly isGuest: boolean;
  readonly times: Readonly<Partial<Record<TimeClaim, TimeInfo>>>;
  /** `exp` is in the past (before any clock tolerance). */
  readonly expired: boolean;
  /** `nbf` is in the future (before any clock tolerance). */
  readonly notYetValid: boolean;
  /** The one-line summary, e.g. `v2.0 access token, delegated, tenant …, audience …, scopes: access_as_user, expires in 42 min`. */
  readonly text: string;
}

/**
 * The name of a well-known Microsoft audience (`Azure Resource Manager`), or `undefined`.
 *
 * @example
 * ```ts
 * microsoftResourceName('https://management.azure.com/'); // 'Azure Resource Manager'
 * ```
 */
export function microsoftResourceName(aud: unknown): string | undefined {
  if (typeof aud !== 'string') return undefined;
  return microsoftServiceName(aud) ?? microsoftServiceName(aud.replace(/\/+$/, ''));
}

/** Scopes (`scp`) and roles, read as the core reads them; claims of the wrong type count as none here. */
function permissionsOf(payload: Readonly<Record<string, unknown>>): { scopes: string[]; roles: string[] } {
  try {
    return readPermissions(payload);
  } catch {
    return { scopes: [], roles: [] };
  }
}

/**
 * Delegated (a user) or app-only: `idtyp` when present; otherwise a token with `scp` is delegated,
 * and one without is app-only only if `oid` equals `sub` (an application's token; a user's `sub` is
 * pairwise, never its `oid`). So a user token that lacks `scp` is still called delegated here.
 */
export function identityOf(payload: Readonly<Record<string, unknown>>, kind: TokenKind): Identity {
  if (kind === 'id_token') return 'unknown';
  const idtyp = claim(payload, 'idtyp');
  if (typeof idtyp === 'string') return idtyp === 'app' ? 'app-only' : 'delegated';
  if (permissionsOf(payload).scopes.length > 0) return 'delegated';
  const oid = stringClaim(payload, 'oid');
  const sub = stringClaim(payload, 'sub');
  return oid !== undefined && sub !== undefined && oid !== sub ? 'delegated' : 'app-only';
}

function timeInfo(
  payload: Readonly<Record<string, unknown>>,
  name: TimeClaim,
  nowMs: number,
): TimeInfo | undefined {
  const value = claim(payload, name);
  const date = isoDate(value);
  if (date === undefined) return undefined;
  return { value: value as number, date, relative: describeTime(name, value as number, nowMs) };
}

const KIND_WORDS: Readonly<Record<TokenKind, string>> = {
  access_token: 'access token',
  graph_token: 'Microsoft Graph token',
  id_token: 'ID token',
  microsoft_resource_token: 'token for a Microsoft service',
};

/** `aud` for display: a string, or the array joined. */
export function showAudience(aud: string | readonly string[] | undefined): string {
  if (aud === undefined) return '(none)';
  return typeof aud === 'string' ? aud : aud.join(', ');
}

/**
 * Describes a decoded token in a few fields and one line. Nothing here is verified.
 *
 * @example
 * ```ts
 * summarize(decodeOrThrow(token)).text;
 * // 'v2.0 access token, delegated, tenant 72f9…, audience 6e74…, scopes: access_as_user, expires in 42 min'
 * ```
 */
export function summarize(decoded: DecodedToken, nowMs: number = Date.now()): TokenSummary {
  const payload = decoded.payload;
  const kind = classifyToken(decoded);
  const ver = claim(payload, 'ver');
  const version: '1.0' | '2.0' | undefined = ver === '1.0' || ver === '2.0' ? ver : undefined;
  const rawAud = claim(payload, 'aud');
  const audience =
    typeof rawAud === 'string'
      ? rawAud
      : Array.isArray(rawAud) && rawAud.every((a) => typeof a === 'string')
        ? (rawAud as string[])
        : undefined;
  const issuer = stringClaim(payload, 'iss');
  const idp = claim(payload, 'idp');
  const times: Partial<Record<TimeClaim, TimeInfo>> = {};
  for (const name of ['iat', 'nbf', 'exp'] as const) {
    const info = timeInfo(payload, name, nowMs);
    if (info !== undefined) times[name] = info;
  }
  const identity = identityOf(payload, kind);
  const { scopes, roles } = permissionsOf(payload);
  const tenantId = stringClaim(payload, 'tid');
  const summary = {
    kind,
    version,
    identity,
    tenantId,
    audience,
    issuer,
    clientId: stringClaim(payload, 'azp') ?? stringClaim(payload, 'appid'),
    objectId: stringClaim(payload, 'oid'),
    username:
      stringClaim(payload, 'preferred_username') ??
      stringClaim(payload, 'upn') ??
      stringClaim(payload, 'unique_name'),
    scopes,
    roles,
    isGuest: claim(payload, 'acct') === 1 || (typeof idp === 'string' && idp !== issuer),
    times,
    expired: times.exp !== undefined && times.exp.value * 1000 <= nowMs,
    notYetValid: times.nbf !== undefined && times.nbf.value * 1000 > nowMs,
  };
  return { ...summary, text: summaryLine(summary, payload) };
}

function summaryLine(s: Omit<TokenSummary, 'text'>, payload: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  let what = KIND_WORDS[s.kind];
  if (s.kind === 'microsoft_resource_token' || s.kind === 'graph_token') {
    const name = microsoftResourceName(typeof s.audience === 'string' ? s.audience : undefined);
    if (s.kind === 'microsoft_resource_token' && name !== undefined) what = `token for ${name}`;
  }
  parts.push(`${s.version === undefined ? 'unversioned' : `v${s.version}`} ${what}`);
  if (s.identity !== 'unknown') parts.push(s.identity === 'app-only' ? 'app-only' : 'delegated');
  if (s.isGuest) parts.push('guest user');
  parts.push(`tenant ${s.tenantId ?? '(none)'}`);
  parts.push(`audience ${showAudience(s.audience)}`);
  if (s.scopes.length > 0) parts.push(`scopes: ${s.scopes.join(' ')}`);
  if (s.roles.length > 0) parts.push(`roles: ${s.roles.join(' ')}`);
  if (s.scopes.length === 0 && s.roles.length === 0 && s.kind !== 'id_token')
    parts.push('no scopes or roles');
  if (s.times.exp !== undefined) parts.push(s.times.exp.relative);
  else if (claim(payload, 'exp') === undefined) parts.push('no exp');
  return parts.join(', ');
}
