/**
 * Formatting shared by every command: times ("expires in 42 min"), aligned tables, and colours that
 * are switched on only by the bin (stdout is a TTY and `NO_COLOR` is unset).
 */

/**
 * Colour functions; each returns its input unchanged when colours are off.
 *
 * @example
 * ```ts
 * const style: Style = createStyle(false); // plain text, e.g. for a log file
 * console.log(renderVerify(result, style));
 * ```
 */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const identity = (text: string): string => text;

/**
 * A {@link Style} with ANSI colours, or a plain one.
 *
 * @example
 * ```ts
 * const style = createStyle(process.stdout.isTTY === true && !process.env.NO_COLOR);
 * console.log(style.red('rejected'));
 * ```
 */
export function createStyle(enabled: boolean): Style {
  if (!enabled) {
    return {
      enabled,
      bold: identity,
      dim: identity,
      red: identity,
      green: identity,
      yellow: identity,
      cyan: identity,
    };
  }
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  };
}

/** No colours: what library callers get unless they ask. */
export const PLAIN: Style = createStyle(false);

/**
 * A duration in words, rounded the way a person reads a clock: `45 s`, `42 min`, `1 h 5 min`, `3 h`,
 * `2 days`.
 *
 * @example
 * ```ts
 * formatDuration(65 * 60); // '1 h 5 min'
 * ```
 */
export function formatDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 6) return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
  if (hours < 48) return `${Math.round(minutes / 60)} h`;
  const days = Math.round(hours / 24);
  return `${days} days`;
}

/**
 * How far a time is from now: `in 42 min` or `3 h ago`.
 *
 * @example
 * ```ts
 * formatRelative(Date.now() / 1000 + 42 * 60); // 'in 42 min'
 * ```
 */
export function formatRelative(epochSeconds: number, nowMs: number = Date.now()): string {
  const delta = Math.round(epochSeconds - nowMs / 1000);
  return delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`;
}

/**
 * The time claims a token may carry, in the order they are shown.
 *
 * @example
 * ```ts
 * const claim: TimeClaim = 'exp';
 * describeTime(claim, decodeToken(token).payload.exp as number); // e.g. 'expires in 42 min'
 * ```
 */
export type TimeClaim = 'iat' | 'nbf' | 'exp';

/**
 * A time claim in words: `expires in 42 min`, `expired 3 h ago`, `issued 12 min ago`,
 * `valid from 5 min ago`.
 *
 * @example
 * ```ts
 * describeTime('exp', Date.now() / 1000 - 3 * 3600); // 'expired 3 h ago'
 * ```
 */
export function describeTime(claim: TimeClaim, epochSeconds: number, nowMs: number = Date.now()): string {
  // Whole seconds, as the claims are: a token issued "now" is not in the future because of rounding.
  const future = Math.round(epochSeconds - nowMs / 1000) > 0;
  const when = formatRelative(epochSeconds, nowMs);
  switch (claim) {
    case 'exp':
      return future ? `expires ${when}` : `expired ${when}`;
    case 'nbf':
      return future ? `not valid until ${when}` : `valid since ${when}`;
    default:
      return future ? `issued ${when} (in the future: check clocks)` : `issued ${when}`;
  }
}

/**
 * An epoch-seconds claim as an ISO 8601 date, or `undefined` when it is not a usable number.
 *
 * @example
 * ```ts
 * isoDate(1767225600); // '2026-01-01T00:00:00.000Z'
 * ```
 */
export function isoDate(epochSeconds: unknown): string | undefined {
  if (typeof epochSeconds !== 'number' || !Number.isFinite(epochSeconds)) return undefined;
  const date = new Date(epochSeconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Visible width of a string: ANSI colour sequences take no room. */
export function visibleLength(text: string): number {
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/**
 * Two aligned columns, indented: `  key    value`. Multi-line values are indented under the value
 * column.
 *
 * @example
 * ```ts
 * table([['aud', 'api://x'], ['tid', '72f9...']]);
 * ```
 */
export function table(rows: readonly (readonly [string, string])[], indent = 2): string {
  const width = Math.max(0, ...rows.map(([key]) => visibleLength(key)));
  const pad = ' '.repeat(indent);
  return rows
    .map(([key, value]) => {
      const gap = ' '.repeat(width - visibleLength(key) + 2);
      const lines = value.split('\n');
      const rest = lines.slice(1).map((line) => `${pad}${' '.repeat(width + 2)}${line}`);
      return [`${pad}${key}${gap}${lines[0] ?? ''}`.trimEnd(), ...rest].join('\n');
    })
    .join('\n');
}

/**
 * A claim value for display: strings as they are, everything else as compact JSON.
 *
 * @example
 * ```ts
 * showValue(['a', 'b']); // '["a","b"]'
 * ```
 */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json;
}

/** Removes control characters (terminal escapes a forged token could carry) before display. */
export function safeText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\uFFFD');
}
