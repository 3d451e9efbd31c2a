/**
 * `entra-token explain`: an offline diagnosis of the usual mistakes, each with its fix. Every rule is
 * a small named function in {@link EXPLAIN_RULES}; they read the decoded (unverified) token and the
 * expectations the user gave, and never touch the network.
 */
import type { DecodedToken } from '@org/entra-core';
import {
  type Advice,
  audienceAdvice,
  CLOCK_TOLERANCE_SECONDS,
  CONSUMERS_TENANT_ID,
  compareAudience,
  type Expectations,
  expiredAdvice,
  graphAdvice,
  guestAdvice,
  idTokenAdvice,
  isGuid,
  multiTenantAdvice,
  notYetValidAdvice,
  permissionsAdvice,
  resourceAdvice,
  tenantAdvice,
  versionAdvice,
} from '../advice.js';
import { formatDuration, PLAIN, type Style, safeText } from '../format.js';
import { claim, decodeOrThrow, normalizeToken, summarize, type TokenSummary, UsageError } from '../token.js';

/**
 * Options of {@link explainToken}: what the API expects. Each is optional; rules that need one are skipped without it.
 *
 * @example
 * ```ts
 * const options: ExplainOptions = { clientId: '6e74172b-be56-4843-9ff4-e66a39bb12e3', tenantId: 'organizations', tokenVersion: '2.0' };
 * const result = explainToken(token, options);
 * ```
 */
export interface ExplainOptions {
  /** Accepted audiences (`--audience`, repeatable). */
  audience?: string | readonly string[];
  /** The API's application (client) id (`--client-id`): accepts `{clientId}` and `api://{clientId}`. */
  clientId?: string;
  /** The API's tenant (`--tenant`): a GUID, a domain, or `common` / `organizations` / `consumers`. */
  tenantId?: string;
  /** The token version the API expects (`--token-version`). */
  tokenVersion?: '1.0' | '2.0';
  /** The current time in milliseconds. Default `Date.now()`. */
  now?: number;
}

/**
 * How bad a finding is: a `problem` makes the token fail (exit 1); warnings and notes do not.
 *
 * @example
 * ```ts
 * const worst: Severity | undefined = explainToken(token).findings[0]?.severity; // problems come first
 * ```
 */
export type Severity = 'problem' | 'warning' | 'note';

/**
 * The stable ids of findings.
 *
 * @example
 * ```ts
 * const ids: FindingId[] = explainToken(token).findings.map((finding) => finding.id); // e.g. ['graph_token']
 * ```
 */
export type FindingId =
  | 'graph_token'
  | 'id_token'
  | 'microsoft_resource_token'
  | 'not_entra_signed'
  | 'token_version'
  | 'audience'
  | 'tenant'
  | 'expired'
  | 'not_yet_valid'
  | 'no_permissions'
  | 'guest'
  | 'multi_tenant'
  | 'v1_token'
  | 'other_issuer';

/**
 * One diagnosis.
 *
 * @example
 * ```ts
 * const problems: Finding[] = explainToken(token).findings.filter((finding) => finding.severity === 'problem');
 * for (const { title, fix } of problems) console.log(`${title}\n  ${fix}`);
 * ```
 */
export interface Finding {
  readonly id: FindingId;
  readonly severity: Severity;
  /** One line. */
  readonly title: string;
  /** What the token shows. */
  readonly detail: string;
  /** What to do. */
  readonly fix: string;
}

/**
 * The result of `explain`, and the `--json` output of `entra-token explain` (stable: `schemaVersion` 1).
 *
 * @example
 * ```ts
 * const result: ExplainResult = explainToken(token, { audience: 'api://orders' });
 * if (!result.ok) console.log(renderExplain(result));
 * ```
 */
export interface ExplainResult {
  readonly schemaVersion: 1;
  readonly command: 'explain';
  /** Always `false`: nothing is verified, the diagnosis reads the decoded claims. */
  readonly verified: false;
  /** True when no finding is a `problem`. */
  readonly ok: boolean;
  readonly summary: TokenSummary;
  /** Problems first, then warnings, then notes. */
  readonly findings: readonly Finding[];
  /** What could not be checked for lack of an option, e.g. `audience (pass --audience or --client-id)`. */
  readonly notChecked: readonly string[];
}

/**
 * What every rule sees.
 *
 * @example
 * ```ts
 * import { decodeTokenUnverified } from '@org/entra-core';
 *
 * // Run the rules yourself, e.g. to keep only some of them.
 * const decoded = decodeTokenUnverified(token)!;
 * const ctx: ExplainContext = {
 *   decoded,
 *   summary: summarize(decoded),
 *   expect: { audiences: ['api://orders'] },
 *   tokenVersion: '2.0',
 *   nowMs: Date.now(),
 * };
 * const findings = EXPLAIN_RULES.map((rule) => rule(ctx)).filter((finding) => finding !== undefined);
 * ```
 */
export interface ExplainContext {
  readonly decoded: DecodedToken;
  readonly summary: TokenSummary;
  readonly expect: Expectations;
  readonly tokenVersion: '1.0' | '2.0' | undefined;
  readonly nowMs: number;
}

/**
 * One diagnosis rule: a finding, or `undefined` when the mistake is not there.
 *
 * @example
 * ```ts
 * const rule: ExplainRule = EXPLAIN_RULES[0]!;
 * const finding = rule(ctx); // a Finding, or undefined when the token does not show this mistake
 * ```
 */
export type ExplainRule = (ctx: ExplainContext) => Finding | undefined;

function finding(id: FindingId, severity: Severity, title: string, advice: Advice): Finding {
  return { id, severity, title, detail: advice.detail, fix: advice.fix };
}

const isAccessToken = (ctx: ExplainContext): boolean => ctx.summary.kind === 'access_token';

/** A Microsoft Graph token (Graph audience, or a `nonce` in the header). */
export function graphToken(ctx: ExplainContext): Finding | undefined {
  if (ctx.summary.kind !== 'graph_token') return undefined;
  return finding(
    'graph_token',
    'problem',
    'This is a Microsoft Graph token, not a token for your API',
    graphAdvice(ctx.summary, ctx.expect),
  );
}

/** An ID token sent as an access token. */
export function idToken(ctx: ExplainContext): Finding | undefined {
  if (ctx.summary.kind !== 'id_token') return undefined;
  return finding(
    'id_token',
    'problem',
    'This is an ID token, not an access token',
    idTokenAdvice(ctx.summary),
  );
}

/** A token for another Microsoft service (ARM, Key Vault, Storage...). */
export function microsoftResource(ctx: ExplainContext): Finding | undefined {
  if (ctx.summary.kind !== 'microsoft_resource_token') return undefined;
  return finding(
    'microsoft_resource_token',
    'problem',
    'This token is for another Microsoft service',
    resourceAdvice(ctx.summary, ctx.expect),
  );
}

/** A header Entra never writes: another algorithm than RS256, or no `kid`. */
export function notEntraSigned(ctx: ExplainContext): Finding | undefined {
  if (ctx.summary.kind === 'graph_token') return undefined;
  const alg = claim(ctx.decoded.header, 'alg');
  const kid = claim(ctx.decoded.header, 'kid');
  if (alg === 'RS256' && typeof kid === 'string' && kid !== '') return undefined;
  return {
    id: 'not_entra_signed',
    severity: 'problem',
    title: 'The header is not one Entra ID writes',
    detail: `Its alg is ${typeof alg === 'string' ? alg : '(none)'} and its kid ${typeof kid === 'string' && kid !== '' ? kid : '(none)'}: Entra signs access tokens with RS256 and names the key in kid.`,
    fix: 'This token was not issued by Entra ID (a hand-made or test token, or another identity provider). Get a token from Entra ID for your API.',
  };
}

/**
 * A v1 token where v2 is expected, or the reverse: told by `--token-version`, or shown by an audience
 * in the other form of the same app (`api://<id>` on a v1 token where `<id>` is expected, and back).
 */
export function tokenVersion(ctx: ExplainContext): Finding | undefined {
  if (!isAccessToken(ctx)) return undefined;
  const actual = ctx.summary.version;
  if (ctx.tokenVersion !== undefined) {
    if (actual === ctx.tokenVersion) return undefined;
    return finding(
      'token_version',
      'problem',
      `A v${actual ?? '?'} token where v${ctx.tokenVersion} is expected`,
      versionAdvice(ctx.summary, ctx.tokenVersion),
    );
  }
  // No stated version: an audience in the other form of the same app, as the token's version writes it.
  if (compareAudience(ctx.summary.audience, ctx.expect.audiences) !== 'other_form') return undefined;
  const aud = ctx.summary.audience;
  let expected: '1.0' | '2.0' | undefined;
  if (actual === '1.0' && typeof aud === 'string' && aud.startsWith('api://')) expected = '2.0';
  if (actual === '2.0' && typeof aud === 'string' && isGuid(aud)) expected = '1.0';
  if (expected === undefined) return undefined;
  const byAudience = audienceAdvice(ctx.summary, ctx.expect);
  const byVersion = versionAdvice(ctx.summary, expected);
  return {
    id: 'token_version',
    severity: 'problem',
    title: `A v${actual} token (aud ${actual === '1.0' ? 'is the App ID URI' : 'is the client ID'}) where a v${expected} token (aud ${expected === '1.0' ? 'the App ID URI' : 'the client ID'}) is expected`,
    detail: `${byAudience.detail} ${byVersion.detail.replace(/^This is a v\S+ token but v\S+ is expected\. /, '')}`,
    fix: byAudience.fix,
  };
}

/** An audience that is not the API's (told by `--audience` / `--client-id`). */
export function audience(ctx: ExplainContext): Finding | undefined {
  if (!isAccessToken(ctx) || ctx.expect.audiences.length === 0) return undefined;
  const match = compareAudience(ctx.summary.audience, ctx.expect.audiences);
  if (match === 'match') return undefined;
  // The same app in the form of the token's version: the version rule explains it.
  if (match === 'other_form' && tokenVersion(ctx) !== undefined) return undefined;
  const title =
    match === 'other_form'
      ? 'The audience is your API in another form (client ID vs App ID URI)'
      : match === 'trailing_slash'
        ? 'The audience differs by a trailing slash'
        : ctx.summary.audience === undefined
          ? 'The token has no audience'
          : 'The token is for another API (audience mismatch)';
  return finding('audience', 'problem', title, audienceAdvice(ctx.summary, ctx.expect));
}

/** A token from another tenant than `--tenant` (a GUID), or the wrong kind of account for `organizations` / `consumers`. */
export function tenant(ctx: ExplainContext): Finding | undefined {
  const configured = ctx.expect.tenantId;
  if (configured === undefined || ctx.summary.kind === 'graph_token') return undefined;
  const tid = ctx.summary.tenantId?.toLowerCase();
  let wrong = false;
  if (isGuid(configured)) wrong = tid !== configured;
  else if (configured === 'organizations') wrong = tid === CONSUMERS_TENANT_ID;
  else if (configured === 'consumers') wrong = tid !== CONSUMERS_TENANT_ID;
  if (!wrong) return undefined;
  return finding(
    'tenant',
    'problem',
    tid === undefined ? 'The token names no tenant (no tid)' : 'The token is from another tenant',
    tenantAdvice(ctx.summary, configured),
  );
}

/** Expired (a problem beyond the clock tolerance, a warning within it), or no `exp` at all. */
export function expired(ctx: ExplainContext): Finding | undefined {
  const exp = ctx.summary.times.exp;
  if (exp !== undefined && exp.value * 1000 > ctx.nowMs) return undefined;
  const advice = expiredAdvice(ctx.summary, ctx.nowMs);
  if (exp === undefined) return finding('expired', 'problem', 'The token has no expiry (exp)', advice);
  const ago = ctx.nowMs / 1000 - exp.value;
  if (ago < CLOCK_TOLERANCE_SECONDS) {
    return {
      id: 'expired',
      severity: 'warning',
      title: `The token expired ${formatDuration(ago)} ago (still accepted for ${formatDuration(CLOCK_TOLERANCE_SECONDS - ago)} of clock tolerance)`,
      detail: advice.detail,
      fix: advice.fix,
    };
  }
  return finding('expired', 'problem', `The token expired ${formatDuration(ago)} ago`, advice);
}

/** `nbf` or `iat` in the future: a problem beyond the clock tolerance, a warning within it. */
export function notYetValid(ctx: ExplainContext): Finding | undefined {
  const from = Math.max(ctx.summary.times.nbf?.value ?? 0, ctx.summary.times.iat?.value ?? 0);
  const ahead = from - ctx.nowMs / 1000;
  if (ahead <= 0) return undefined;
  const advice = notYetValidAdvice(ctx.summary, ctx.nowMs);
  return finding(
    'not_yet_valid',
    ahead > CLOCK_TOLERANCE_SECONDS ? 'problem' : 'warning',
    `The token is not valid for another ${formatDuration(ahead)}`,
    advice,
  );
}

/** An access token with neither `scp` nor `roles`. */
export function noPermissions(ctx: ExplainContext): Finding | undefined {
  if (!isAccessToken(ctx) || ctx.summary.scopes.length > 0 || ctx.summary.roles.length > 0) return undefined;
  return finding(
    'no_permissions',
    'problem',
    ctx.summary.identity === 'app-only'
      ? 'No roles in an app-only token: the application permission is missing or not consented'
      : 'No scp and no roles: the API permission is missing or not consented',
    permissionsAdvice(ctx.summary, ctx.expect),
  );
}

/** A guest user: a note. */
export function guest(ctx: ExplainContext): Finding | undefined {
  if (!isAccessToken(ctx) || !ctx.summary.isGuest) return undefined;
  return finding('guest', 'note', 'A guest user', guestAdvice(ctx.summary, ctx.decoded.payload));
}

/** `--tenant common` / `organizations`: the tenants must be chosen. A note. */
export function multiTenant(ctx: ExplainContext): Finding | undefined {
  const configured = ctx.expect.tenantId;
  if (configured !== 'common' && configured !== 'organizations') return undefined;
  if (!isAccessToken(ctx)) return undefined;
  return finding(
    'multi_tenant',
    'note',
    'A multi-tenant API must choose which tenants it accepts',
    multiTenantAdvice(ctx.summary, configured),
  );
}

/** A v1 token and no stated expectation: a note on what differs. */
export function v1Token(ctx: ExplainContext): Finding | undefined {
  if (!isAccessToken(ctx) || ctx.summary.version !== '1.0' || ctx.tokenVersion !== undefined)
    return undefined;
  if (tokenVersion(ctx) !== undefined) return undefined;
  const advice = versionAdvice(ctx.summary, '2.0');
  return {
    id: 'v1_token',
    severity: 'note',
    title: "A v1.0 token: the API's manifest has accessTokenAcceptedVersion null or 1",
    detail: advice.detail.replace(/^This is a v1.0 token but v2.0 is expected\. /, ''),
    fix: `Nothing to fix if v1.0 tokens are accepted (the validator accepts both by default). Validators set up for v2.0 only refuse it: ${advice.fix}`,
  };
}

const PUBLIC_V2 = /^https:\/\/login\.microsoftonline\.com\/([^/]+)\/v2\.0$/;
const PUBLIC_V1 = /^https:\/\/sts\.windows\.net\/([^/]+)\/$/;

/** An issuer outside the public cloud's two forms, or naming another tenant than `tid`: a warning. */
export function otherIssuer(ctx: ExplainContext): Finding | undefined {
  if (!isAccessToken(ctx)) return undefined;
  const iss = ctx.summary.issuer;
  const tid = ctx.summary.tenantId;
  if (iss === undefined) {
    return {
      id: 'other_issuer',
      severity: 'problem',
      title: 'The token has no issuer (iss)',
      detail: 'Every Entra ID token names its issuer; this one does not.',
      fix: 'This token was not issued by Entra ID. Get a token from Entra ID for your API.',
    };
  }
  const m = PUBLIC_V2.exec(iss) ?? PUBLIC_V1.exec(iss);
  if (m === null) {
    return {
      id: 'other_issuer',
      severity: 'note',
      title: 'The issuer is not the public cloud',
      detail: `The token's iss is ${iss}: a national cloud, B2C, External ID, or a test issuer.`,
      fix: 'Point the validator at that issuer: cloud (usgov, china), authority, or discoveryUrl for B2C and External ID (CLI: --authority / --discovery-url).',
    };
  }
  if (tid !== undefined && m[1]?.toLowerCase() !== tid.toLowerCase()) {
    return {
      id: 'other_issuer',
      severity: 'problem',
      title: 'The issuer names another tenant than tid',
      detail: `iss is ${iss} but tid is ${tid}: Entra never issues such a token.`,
      fix: 'This token was altered or not issued by Entra ID. Get a new one.',
    };
  }
  return undefined;
}

/**
 * The diagnosis rules, in the order their findings are reported (within a severity). Each is a
 * small named function: add one here to teach `explain` a new mistake.
 *
 * @example
 * ```ts
 * EXPLAIN_RULES.map((rule) => rule.name); // ['graphToken', 'idToken', 'microsoftResource', ...]
 * ```
 */
export const EXPLAIN_RULES: readonly ExplainRule[] = Object.freeze([
  graphToken,
  idToken,
  microsoftResource,
  notEntraSigned,
  tokenVersion,
  audience,
  tenant,
  otherIssuer,
  expired,
  notYetValid,
  noPermissions,
  guest,
  multiTenant,
  v1Token,
]);

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { problem: 0, warning: 1, note: 2 };

function audiencesOf(options: ExplainOptions): string[] {
  const list =
    options.audience === undefined
      ? []
      : typeof options.audience === 'string'
        ? [options.audience]
        : [...options.audience];
  if (options.clientId !== undefined) list.push(options.clientId, `api://${options.clientId}`);
  return list.map((a) => a.trim()).filter((a) => a !== '');
}

/**
 * Diagnoses a token offline: Graph or ID token, token for another service, v1/v2 mix-up, audience,
 * tenant, lifetime, missing permissions, guests, multi-tenant setup. Throws a `UsageError` for input
 * that is not a JWT or options that make no sense.
 *
 * @example
 * ```ts
 * import { explainToken } from '@org/entra-cli';
 *
 * const result = explainToken(token, { clientId: '6e74172b-be56-4843-9ff4-e66a39bb12e3', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' });
 * for (const f of result.findings) console.log(f.severity, f.title, f.fix);
 * process.exitCode = result.ok ? 0 : 1;
 * ```
 */
export function explainToken(token: string, options: ExplainOptions = {}): ExplainResult {
  if (options.clientId !== undefined && !isGuid(options.clientId)) {
    throw new UsageError(
      "--client-id must be the API's application (client) ID, a GUID; pass an App ID URI such as api://my-api with --audience",
    );
  }
  if (
    options.tokenVersion !== undefined &&
    options.tokenVersion !== '1.0' &&
    options.tokenVersion !== '2.0'
  ) {
    throw new UsageError('--token-version must be 1.0 or 2.0');
  }
  const decoded = decodeOrThrow(normalizeToken(token));
  const nowMs = options.now ?? Date.now();
  const summary = summarize(decoded, nowMs);
  const tenantId = options.tenantId?.trim().toLowerCase() || undefined;
  const expect: Expectations = {
    audiences: audiencesOf(options),
    clientId: options.clientId?.toLowerCase(),
    tenantId,
  };
  const ctx: ExplainContext = { decoded, summary, expect, tokenVersion: options.tokenVersion, nowMs };
  const findings = EXPLAIN_RULES.map((rule) => rule(ctx))
    .filter((f): f is Finding => f !== undefined)
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
  const notChecked: string[] = [];
  if (expect.audiences.length === 0) notChecked.push('audience (pass --audience or --client-id)');
  if (tenantId === undefined) notChecked.push('tenant (pass --tenant)');
  else if (!isGuid(tenantId) && !['common', 'organizations', 'consumers'].includes(tenantId)) {
    notChecked.push(`tenant (${tenantId} is a domain: pass the tenant GUID, or run entra-token verify)`);
  }
  notChecked.push('signature and issuer keys (run entra-token verify)');
  return {
    schemaVersion: 1,
    command: 'explain',
    verified: false,
    ok: !findings.some((f) => f.severity === 'problem'),
    summary,
    findings,
    notChecked,
  };
}

const MARKS: Readonly<Record<Severity, (s: Style) => string>> = {
  problem: (s) => s.red('✗ Problem'),
  warning: (s) => s.yellow('! Warning'),
  note: (s) => s.cyan('i Note'),
};

/**
 * The human output of `entra-token explain`.
 *
 * @example
 * ```ts
 * process.stdout.write(renderExplain(explainToken(token, { clientId })));
 * ```
 */
export function renderExplain(result: ExplainResult, style: Style = PLAIN): string {
  const lines = [
    `${style.bold('Token')}  ${safeText(result.summary.text)}`,
    style.dim('(decoded only: nothing was verified)'),
    '',
  ];
  for (const f of result.findings) {
    lines.push(`${MARKS[f.severity](style)}: ${style.bold(safeText(f.title))}`);
    lines.push(`    ${safeText(f.detail)}`);
    lines.push(`    ${style.bold('Fix:')} ${safeText(f.fix)}`);
    lines.push('');
  }
  const problems = result.findings.filter((f) => f.severity === 'problem').length;
  if (result.findings.length === 0) lines.push(style.green('✓ No common mistake found.'), '');
  if (result.notChecked.length > 0) lines.push(style.dim(`Not checked: ${result.notChecked.join('; ')}`));
  lines.push(
    problems === 0
      ? style.green(`Result: no problem found${result.findings.length > 0 ? ' (see the notes above)' : ''}.`)
      : style.red(`Result: ${problems} problem${problems === 1 ? '' : 's'} found.`),
  );
  return `${lines.join('\n')}\n`;
}
