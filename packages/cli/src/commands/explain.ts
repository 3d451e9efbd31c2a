/**
 * `entra-token explain`: the usual mistakes, offline, each with its fix. The token goes through the
 * real validator of `@org/entra-core`, its issuer stood in for (`offline.ts`); each refusal is the
 * core's, explained by the explanations of its check (`explanations.ts`); notes on what the token is
 * follow (`notes.ts`).
 */
import { type EntraAuthCheck, type EntraCloud, isGuid } from '@org/entra-core';
import { pastKeyLookup, positionOf } from '../checks.js';
import { explainRefusal, type FindingId } from '../explanations.js';
import { PLAIN, type Style, safeText } from '../format.js';
import { NOTES, type NoteContext } from '../notes.js';
import { verifyOffline } from '../offline.js';
import { decodeOrThrow, normalizeToken, summarize, type TokenSummary, UsageError } from '../token.js';

/**
 * Options of {@link explainToken}: what the API expects. Each is optional; what needs one is not
 * checked without it.
 *
 * @example
 * ```ts
 * const options: ExplainOptions = { clientId: '6e74172b-be56-4843-9ff4-e66a39bb12e3', tenantId: 'organizations', tokenVersion: '2.0' };
 * const result = await explainToken(token, options);
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
  /** The API's national cloud (`--cloud`). */
  cloud?: EntraCloud;
  /**
   * The API trusts Azure AD B2C (`--b2c-policy`, `--b2c-domain`): the policies it accepts are checked
   * by the validator; the domain and tenant are taken on trust offline, as the issuer is.
   */
  b2c?: { readonly domain?: string | undefined; readonly policies?: readonly string[] | undefined };
  /** The API trusts an Entra External ID tenant (`--external-id`; `tenantId` is then its GUID). */
  externalId?: { readonly domain?: string | undefined };
  /** The current time in milliseconds. Default `Date.now()`. */
  now?: number;
}

/**
 * How bad a finding is: a `problem` makes the token fail (exit 1); warnings and notes do not.
 *
 * @example
 * ```ts
 * const worst: Severity | undefined = (await explainToken(token)).findings[0]?.severity; // problems come first
 * ```
 */
export type Severity = 'problem' | 'warning' | 'note';

/**
 * One diagnosis.
 *
 * @example
 * ```ts
 * const problems: Finding[] = (await explainToken(token)).findings.filter((f) => f.severity === 'problem');
 * for (const { check, title, fix } of problems) console.log(`${check}: ${title}\n  ${fix}`);
 * ```
 */
export interface Finding {
  readonly id: FindingId;
  readonly severity: Severity;
  /** Problems: the validator's check that refuses the token (`EntraAuthError.check`). */
  readonly check?: EntraAuthCheck;
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
 * const result: ExplainResult = await explainToken(token, { audience: 'api://orders' });
 * if (!result.ok) console.log(renderExplain(result));
 * ```
 */
export interface ExplainResult {
  readonly schemaVersion: 1;
  readonly command: 'explain';
  /** Always `false`: the signature and the issuer's keys are not checked offline. */
  readonly verified: false;
  /** True when no finding is a `problem`. */
  readonly ok: boolean;
  readonly summary: TokenSummary;
  /** Problems (in the validator's order), then warnings, then notes. */
  readonly findings: readonly Finding[];
  /** What could not be checked for lack of an option, e.g. `audience (pass --audience or --client-id)`. */
  readonly notChecked: readonly string[];
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { problem: 0, warning: 1, note: 2 };

/**
 * Diagnoses a token offline with the real validator (its issuer stood in for, its signature taken on
 * trust): a Graph or ID token, a token for another service, v1/v2, audience, tenant, lifetime,
 * missing permissions, a header Entra never writes; then notes on guests, multi-tenant setups, v1
 * tokens and other clouds. Throws a `UsageError` for input that is not a JWT, and `EntraConfigError`
 * for options the validator refuses.
 *
 * @example
 * ```ts
 * import { explainToken } from '@org/entra-cli';
 *
 * const result = await explainToken(token, { clientId: '6e74172b-be56-4843-9ff4-e66a39bb12e3', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' });
 * for (const f of result.findings) console.log(f.severity, f.title, f.fix);
 * process.exitCode = result.ok ? 0 : 1;
 * ```
 */
export async function explainToken(token: string, options: ExplainOptions = {}): Promise<ExplainResult> {
  if (
    options.tokenVersion !== undefined &&
    options.tokenVersion !== '1.0' &&
    options.tokenVersion !== '2.0'
  ) {
    throw new UsageError('--token-version must be 1.0 or 2.0');
  }
  if (options.b2c !== undefined && options.externalId !== undefined) {
    throw new UsageError('b2c (Azure AD B2C) and externalId (Entra External ID) exclude each other');
  }
  const jwt = normalizeToken(token);
  const decoded = decodeOrThrow(jwt);
  const nowMs = options.now ?? Date.now();
  const summary = summarize(decoded, nowMs);
  const verdict = await verifyOffline(jwt, decoded, summary, options, nowMs);
  const { expect } = verdict;
  const refused = new Set(verdict.refusals.map((r) => r.check));
  const ctx: NoteContext = {
    decoded,
    summary,
    expect,
    options,
    nowMs,
    verdict,
    passed: (check) => positionOf(check) < verdict.stoppedAt && !refused.has(check),
  };
  const refusals = verdict.refusals.map((r) => {
    const { id, title, detail, fix } = explainRefusal(r);
    const finding: Finding = { id, severity: 'problem', check: r.check, title, detail, fix };
    return { finding, at: positionOf(r.check, pastKeyLookup(r.events)) };
  });
  const notes = NOTES.map((note) => note(ctx))
    .filter((f) => f !== undefined)
    .map((finding) => ({ finding, at: finding.check === undefined ? 0 : positionOf(finding.check) }));
  const findings = [...refusals, ...notes]
    .map(({ finding: f, at }, i) => ({ f, i, at }))
    .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.at - b.at || a.i - b.i)
    .map(({ f }) => f);
  const notChecked: string[] = [];
  if (expect.audiences.length === 0) notChecked.push('audience (pass --audience or --client-id)');
  const tenantId = expect.tenantId;
  if (expect.flavour === 'b2c') {
    if (expect.policies === undefined) notChecked.push('B2C policy (pass --b2c-policy)');
    notChecked.push('B2C domain and tenant (run entra-token verify)');
  } else if (tenantId === undefined) notChecked.push('tenant (pass --tenant)');
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
 * process.stdout.write(renderExplain(await explainToken(token, { clientId })));
 * ```
 */
export function renderExplain(result: ExplainResult, style: Style = PLAIN): string {
  const lines = [
    `${style.bold('Token')}  ${safeText(result.summary.text)}`,
    style.dim('(checked offline by the validator: the signature and the issuer were not verified)'),
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
