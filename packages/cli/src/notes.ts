/**
 * What `explain` says beside the validator's refusals: what the token is (a guest, a v1.0 token, from
 * another cloud), what the validator let pass within its clock tolerance, and the tenant, which offline
 * only the token's `tid` can tell (`verify` checks the issuer itself).
 */
import { CONSUMERS_TENANT_ID, type DecodedToken, type EntraAuthCheck, isGuid } from '@org/entra-core';
import {
  type Advice,
  type Expectations,
  guestAdvice,
  multiTenantAdvice,
  tenantAdvice,
  validFrom,
  versionAdvice,
} from './advice.js';
import type { ExplainOptions, Finding, Severity } from './commands/explain.js';
import { explainRefusal, type FindingId } from './explanations.js';
import { flavourMismatch, flavourOfNote, flavourWords, tokenFlavour } from './flavours.js';
import { formatDuration } from './format.js';
import type { OfflineVerdict } from './offline.js';
import type { TokenSummary } from './token.js';

/** What a note reads. */
export interface NoteContext {
  readonly decoded: DecodedToken;
  readonly summary: TokenSummary;
  readonly expect: Expectations;
  readonly options: ExplainOptions;
  readonly nowMs: number;
  readonly verdict: OfflineVerdict;
  /** The validator judged this check, and it passed. */
  passed(check: EntraAuthCheck): boolean;
}

function finding(id: FindingId, severity: Severity, title: string, advice: Advice): Finding {
  return { id, severity, title, detail: advice.detail, fix: advice.fix };
}

const isAccessToken = (ctx: NoteContext): boolean => ctx.summary.kind === 'access_token';

/**
 * The tenant: offline there is no issuer to compare with, so the token's `tid` is compared with
 * `--tenant` (a GUID), and `organizations` / `consumers` with the tenant of personal accounts.
 */
function tenant(ctx: NoteContext): Finding | undefined {
  const configured = ctx.expect.tenantId;
  if (configured === undefined || ctx.summary.kind === 'graph_token') return undefined;
  // B2C tokens need no tid; and a token of another flavour has its own finding, whose fix comes first.
  if (ctx.expect.flavour === 'b2c') return undefined;
  if (flavourMismatch(tokenFlavour(ctx.decoded.payload), ctx.expect) !== undefined) return undefined;
  const tid = ctx.summary.tenantId?.toLowerCase();
  const personal = tid === CONSUMERS_TENANT_ID;
  const wrong =
    (isGuid(configured) && tid !== configured) ||
    (configured === 'organizations' && personal) ||
    (configured === 'consumers' && !personal);
  if (!wrong) return undefined;
  return {
    ...finding(
      'tenant',
      'problem',
      tid === undefined ? 'The token names no tenant (no tid)' : 'The token is from another tenant',
      tenantAdvice(ctx.summary, configured),
    ),
    check: 'tid',
  };
}

/** Expired, but accepted within the validator's clock tolerance. */
function expiredWithinTolerance(ctx: NoteContext): Finding | undefined {
  const exp = ctx.summary.times.exp;
  if (exp === undefined || !ctx.summary.expired || !ctx.passed('exp')) return undefined;
  const ago = ctx.nowMs / 1000 - exp.value;
  return {
    id: 'expired',
    severity: 'warning',
    title: `The token expired ${formatDuration(ago)} ago (still accepted for ${formatDuration(ctx.expect.clockToleranceSeconds - ago)} of clock tolerance)`,
    detail: `exp is ${exp.date}; the validator allows ${formatDuration(ctx.expect.clockToleranceSeconds)} of clock skew, so it accepts the token a little longer.`,
    fix: 'Get a new token before it is refused: MSAL acquireTokenSilent returns a fresh one.',
  };
}

/** Not valid yet, but accepted within the validator's clock tolerance. */
function notYetValidWithinTolerance(ctx: NoteContext): Finding | undefined {
  const ahead = validFrom(ctx.summary) - ctx.nowMs / 1000;
  if (ahead <= 0 || !ctx.passed('nbf') || !ctx.passed('iat')) return undefined;
  return {
    id: 'not_yet_valid',
    severity: 'warning',
    title: `The token is not valid for another ${formatDuration(ahead)} (accepted within the clock tolerance)`,
    detail: `Its nbf or iat is ${formatDuration(ahead)} ahead of this machine's clock, within the ${formatDuration(ctx.expect.clockToleranceSeconds)} of clock skew the validator allows.`,
    fix: 'A clock is a little off: check the time of this machine and of the server (NTP).',
  };
}

function guest(ctx: NoteContext): Finding | undefined {
  if (ctx.verdict.principal?.isGuest !== true) return undefined;
  return finding('guest', 'note', 'A guest user', guestAdvice(ctx.summary, ctx.decoded.payload));
}

function multiTenant(ctx: NoteContext): Finding | undefined {
  const configured = ctx.expect.tenantId;
  if ((configured !== 'common' && configured !== 'organizations') || !isAccessToken(ctx)) return undefined;
  return finding(
    'multi_tenant',
    'note',
    'A multi-tenant API must choose which tenants it accepts',
    multiTenantAdvice(ctx.summary, configured),
  );
}

function v1Token(ctx: NoteContext): Finding | undefined {
  if (!isAccessToken(ctx) || ctx.summary.version !== '1.0' || ctx.options.tokenVersion !== undefined)
    return undefined;
  // Every B2C token says ver 1.0: no app manifest chooses it.
  if (tokenFlavour(ctx.decoded.payload).kind === 'b2c') return undefined;
  if (ctx.verdict.refusals.some((r) => explainRefusal(r).id === 'token_version')) return undefined;
  const advice = versionAdvice(ctx.summary, '2.0');
  return {
    id: 'v1_token',
    severity: 'note',
    title: "A v1.0 token: the API's manifest has accessTokenAcceptedVersion null or 1",
    detail: advice.detail.replace(/^This is a v1.0 token but v2.0 is expected\. /, ''),
    fix: `Nothing to fix if v1.0 tokens are accepted (the validator accepts both by default). Validators set up for v2.0 only refuse it: ${advice.fix}`,
  };
}

/** The public cloud's issuers, v2.0 and v1.0: any other is worth a word (a national cloud, B2C, External ID). */
const PUBLIC_ISSUERS = [
  /^https:\/\/login\.microsoftonline\.com\/[^/]+\/v2\.0$/,
  /^https:\/\/sts\.windows\.net\/[^/]+\/$/,
];

/**
 * The flavour of Entra the token comes from: a problem when the API is configured for another one
 * (offline the issuer is taken on trust, so this reads the token, as the tenant does), unless a
 * refusal already said so; a note on what the token is when the configuration was not given.
 */
function flavour(ctx: NoteContext): Finding | undefined {
  // Graph and other Microsoft services' tokens have their own problem; ID tokens of a flavour are its own.
  if (ctx.summary.kind === 'graph_token' || ctx.summary.kind === 'microsoft_resource_token') return undefined;
  const token = tokenFlavour(ctx.decoded.payload);
  const mismatch = flavourMismatch(token, ctx.expect);
  const id = mismatch ?? (ctx.expect.flavour === undefined ? flavourOfNote(token) : undefined);
  if (id === undefined) return undefined;
  if (ctx.verdict.refusals.some((r) => explainRefusal(r).id === id)) return undefined;
  const { title, advice } = flavourWords(id, token, ctx.summary, ctx.decoded.payload, ctx.expect);
  return mismatch === undefined
    ? finding(id, 'note', title, advice)
    : { ...finding(id, 'problem', title, advice), check: 'iss' };
}

/** An issuer of no known flavour (a test issuer, a proxy, a custom domain). */
function otherIssuer(ctx: NoteContext): Finding | undefined {
  const iss = ctx.summary.issuer;
  if (!isAccessToken(ctx) || iss === undefined || PUBLIC_ISSUERS.some((re) => re.test(iss))) return undefined;
  if (tokenFlavour(ctx.decoded.payload).kind !== 'unknown') return undefined; // the flavour's own words
  if (ctx.verdict.refusals.some((r) => r.check === 'iss')) return undefined; // already a problem
  return {
    id: 'other_issuer',
    severity: 'note',
    title: 'The issuer is not one of Microsoft Entra',
    detail: `The token's iss is ${iss}: not a host of Entra ID in any cloud, nor of Azure AD B2C or External ID (a test issuer, a proxy, or a custom domain).`,
    fix: 'Point the validator at that issuer: authority, or discoveryUrl for a custom domain (CLI: --authority / --discovery-url); for a B2C custom domain, b2c (CLI: --b2c-domain).',
  };
}

/** What the token is, beside the validator's refusals: in the order they are reported. */
export const NOTES: readonly ((ctx: NoteContext) => Finding | undefined)[] = [
  tenant,
  expiredWithinTolerance,
  notYetValidWithinTolerance,
  guest,
  multiTenant,
  v1Token,
  flavour,
  otherIssuer,
];
