/**
 * `@org/entra-cli`: the `entra-token` command line tool, and its commands as functions. Each command
 * function returns a plain, JSON-ready result (the same object `--json` prints); the `render*`
 * functions turn one into the human output. Nothing here writes to the console or exits.
 *
 * @packageDocumentation
 * @module \@org/entra-cli
 */
export type { Advice, AudienceMatch, Expectations } from './advice.js';
export { compareAudience } from './advice.js';
export type { DecodeOptions, DecodeResult } from './commands/decode.js';
export { decodeToken, renderDecode } from './commands/decode.js';
export type {
  ExplainContext,
  ExplainOptions,
  ExplainResult,
  ExplainRule,
  Finding,
  FindingId,
  Severity,
} from './commands/explain.js';
export { EXPLAIN_RULES, explainToken, renderExplain } from './commands/explain.js';
export type {
  CheckId,
  CheckResult,
  CheckStatus,
  PrincipalJson,
  VerifyError,
  VerifyOptions,
  VerifyResult,
} from './commands/verify.js';
export { CHECKS, renderVerify, verifyToken } from './commands/verify.js';
export type { Style, TimeClaim } from './format.js';
export { createStyle, describeTime, formatDuration, formatRelative, isoDate } from './format.js';
export type { Identity, TimeInfo, TokenSummary } from './token.js';
export { normalizeToken, summarize, UsageError } from './token.js';
