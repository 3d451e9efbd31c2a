/**
 * `entra-token decode`: the header and claims of a token, its times in words, and a one-line
 * summary. Nothing is verified.
 */
import { PLAIN, type Style, safeText, showValue, table } from '../format.js';
import { decodeOrThrow, normalizeToken, summarize, type TokenSummary } from '../token.js';

/**
 * Options of {@link decodeToken}.
 *
 * @example
 * ```ts
 * const options: DecodeOptions = { now: Date.parse('2026-01-01T00:00:00Z') }; // times in words relative to that instant
 * const result = decodeToken(token, options);
 * ```
 */
export interface DecodeOptions {
  /** The current time in milliseconds, for "expires in …". Default `Date.now()`. */
  now?: number;
}

/**
 * The result of `decode`, and the `--json` output of `entra-token decode` (stable: `schemaVersion` 1).
 *
 * @example
 * ```ts
 * const result: DecodeResult = decodeToken(token);
 * console.log(result.payload.aud, result.summary.kind); // unverified
 * ```
 */
export interface DecodeResult {
  readonly schemaVersion: 1;
  readonly command: 'decode';
  /** Always `false`: decoding checks nothing. */
  readonly verified: false;
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly summary: TokenSummary;
}

/**
 * Decodes a token (a raw JWT, or a pasted `Bearer …` value) WITHOUT verifying it. Throws a
 * `UsageError` (code `not_a_jwt`) when the input is not a JWT.
 *
 * @example
 * ```ts
 * import { decodeToken } from '@org/entra-cli';
 *
 * const result = decodeToken(token);
 * console.log(result.summary.text, result.summary.times.exp?.relative); // '…', 'expires in 42 min'
 * ```
 */
export function decodeToken(token: string, options: DecodeOptions = {}): DecodeResult {
  const decoded = decodeOrThrow(normalizeToken(token));
  return {
    schemaVersion: 1,
    command: 'decode',
    verified: false,
    header: decoded.header,
    payload: decoded.payload,
    summary: summarize(decoded, options.now ?? Date.now()),
  };
}

const TIME_CLAIMS = new Set(['iat', 'nbf', 'exp']);

function rowsOf(
  obj: Readonly<Record<string, unknown>>,
  summary: TokenSummary,
  style: Style,
): [string, string][] {
  return Object.keys(obj).map((key) => {
    const value = safeText(showValue(obj[key]));
    const time = TIME_CLAIMS.has(key) ? summary.times[key as 'iat' | 'nbf' | 'exp'] : undefined;
    if (time === undefined) return [key, value];
    const words =
      key === 'exp' && summary.expired
        ? style.red(time.relative)
        : key === 'nbf' && summary.notYetValid
          ? style.yellow(time.relative)
          : style.dim(time.relative);
    return [key, `${value}  ${time.date}  ${words}`];
  });
}

/**
 * The human output of `entra-token decode`.
 *
 * @example
 * ```ts
 * process.stdout.write(renderDecode(decodeToken(token)));
 * ```
 */
export function renderDecode(result: DecodeResult, style: Style = PLAIN): string {
  const { summary } = result;
  const lines = [
    style.yellow('Decoded only, NOT verified: the signature, issuer and audience were not checked.'),
    `Run ${style.bold('entra-token verify')} to check them, or ${style.bold('entra-token explain')} for common mistakes.`,
    '',
    `${style.bold('Summary')}  ${safeText(summary.text)}`,
    '',
    style.bold('Header'),
    table(rowsOf(result.header, summary, style)),
    '',
    style.bold('Claims'),
    table(rowsOf(result.payload, summary, style)),
  ];
  return `${lines.join('\n')}\n`;
}
