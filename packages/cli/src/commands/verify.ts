/**
 * `entra-token verify`: runs the real validator of `@org/entra-core` and lays its verdict out as the
 * ordered list of checks it performs. The validator reports one error code; the checks before the
 * one that failed passed, the later ones were not checked. Nothing is verified here.
 */
import {
  classifyToken,
  createEntraValidator,
  type DecodedToken,
  type EntraAuthError,
  type EntraAuthErrorCode,
  type EntraCloud,
  type EntraEvent,
  type EntraPrincipal,
  type EntraTokenVersion,
  type EntraValidatorOptions,
  isEntraAuthError,
} from '@org/entra-core';
import {
  type Advice,
  audienceAdvice,
  CONSUMERS_TENANT_ID,
  type Expectations,
  expiredAdvice,
  graphAdvice,
  idTokenAdvice,
  isGuid,
  notYetValidAdvice,
  permissionsAdvice,
  resourceAdvice,
  tenantAdvice,
  versionAdvice,
} from '../advice.js';
import { describeTime, PLAIN, type Style, safeText, table } from '../format.js';
import {
  claim,
  decodeOrThrow,
  normalizeToken,
  showAudience,
  summarize,
  type TokenSummary,
} from '../token.js';

/**
 * Options of {@link verifyToken}: the validator's configuration, as the `verify` flags give it.
 *
 * @example
 * ```ts
 * const options: VerifyOptions = {
 *   tenantId: 'organizations',
 *   clientId: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
 *   allowAnyTenant: true,
 *   timeoutMs: 2000,
 * };
 * const result = await verifyToken(token, options);
 * ```
 */
export interface VerifyOptions {
  /** `--tenant`: tenant GUID, verified domain, or `common` / `organizations` / `consumers`. */
  tenantId: string;
  /** `--audience` (repeatable): accepted `aud` values. */
  audience?: string | readonly string[];
  /** `--client-id`: the API's application id; accepts `{clientId}` and `api://{clientId}`. */
  clientId?: string;
  /** `--authority`: base URL, e.g. `https://login.microsoftonline.com` (`http:` on loopback only). */
  authority?: string;
  /** `--discovery-url`: a full v2.0 discovery URL (B2C, External ID, app-specific keys). */
  discoveryUrl?: string;
  /** `--cloud`: `public`, `usgov` or `china`. */
  cloud?: EntraCloud;
  /** `--allow-any-tenant` (multi-tenant only). */
  allowAnyTenant?: boolean;
  /** `--allowed-tenant` (repeatable, multi-tenant only). */
  allowedTenants?: readonly string[];
  /** `--token-version` (repeatable): accepted `ver` values. Default both. */
  tokenVersions?: readonly EntraTokenVersion[];
  /** `--timeout`: per-request timeout for discovery and keys, in milliseconds. Default 5000. */
  timeoutMs?: number;
  /** The current time in milliseconds (for replaying a recorded token). Default `Date.now`. */
  clock?: () => number;
  /** The `fetch` used for discovery and keys. Default the global `fetch`. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
}

/**
 * The checks the validator performs, in its order.
 *
 * @example
 * ```ts
 * const failed: CheckId | undefined = (await verifyToken(token, options)).error?.check; // e.g. 'audience'
 * ```
 */
export type CheckId =
  | 'structure'
  | 'header'
  | 'graph'
  | 'signing_key'
  | 'signature'
  | 'version'
  | 'lifetime'
  | 'issuer'
  | 'tenant'
  | 'token_kind'
  | 'audience'
  | 'permissions'
  | 'subject';

/**
 * The checks the validator performs, in its order, with their titles.
 *
 * @example
 * ```ts
 * CHECKS.map((c) => c.id); // ['structure', 'header', 'graph', 'signing_key', 'signature', ...]
 * ```
 */
export const CHECKS: readonly { readonly id: CheckId; readonly title: string }[] = Object.freeze([
  { id: 'structure', title: 'Structure (three base64url parts, JSON header and claims)' },
  { id: 'header', title: 'Algorithm and key id (alg RS256, kid, no crit)' },
  { id: 'graph', title: 'Not a Microsoft Graph token' },
  { id: 'signing_key', title: "Signing key (kid published in the issuer's key set)" },
  { id: 'signature', title: 'Signature' },
  { id: 'version', title: 'Token version (ver)' },
  { id: 'lifetime', title: 'Lifetime (nbf, iat, exp; 5 min clock tolerance)' },
  { id: 'issuer', title: 'Issuer (iss)' },
  { id: 'tenant', title: 'Tenant (tid)' },
  { id: 'token_kind', title: 'Token kind (an access token, not an ID token)' },
  { id: 'audience', title: 'Audience (aud)' },
  { id: 'permissions', title: 'Permissions (scp or roles)' },
  { id: 'subject', title: 'Subject (oid or sub)' },
] as const);

/**
 * `passed`, `failed`, or `not_checked` (after the failing check).
 *
 * @example
 * ```ts
 * const result = await verifyToken(token, options);
 * const signature: CheckStatus = result.checks.find((check) => check.id === 'signature')?.status ?? 'not_checked';
 * ```
 */
export type CheckStatus = 'passed' | 'failed' | 'not_checked';

/**
 * One line of the check list.
 *
 * @example
 * ```ts
 * const { checks } = await verifyToken(token, options);
 * for (const check of checks as readonly CheckResult[]) console.log(check.status, check.title, check.detail ?? '');
 * ```
 */
export interface CheckResult {
  readonly id: CheckId;
  readonly title: string;
  readonly status: CheckStatus;
  /** The value checked, from the token the user gave (passed and failed checks). */
  readonly detail?: string;
  /** Failed check: the validator's message. */
  readonly message?: string;
  /** Failed check: how to fix it. */
  readonly hint?: string;
}

/**
 * Why verification failed.
 *
 * @example
 * ```ts
 * const error: VerifyError | null = (await verifyToken(token, options)).error;
 * if (error?.issuerUnreachable) console.log('Entra ID could not be reached:', error.fetch?.url);
 * else if (error) console.log(error.code, error.httpStatus, error.hint); // 'invalid_audience' 401 '…'
 * ```
 */
export interface VerifyError {
  /** The validator's error code (`token_expired`, `invalid_audience`, `keys_unavailable`...). */
  readonly code: EntraAuthErrorCode;
  /** The validator's message (safe to show). */
  readonly message: string;
  /** The HTTP status an API answers with. */
  readonly httpStatus: number;
  /** The check that failed. */
  readonly check: CheckId;
  /** What the token shows about it. */
  readonly detail: string;
  /** How to fix it. */
  readonly hint: string;
  /** True when the issuer could not be reached (`keys_unavailable`): the token itself may be fine. */
  readonly issuerUnreachable: boolean;
  /** The discovery document or key set that could not be fetched, and why (`keys_unavailable`). */
  readonly fetch?: { readonly url: string; readonly reason: string };
}

/**
 * The verified caller, as JSON.
 *
 * @example
 * ```ts
 * const principal: PrincipalJson | null = (await verifyToken(token, options)).principal;
 * console.log(principal?.objectId, principal?.scopes, principal?.expiresAt);
 * ```
 */
export interface PrincipalJson {
  readonly tenantId: string;
  readonly objectId: string | null;
  readonly subject: string | null;
  readonly clientId: string | null;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly isAppOnly: boolean;
  readonly isGuest: boolean;
  readonly tokenVersion: '1.0' | '2.0';
  readonly username: string | null;
  readonly name: string | null;
  /** ISO 8601. */
  readonly expiresAt: string;
}

/**
 * The result of `verify`, and the `--json` output of `entra-token verify` (stable: `schemaVersion` 1).
 *
 * @example
 * ```ts
 * const result: VerifyResult = await verifyToken(token, { tenantId, audience: 'api://orders' });
 * console.log(JSON.stringify(result, null, 2)); // what `entra-token verify --json` prints
 * process.exitCode = result.valid ? 0 : 1;
 * ```
 */
export interface VerifyResult {
  readonly schemaVersion: 1;
  readonly command: 'verify';
  /** True only when the validator accepted the token. */
  readonly valid: boolean;
  /** Every check, in the validator's order. */
  readonly checks: readonly CheckResult[];
  /** `null` when valid. */
  readonly error: VerifyError | null;
  /** `null` unless valid. */
  readonly principal: PrincipalJson | null;
  /** The decoded token (unverified when `valid` is false): fields the user already has. */
  readonly summary: TokenSummary;
  /** The validator's configuration, normalised. */
  readonly config: {
    readonly tenantId: string;
    readonly audiences: readonly string[];
    readonly discoveryUrl: string;
    readonly multiTenant: boolean;
    readonly tokenVersions: readonly string[];
  };
}

function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

function validatorOptions(options: VerifyOptions, events: EntraEvent[]): EntraValidatorOptions {
  return compact({
    tenantId: options.tenantId,
    audience:
      options.audience === undefined || (Array.isArray(options.audience) && options.audience.length === 0)
        ? undefined
        : options.audience,
    clientId: options.clientId,
    authority: options.authority,
    discoveryUrl: options.discoveryUrl,
    cloud: options.cloud,
    allowAnyTenant: options.allowAnyTenant,
    allowedTenants:
      options.allowedTenants === undefined || options.allowedTenants.length === 0
        ? undefined
        : options.allowedTenants,
    tokenVersions:
      options.tokenVersions === undefined || options.tokenVersions.length === 0
        ? undefined
        : options.tokenVersions,
    jwks: options.timeoutMs === undefined ? undefined : { timeoutMs: options.timeoutMs },
    clock: options.clock,
    fetch: options.fetch,
    tokenCache: false,
    onEvent: (event: EntraEvent) => {
      events.push(event);
    },
  }) as EntraValidatorOptions;
}

// ---------------------------------------------------------------------------------------------
// Where a failure sits in the list. The validator says what failed (the code); for the few codes
// that several checks raise, the decoded token says which one.

const MAX_KID_LENGTH = 256;
/** The validator's `maxTokenLength` default: longer tokens are refused before decoding. */
const DEFAULT_MAX_TOKEN_LENGTH = 16384; // the core's default; `verify` passes no other

/** Which check raised `malformed_token`: the part of the token that is malformed. */
function malformedCheck(token: string, decoded: DecodedToken): CheckId {
  if (token.length > DEFAULT_MAX_TOKEN_LENGTH) return 'structure';
  const { header, payload } = decoded;
  const alg = claim(header, 'alg');
  const kid = claim(header, 'kid');
  const typ = claim(header, 'typ');
  if (
    typeof alg !== 'string' ||
    claim(header, 'crit') !== undefined ||
    (typ !== undefined && (typeof typ !== 'string' || typ.toUpperCase() !== 'JWT')) ||
    typeof kid !== 'string' ||
    kid === '' ||
    kid.length > MAX_KID_LENGTH
  ) {
    return 'header';
  }
  const signature = token.slice(token.lastIndexOf('.') + 1);
  if (signature === '' || !/^[A-Za-z0-9_-]+$/.test(signature)) return 'structure';
  const number = (name: string): boolean => {
    const v = claim(payload, name);
    return typeof v === 'number' && Number.isFinite(v);
  };
  if (
    !number('exp') ||
    (claim(payload, 'nbf') !== undefined && !number('nbf')) ||
    (claim(payload, 'iat') !== undefined && !number('iat'))
  ) {
    return 'lifetime';
  }
  const scp = claim(payload, 'scp');
  const roles = claim(payload, 'roles');
  if (
    (scp !== undefined && typeof scp !== 'string') ||
    (roles !== undefined && !(Array.isArray(roles) && roles.every((r) => typeof r === 'string')))
  ) {
    return 'permissions';
  }
  const id = (name: string): boolean => {
    const v = claim(payload, name);
    return typeof v === 'string' && v !== '';
  };
  // A user (delegated) token must name its user; app-only tokens may carry neither oid nor sub.
  if (!id('oid') && !id('sub') && scp !== undefined && scp !== '') return 'subject';
  return 'structure';
}

/** The check that raised an error. */
export function failedCheck(
  error: EntraAuthError,
  token: string,
  decoded: DecodedToken,
  events: readonly EntraEvent[],
): CheckId {
  switch (error.code) {
    case 'malformed_token':
      return malformedCheck(token, decoded);
    case 'unsupported_algorithm':
      // Refused by the header's allow-list, or by the key's own alg after the key was found.
      return claim(decoded.header, 'alg') === 'RS256' ? 'signature' : 'header';
    case 'foreign_token': {
      const kind = classifyToken(decoded);
      return kind === 'graph_token' ? 'graph' : kind === 'id_token' ? 'token_kind' : 'audience';
    }
    case 'keys_unavailable':
      // The v1.0 discovery document is read only for v1 tokens, after the lifetime check.
      return events.some((e) => e.type === 'metadata_fetch_failed' && e.version === '1.0')
        ? 'issuer'
        : 'signing_key';
    case 'unknown_signing_key':
      return 'signing_key';
    case 'invalid_signature':
      return 'signature';
    case 'unsupported_token_version':
      return 'version';
    case 'token_expired':
    case 'token_not_yet_valid':
    case 'token_too_old':
      return 'lifetime';
    case 'invalid_issuer':
      return 'issuer';
    case 'tenant_not_allowed':
      return 'tenant';
    case 'invalid_audience':
      return 'audience';
    case 'missing_permissions':
      return 'permissions';
    default:
      return 'subject';
  }
}

// ---------------------------------------------------------------------------------------------
// Hints.

interface HintContext {
  readonly token: string;
  readonly decoded: DecodedToken;
  readonly summary: TokenSummary;
  readonly expect: Expectations;
  readonly options: VerifyOptions;
  readonly tokenVersions: readonly string[];
  readonly events: readonly EntraEvent[];
  readonly nowMs: number;
}

const FETCH_REASONS: Readonly<Record<string, string>> = {
  network: 'the connection failed',
  timeout: 'the request timed out',
  status: 'the server answered with an error status',
  redirect: 'the server redirected (redirects are never followed)',
  too_large: 'the response was too large',
  invalid_json: 'the response was not JSON',
  invalid_document: 'the document was refused',
  no_usable_keys: 'the key set has no usable RSA signing key',
};

function fetchFailure(events: readonly EntraEvent[]): { url: string; reason: string } | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as EntraEvent;
    if (e.type === 'metadata_fetch_failed') return { url: e.url, reason: e.reason };
    if (e.type === 'keys_fetch_failed') return { url: e.jwksUri, reason: e.reason };
  }
  return undefined;
}

function jwksUriOf(events: readonly EntraEvent[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as EntraEvent;
    if (e.type === 'keys_fetched') return e.jwksUri;
  }
  return undefined;
}

function causeMessage(error: EntraAuthError): string | undefined {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message !== '' ? cause.message : undefined;
}

function malformedAdvice(check: CheckId): Advice {
  switch (check) {
    case 'header':
      return {
        detail:
          'The header does not have what Entra always writes: alg (a string), a kid, no crit, and typ JWT when present.',
        fix: 'This token was not issued by Entra ID (a hand-made or test token, or another issuer). Get a token from Entra ID for your API.',
      };
    case 'lifetime':
      return {
        detail: 'exp is missing, or exp, nbf or iat is not a number.',
        fix: 'Entra always sets numeric exp, nbf and iat: this token was not issued by Entra ID.',
      };
    case 'permissions':
      return {
        detail: 'scp is not a space-separated string, or roles is not an array of strings.',
        fix: 'Entra writes scp as a string and roles as an array: this token was not issued by Entra ID.',
      };
    case 'subject':
      return {
        detail: 'The token is a user token (it has scp) but has neither oid nor sub.',
        fix: 'Entra user tokens always identify their user: this token was not issued by Entra ID.',
      };
    default:
      return {
        detail:
          'The token is not a strictly encoded JWT: three unpadded base64url parts, JSON objects, a signature, at most 16384 characters.',
        fix: 'Copy the whole token again, without quotes or line breaks (check the copy was not cut).',
      };
  }
}

function hintFor(error: EntraAuthError, check: CheckId, ctx: HintContext): Advice {
  const { summary, expect, options } = ctx;
  const kid = claim(ctx.decoded.header, 'kid');
  switch (error.code) {
    case 'malformed_token':
      return malformedAdvice(check);
    case 'unsupported_algorithm':
      return {
        detail: `The token is signed with ${String(claim(ctx.decoded.header, 'alg'))}${check === 'signature' ? ', but its signing key is published for another algorithm' : ''}; Entra signs access tokens with RS256.`,
        fix: 'A token with another algorithm was not issued by Entra ID (an HS256 test token, or another issuer): get a token from Entra ID.',
      };
    case 'foreign_token':
      if (check === 'graph') return graphAdvice(summary, expect);
      if (check === 'token_kind') return idTokenAdvice(summary);
      return resourceAdvice(summary, expect);
    case 'keys_unavailable': {
      const failure = fetchFailure(ctx.events);
      const where = failure === undefined ? "the issuer's metadata" : failure.url;
      if (failure?.reason === 'invalid_document') {
        return {
          detail: `${causeMessage(error) ?? `The discovery document ${where} was refused`}.`,
          fix: 'The issuer answered, but for another tenant or authority: check --tenant, --authority (or --cloud) and --discovery-url.',
        };
      }
      const why = failure === undefined ? 'it could not be fetched' : FETCH_REASONS[failure.reason];
      return {
        detail: `The issuer is unreachable: ${where}: ${why ?? failure?.reason}. The token itself was not judged.`,
        fix: 'Check the network (proxy, firewall, DNS) and --authority / --tenant, then retry. An API in this state answers 503 with Retry-After.',
      };
    }
    case 'unknown_signing_key': {
      const jwks = jwksUriOf(ctx.events) ?? "the issuer's key set";
      return {
        detail: `No key with kid ${typeof kid === 'string' ? kid : '(none)'} in ${jwks} (the token's iss: ${summary.issuer ?? '(none)'}).`,
        fix: `Usual causes: the token comes from another tenant, cloud or authority than --tenant ${options.tenantId}${options.authority ? ` --authority ${options.authority}` : ''}; the API uses app-specific signing keys (claims mapping or SAML SSO): pass --discovery-url with ?appid=<api-client-id>; or the token was signed by a key Entra never published (a test token).`,
      };
    }
    case 'invalid_signature':
      return {
        detail: `The signature does not match the published key ${typeof kid === 'string' ? kid : ''}: the token was altered, cut short, or forged.`,
        fix: 'Copy the token again, whole. A token whose claims were edited can never verify.',
      };
    case 'unsupported_token_version': {
      const accepted = ctx.tokenVersions;
      const expected = (accepted.length === 1 ? accepted[0] : summary.version === '1.0' ? '2.0' : '1.0') as
        | '1.0'
        | '2.0';
      if (summary.version === undefined) {
        return {
          detail: `The token's ver is ${String(claim(ctx.decoded.payload, 'ver'))}: Entra access tokens have ver 1.0 or 2.0.`,
          fix: 'This token was not issued by Entra ID as an access token.',
        };
      }
      if (error.message.includes('only v2.0')) {
        return {
          detail: `This authority (${options.discoveryUrl ?? 'custom discovery URL'}) issues v2.0 tokens only, and the token is v${summary.version}.`,
          fix: 'Get a v2.0 token, or point --discovery-url at a v2.0 discovery document whose v1.0 counterpart exists.',
        };
      }
      return versionAdvice(summary, expected);
    }
    case 'token_expired':
      return expiredAdvice(summary, ctx.nowMs);
    case 'token_not_yet_valid':
      return notYetValidAdvice(summary, ctx.nowMs);
    case 'token_too_old':
      return {
        detail: `The token was issued ${summary.times.iat?.relative.replace(/^issued /, '') ?? 'too long ago'}.`,
        fix: 'Get a new token.',
      };
    case 'invalid_issuer': {
      const tenant = options.tenantId.toLowerCase();
      if (error.message.includes('key of another issuer')) {
        return {
          detail: `The key that signed the token belongs to another issuer than the token's iss (${summary.issuer ?? '(none)'}).`,
          fix: 'This token was not issued by the issuer it names: get a token from your tenant.',
        };
      }
      if (isGuid(tenant) && summary.tenantId !== undefined && summary.tenantId.toLowerCase() !== tenant) {
        return tenantAdvice(summary, tenant);
      }
      return {
        detail: `The token's iss is ${summary.issuer ?? '(none)'}, which is not the issuer of tenant ${options.tenantId} at ${options.discoveryUrl ?? options.authority ?? options.cloud ?? 'the public cloud'}.`,
        fix: 'Check --tenant, and --authority / --cloud / --discovery-url for national clouds, B2C and External ID. v1.0 tokens are issued by https://sts.windows.net/<tid>/, v2.0 tokens by https://login.microsoftonline.com/<tid>/v2.0.',
      };
    }
    case 'tenant_not_allowed': {
      if (summary.tenantId?.toLowerCase() === CONSUMERS_TENANT_ID)
        return tenantAdvice(summary, 'organizations');
      const tid = summary.tenantId ?? '(none)';
      return {
        detail: `The token is from tenant ${tid}, which is not among the allowed tenants (${(options.allowedTenants ?? []).join(', ') || 'none'}).`,
        fix: `If that tenant is a customer of your API, add --allowed-tenant ${tid} (allowedTenants in code); --allow-any-tenant accepts every tenant.`,
      };
    }
    case 'invalid_audience':
      return audienceAdvice(summary, expect);
    case 'missing_permissions':
      return permissionsAdvice(summary, expect);
    default:
      return { detail: error.message, fix: 'See the error code in the documentation of @org/entra-core.' };
  }
}

// ---------------------------------------------------------------------------------------------
// Details of passed checks: the values that were checked, from the token itself.

function passedDetail(id: CheckId, ctx: HintContext, principal?: EntraPrincipal): string | undefined {
  const { summary } = ctx;
  const header = ctx.decoded.header;
  switch (id) {
    case 'header': {
      const alg = claim(header, 'alg');
      const kid = claim(header, 'kid');
      return `alg ${typeof alg === 'string' ? alg : '?'}, kid ${typeof kid === 'string' ? kid : '?'}`;
    }
    case 'signing_key': {
      const jwks = jwksUriOf(ctx.events);
      return jwks === undefined ? undefined : `from ${jwks}`;
    }
    case 'version':
      return summary.version === undefined ? undefined : `ver ${summary.version}`;
    case 'lifetime':
      return summary.times.exp?.relative;
    case 'issuer':
      return summary.issuer;
    case 'tenant':
      return summary.tenantId;
    case 'token_kind':
      return summary.kind === 'access_token' ? `access token, ${summary.identity}` : undefined;
    case 'audience':
      return summary.audience === undefined ? undefined : showAudience(summary.audience);
    case 'permissions': {
      const parts = [];
      if (summary.scopes.length > 0) parts.push(`scp: ${summary.scopes.join(' ')}`);
      if (summary.roles.length > 0) parts.push(`roles: ${summary.roles.join(' ')}`);
      return parts.length > 0 ? parts.join('; ') : undefined;
    }
    case 'subject':
      return principal === undefined ? undefined : `oid ${principal.objectId ?? '(none: an app-only token)'}`;
    default:
      return undefined;
  }
}

function toJson(p: EntraPrincipal): PrincipalJson {
  return {
    tenantId: p.tenantId,
    objectId: p.objectId ?? null,
    subject: p.subject ?? null,
    clientId: p.clientId ?? null,
    scopes: [...p.scopes],
    roles: [...p.roles],
    isAppOnly: p.isAppOnly,
    isGuest: p.isGuest,
    tokenVersion: p.tokenVersion,
    username: p.username ?? null,
    name: p.name ?? null,
    expiresAt: p.expiresAt.toISOString(),
  };
}

/**
 * Verifies a token with the real validator of `@org/entra-core` (discovery, keys, signature, Entra's
 * claim rules) and returns every check in order, with the failing one explained. Resolves for valid
 * and rejected tokens alike; throws `EntraConfigError` for options the validator refuses, and a
 * `UsageError` for input that is not a JWT.
 *
 * @example
 * ```ts
 * import { verifyToken } from '@org/entra-cli';
 *
 * const result = await verifyToken(token, { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '6e74172b-be56-4843-9ff4-e66a39bb12e3' });
 * if (!result.valid) console.log(result.error?.check, result.error?.code, result.error?.hint);
 * ```
 */
export async function verifyToken(token: string, options: VerifyOptions): Promise<VerifyResult> {
  const jwt = normalizeToken(token);
  const decoded = decodeOrThrow(jwt);
  const events: EntraEvent[] = [];
  // Throws EntraConfigError synchronously for bad options: the caller's usage error.
  const validator = createEntraValidator(validatorOptions(options, events));
  const clock = options.clock ?? Date.now;
  let principal: EntraPrincipal | undefined;
  let failure: EntraAuthError | undefined;
  try {
    principal = await validator.verify(jwt);
  } catch (error) {
    if (!isEntraAuthError(error)) throw error;
    failure = error;
  } finally {
    validator.close();
  }
  const nowMs = clock();
  const summary = summarize(decoded, nowMs);
  const config = validator.config;
  const tokenVersions = options.tokenVersions?.length ? [...options.tokenVersions] : ['1.0', '2.0'];
  const expect: Expectations = {
    audiences: config.audiences,
    clientId: config.clientId,
    tenantId: config.tenantId,
  };
  const ctx: HintContext = { token: jwt, decoded, summary, expect, options, tokenVersions, events, nowMs };
  const failedAt = failure === undefined ? undefined : failedCheck(failure, jwt, decoded, events);
  const failedIndex = failedAt === undefined ? CHECKS.length : CHECKS.findIndex((c) => c.id === failedAt);
  let error: VerifyError | null = null;
  const checks: CheckResult[] = CHECKS.map(({ id, title }, i) => {
    if (i < failedIndex)
      return compact({ id, title, status: 'passed' as const, detail: passedDetail(id, ctx, principal) });
    if (i > failedIndex || failure === undefined) return { id, title, status: 'not_checked' as const };
    const advice = hintFor(failure, id, ctx);
    const fetch = failure.code === 'keys_unavailable' ? fetchFailure(events) : undefined;
    error = compact({
      code: failure.code,
      message: failure.message,
      httpStatus: failure.status,
      check: id,
      detail: advice.detail,
      hint: advice.fix,
      issuerUnreachable: failure.code === 'keys_unavailable' && fetch?.reason !== 'invalid_document',
      fetch,
    });
    return {
      id,
      title,
      status: 'failed' as const,
      detail: advice.detail,
      message: failure.message,
      hint: advice.fix,
    };
  });
  return {
    schemaVersion: 1,
    command: 'verify',
    valid: principal !== undefined,
    checks,
    error,
    principal: principal === undefined ? null : toJson(principal),
    summary,
    config: {
      tenantId: config.tenantId,
      audiences: [...config.audiences],
      discoveryUrl: config.discoveryUrl,
      multiTenant: config.multiTenant,
      tokenVersions,
    },
  };
}

const MARK: Readonly<Record<CheckStatus, (s: Style) => string>> = {
  passed: (s) => s.green('✓'),
  failed: (s) => s.red('✗'),
  not_checked: (s) => s.dim('·'),
};

/**
 * The human output of `entra-token verify`.
 *
 * @example
 * ```ts
 * process.stdout.write(renderVerify(await verifyToken(token, options)));
 * ```
 */
export function renderVerify(result: VerifyResult, style: Style = PLAIN, nowMs: number = Date.now()): string {
  const lines: string[] = [];
  const error = result.error;
  if (result.valid) {
    lines.push(style.green(style.bold('✓ Token is valid')));
  } else if (error?.issuerUnreachable) {
    lines.push(style.red(style.bold(`✗ Could not verify: the issuer is unreachable (${error.code})`)));
  } else if (error !== null) {
    lines.push(style.red(style.bold(`✗ Token rejected: ${error.code}`)));
  }
  lines.push('');
  const width = Math.max(...result.checks.map((c) => c.title.length));
  for (const check of result.checks) {
    const title = check.title.padEnd(width);
    if (check.status === 'passed') {
      lines.push(`  ${MARK.passed(style)} ${title}  ${style.dim(safeText(check.detail ?? ''))}`.trimEnd());
    } else if (check.status === 'failed') {
      lines.push(`  ${MARK.failed(style)} ${style.bold(title)}  ${style.red(check.message ?? '')}`.trimEnd());
      if (check.detail !== undefined) lines.push(`      ${safeText(check.detail)}`);
      if (check.hint !== undefined) lines.push(`      ${style.bold('Fix:')} ${safeText(check.hint)}`);
    } else {
      lines.push(`  ${MARK.not_checked(style)} ${style.dim(`${title}  not checked`)}`);
    }
  }
  lines.push('');
  const p = result.principal;
  if (p !== null) {
    lines.push(style.bold('Principal'));
    lines.push(
      table(
        [
          ['tenantId', p.tenantId],
          ['objectId', p.objectId ?? '(none)'],
          ['clientId', p.clientId ?? '(none)'],
          ['scopes', p.scopes.length > 0 ? p.scopes.join(' ') : '(none)'],
          ['roles', p.roles.length > 0 ? p.roles.join(' ') : '(none)'],
          ['isAppOnly', String(p.isAppOnly)],
          ['isGuest', String(p.isGuest)],
          ['tokenVersion', p.tokenVersion],
          ['username', p.username ?? '(none)'],
          ['expiresAt', `${p.expiresAt} (${describeTime('exp', Date.parse(p.expiresAt) / 1000, nowMs)})`],
        ].map(([k, v]) => [k as string, safeText(v as string)] as [string, string]),
      ),
    );
  } else {
    lines.push(
      `${style.bold('Token')} ${style.dim('(decoded, not trusted)')}  ${safeText(result.summary.text)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
