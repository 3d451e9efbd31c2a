/**
 * `@org/entra-cli`: the `entra-token` command line tool, and its commands as functions. Each command
 * function returns a plain, JSON-ready result (the same object `--json` prints); the `render*`
 * functions turn one into the human output. Nothing here writes to the console or exits.
 *
 * `verify` and `explain` run the validator of `@org/entra-core` and explain the check that refused a
 * token (`EntraAuthError.check`) with {@link EXPLANATIONS}, laid out on {@link CHECKS}.
 *
 * @packageDocumentation
 * @module \@org/entra-cli
 */
export type { Advice, Expectations } from './advice.js';
export type { CheckInfo } from './checks.js';
export { CHECKS } from './checks.js';
export type { DecodeOptions, DecodeResult } from './commands/decode.js';
export { decodeToken, renderDecode } from './commands/decode.js';
export type { ExplainOptions, ExplainResult, Finding, Severity } from './commands/explain.js';
export { explainToken, renderExplain } from './commands/explain.js';
export type {
  CheckResult,
  CheckStatus,
  PrincipalJson,
  VerifyError,
  VerifyOptions,
  VerifyResult,
} from './commands/verify.js';
export { renderVerify, verifyToken } from './commands/verify.js';
export type { ExplainedRefusal, Explanation, FindingId, RefusalContext } from './explanations.js';
export { EXPLANATIONS, explainRefusal } from './explanations.js';
export type { Style, TimeClaim } from './format.js';
export { createStyle, describeTime, formatDuration, formatRelative, isoDate } from './format.js';
export type { Identity, TimeInfo, TokenSummary } from './token.js';
export { normalizeToken, summarize, UsageError } from './token.js';
