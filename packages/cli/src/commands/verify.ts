/**
 * `entra-token verify`: verify with the real validator of `@org/entra-core`, then explain the check
 * that refused the token. The verdict is the validator's (`EntraAuthError.code`, `.check`,
 * `.message`); it is laid out on the validator's checks in their order (`checks.ts`) and explained by
 * the explanations of that check (`explanations.ts`).
 */
import {
  createEntraValidator,
  type EntraAuthCheck,
  type EntraAuthError,
  type EntraAuthErrorCode,
  type EntraCloud,
  type EntraEvent,
  type EntraPrincipal,
  type EntraTokenVersion,
  type EntraValidatorOptions,
  isEntraAuthError,
} from '@org/entra-core';
import type { Expectations } from '../advice.js';
import { type CheckInfo, layOut } from '../checks.js';
import { explainRefusal, type FindingId, fetchFailureOf, jwksUriOf } from '../explanations.js';
import { cloudOfUrl, tokenFlavour } from '../flavours.js';
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
  /**
   * `--tenant`: tenant GUID, verified domain, or `common` / `organizations` / `consumers`. With `b2c`,
   * the B2C tenant (its GUID or `{name}.onmicrosoft.com`); with `externalId`, the external tenant's GUID.
   */
  tenantId: string;
  /**
   * `--b2c-domain` and `--b2c-policy` (repeatable): the API trusts an Azure AD B2C tenant, whose
   * tenant is `tenantId`. `domain` is the host users sign in on (`contoso.b2clogin.com` or a custom
   * domain); `policies` the user flows and custom policies whose tokens are accepted.
   */
  b2c?: { readonly domain: string; readonly policies: readonly string[] };
  /**
   * `--external-id` (and `--domain`): the API trusts an Entra External ID tenant, whose GUID is
   * `tenantId`. `domain`: where its metadata is served, default `{tenantId}.ciamlogin.com`.
   */
  externalId?: { readonly domain?: string | undefined };
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
  /** The core's word for the check (`EntraAuthError.check`). */
  readonly id: EntraAuthCheck;
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
 * else if (error) console.log(error.check, error.code, error.hint); // 'aud' 'invalid_audience' '…'
 * ```
 */
export interface VerifyError {
  /** The validator's error code (`token_expired`, `invalid_audience`, `keys_unavailable`...). */
  readonly code: EntraAuthErrorCode;
  /** The validator's message (safe to show). */
  readonly message: string;
  /** The HTTP status an API answers with. */
  readonly httpStatus: number;
  /** The check that failed: the validator's `EntraAuthError.check`. */
  readonly check: EntraAuthCheck;
  /** The diagnosis (`graph_token`, `expired`, `audience`...): `explain`'s finding ids. */
  readonly reason: FindingId;
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
  /** Azure AD B2C: the policy that issued the token, as configured. */
  readonly policy?: string;
}

/**
 * The result of `verify`, and the `--json` output of `entra-token verify` (stable: `schemaVersion` 2).
 *
 * @example
 * ```ts
 * const result: VerifyResult = await verifyToken(token, { tenantId, audience: 'api://orders' });
 * console.log(JSON.stringify(result, null, 2)); // what `entra-token verify --json` prints
 * process.exitCode = result.valid ? 0 : 1;
 * ```
 */
export interface VerifyResult {
  readonly schemaVersion: 2;
  readonly command: 'verify';
  /** True only when the validator accepted the token. */
  readonly valid: boolean;
  /** The checks this configuration performs, in the validator's order. */
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
    /** Which kind of Entra tenant: `workforce`, `b2c` (Azure AD B2C) or `externalId` (Entra External ID). */
    readonly flavour: 'workforce' | 'b2c' | 'externalId';
    /** Azure AD B2C: the accepted policies. */
    readonly policies?: readonly string[];
  };
}

function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

const nonEmpty = <T>(list: readonly T[] | undefined): readonly T[] | undefined =>
  list === undefined || list.length === 0 ? undefined : list;

/** Where tokens come from: `tenantId`, or the B2C or External ID tenant it names. */
function authorityOptions(options: VerifyOptions): object {
  const { tenantId, b2c, externalId } = options;
  if (b2c === undefined && externalId === undefined) return { tenantId };
  return compact({
    b2c: b2c === undefined ? undefined : { domain: b2c.domain, tenantId, policies: [...b2c.policies] },
    externalId:
      externalId === undefined ? undefined : compact({ tenantId, domain: externalId.domain ?? undefined }),
  });
}

function validatorOptions(options: VerifyOptions, events: EntraEvent[]): EntraValidatorOptions {
  return compact({
    ...authorityOptions(options),
    audience: typeof options.audience === 'string' ? options.audience : nonEmpty(options.audience),
    clientId: options.clientId,
    authority: options.authority,
    discoveryUrl: options.discoveryUrl,
    cloud: options.cloud,
    allowAnyTenant: options.allowAnyTenant,
    allowedTenants: nonEmpty(options.allowedTenants),
    tokenVersions: nonEmpty(options.tokenVersions),
    jwks: options.timeoutMs === undefined ? undefined : { timeoutMs: options.timeoutMs },
    clock: options.clock,
    fetch: options.fetch,
    tokenCache: false,
    onEvent: (event: EntraEvent) => {
      events.push(event);
    },
  }) as EntraValidatorOptions;
}

/** What a passed check looked at: from the token itself, and where the keys came from. */
interface Shown {
  readonly token: string;
  readonly summary: TokenSummary;
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly events: readonly EntraEvent[];
  readonly expect: Expectations;
  readonly principal: EntraPrincipal | undefined;
}

function shown(info: CheckInfo, s: Shown): string | undefined {
  const { summary } = s;
  switch (info.check) {
    case 'length':
      return `${s.token.length} characters, at most ${s.expect.maxTokenLength}`;
    case 'alg':
      return `alg ${String(claim(s.header, 'alg'))}`;
    case 'typ':
      return claim(s.header, 'typ') === undefined ? 'none' : `typ ${String(claim(s.header, 'typ'))}`;
    case 'kid':
      return info.afterKeys === true ? undefined : `kid ${String(claim(s.header, 'kid'))}`;
    case 'policy': {
      const flavour = tokenFlavour(s.payload);
      return flavour.kind === 'b2c' && flavour.policy !== undefined ? `policy ${flavour.policy}` : undefined;
    }
    case 'keys': {
      const uri = jwksUriOf(s.events);
      return uri === undefined ? undefined : `from ${uri}`;
    }
    case 'foreign':
      return info.afterKeys === true && summary.kind === 'access_token'
        ? `access token, ${summary.identity}`
        : undefined;
    case 'ver':
      return summary.version === undefined ? undefined : `ver ${summary.version}`;
    case 'exp':
    case 'nbf':
    case 'iat':
      return summary.times[info.check]?.relative;
    case 'iss':
      return summary.issuer;
    case 'tid':
      return summary.tenantId;
    case 'aud':
      return summary.audience === undefined ? undefined : showAudience(summary.audience);
    case 'scp':
      return (
        [
          summary.scopes.length > 0 ? `scp: ${summary.scopes.join(' ')}` : undefined,
          summary.roles.length > 0 ? `roles: ${summary.roles.join(' ')}` : undefined,
        ]
          .filter((part) => part !== undefined)
          .join('; ') || undefined
      );
    case 'format':
      return info.afterKeys === true && s.principal !== undefined
        ? `oid ${s.principal.objectId ?? '(none: an app-only token)'}`
        : undefined;
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
    ...(p.policy === undefined ? {} : { policy: p.policy }),
  };
}

function causeMessage(error: EntraAuthError): string | undefined {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message !== '' ? cause.message : undefined;
}

/**
 * Verifies a token with the real validator of `@org/entra-core` (discovery, keys, signature, Entra's
 * claim rules) and returns its checks in order, the failing one explained. Resolves for valid and
 * rejected tokens alike; throws `EntraConfigError` for options the validator refuses, and a
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

  const nowMs = (options.clock ?? Date.now)();
  const summary = summarize(decoded, nowMs);
  const config = validator.config;
  const expect: Expectations = {
    audiences: config.audiences,
    clientId: config.clientId,
    tenantId: config.tenantId,
    allowedTenants: options.allowedTenants,
    tokenVersions: config.tokenVersions,
    clockToleranceSeconds: config.clockToleranceSeconds,
    maxTokenLength: config.maxTokenLength,
    discoveryUrl: config.discoveryUrl,
    authority: config.authority,
    flavour: config.flavour,
    cloud: config.flavour === 'workforce' ? configuredCloud(options, config.authority) : undefined,
    policies: config.policies,
  };
  let error: VerifyError | null = null;
  if (failure !== undefined) {
    const explained = explainRefusal({
      code: failure.code,
      check: failure.check,
      message: failure.message,
      cause: causeMessage(failure),
      token: jwt,
      decoded,
      summary,
      expect,
      events,
      nowMs,
      offline: false,
    });
    const fetch = failure.code === 'keys_unavailable' ? fetchFailureOf(events) : undefined;
    error = compact({
      code: failure.code,
      message: failure.message,
      httpStatus: failure.status,
      check: failure.check,
      reason: explained.id,
      detail: explained.detail,
      hint: explained.fix,
      issuerUnreachable: failure.code === 'keys_unavailable' && fetch?.reason !== 'invalid_document',
      fetch,
    });
  }
  const seen: Shown = {
    token: jwt,
    summary,
    header: decoded.header,
    payload: decoded.payload,
    events,
    expect,
    principal,
  };
  const performed = config.flavour === 'b2c' ? (['policy'] as const) : [];
  const checks: CheckResult[] = layOut(failure?.check, events, performed).map(({ info, status }) => {
    const { check: id, title } = info;
    if (status === 'passed') return compact({ id, title, status, detail: shown(info, seen) });
    if (status === 'failed' && error !== null) {
      return { id, title, status, detail: error.detail, message: error.message, hint: error.hint };
    }
    return { id, title, status };
  });
  return {
    schemaVersion: 2,
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
      tokenVersions: [...config.tokenVersions],
      flavour: config.flavour,
      ...(config.policies === undefined ? {} : { policies: [...config.policies] }),
    },
  };
}

/**
 * A workforce validator's cloud: the one whose hosts serve its documents (`--authority` or
 * `--discovery-url` on a Microsoft host), else `--cloud` (a local test issuer or a proxy at
 * `--authority` speaks for it; the default is the public cloud). Unknown for a custom discovery URL
 * elsewhere.
 */
function configuredCloud(options: VerifyOptions, authority: string | undefined): EntraCloud | undefined {
  const known = cloudOfUrl(authority ?? options.discoveryUrl);
  if (known !== undefined) return known;
  return options.discoveryUrl === undefined ? (options.cloud ?? 'public') : options.cloud;
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
    lines.push(style.red(style.bold(`✗ Token rejected: ${error.code} (check ${error.check})`)));
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
          ...(p.policy === undefined ? [] : [['policy', p.policy]]),
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
