/**
 * One Microsoft Graph `getMemberObjects` call, bounded in time and size, and what its failures mean:
 * every failure is `groups_unavailable` (503) with a message that says what to fix (which Graph
 * permission to grant, which token to give), the details in `cause`.
 */
import { EntraAuthError, isEntraAuthError } from '../errors.js';
import { GUID_RE } from '../ids.js';
import { readCapped } from '../keys/http.js';
import { own } from '../option-checks.js';
import type { ResolvedGroupsOptions } from './options.js';

/** Error answers are read this far, for Graph's error code. */
const MAX_ERROR_BYTES = 16 * 1024;

export type DirectoryKind = 'users' | 'servicePrincipals';

/** A Graph lookup that failed: `groups_unavailable` (503, `Retry-After`), the details in `cause`. */
export function unavailable(message: string, cause?: unknown, retryAfterSeconds?: number): EntraAuthError {
  return new EntraAuthError('groups_unavailable', { message, cause, retryAfterSeconds });
}

/** One getMemberObjects call within `timeoutMs`, from getting the Graph token to reading the answer. */
export async function lookUp(
  kind: DirectoryKind,
  oid: string,
  tenantId: string,
  o: ResolvedGroupsOptions,
): Promise<readonly string[]> {
  const controller = new AbortController();
  // setTimeout fires at once past 2^31 - 1 ms: cap the delay (about 24 days) rather than time out at once.
  const timer = setTimeout(() => controller.abort(), Math.min(o.timeoutMs, 2_147_483_647));
  (timer as { unref?: () => void }).unref?.();
  // Everything below races this, so an injected fetch or token provider that ignores the signal
  // (or never settles) still ends the lookup at timeoutMs.
  const deadline = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(TIMED_OUT));
  });
  deadline.catch(() => undefined);
  const within = <T>(work: Promise<T>): Promise<T> => Promise.race([work, deadline]);
  const what = kind === 'users' ? "the user's" : "the application's";
  try {
    let bearer: string;
    try {
      const token = await within(Promise.resolve().then(() => o.getGraphToken({ tenantId, scope: o.scope })));
      bearer = tokenString(token);
    } catch (error) {
      if (error === TIMED_OUT) throw error;
      throw unavailable(
        'The groups of this caller cannot be read: getGraphToken did not give a Microsoft Graph token',
        error,
      );
    }
    const fetch = o.fetch ?? ((input: string, init?: RequestInit) => globalThis.fetch(input, init));
    const response = await within(
      fetch(`${o.graph}/v1.0/${kind}/${oid}/getMemberObjects`, {
        method: 'POST',
        redirect: 'manual',
        signal: controller.signal,
        headers: {
          authorization: `Bearer ${bearer}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({ securityEnabledOnly: o.securityEnabledOnly }),
      }),
    );
    if (response.status !== 200) {
      const code = await within(errorCode(response)).catch(() => undefined);
      throw refusal(response, kind, what, code);
    }
    const body = await within(readText(response, o.maxResponseBytes));
    if (body === undefined) {
      throw unavailable(
        `Microsoft Graph's answer to a group lookup is larger than maxResponseBytes (${o.maxResponseBytes} bytes): refused`,
      );
    }
    return parseIds(body);
  } catch (error) {
    if (isEntraAuthError(error)) throw error;
    if (error === TIMED_OUT || controller.signal.aborted) {
      throw unavailable(
        `Microsoft Graph did not answer within timeoutMs (${o.timeoutMs} ms) when asked for ${what} groups: retry later`,
        new Error('timeout'),
      );
    }
    throw unavailable(`Microsoft Graph could not be reached to read ${what} groups: retry later`, error);
  } finally {
    clearTimeout(timer);
    if (!controller.signal.aborted) controller.abort();
  }
}

const TIMED_OUT = Symbol('timeout');

function tokenString(value: unknown): string {
  const token =
    typeof value === 'object' && value !== null ? (value as { token?: unknown }).token : (value as unknown);
  // A header value: visible ASCII only (an access token is base64url with dots).
  if (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token)) {
    throw new TypeError(
      'getGraphToken must resolve to the access token string, or an object with a token string (as @azure/identity gives)',
    );
  }
  return token;
}

/** Graph's error code (`Authorization_RequestDenied`, ...) from an error answer, when it has one. */
async function errorCode(response: Response): Promise<string | undefined> {
  const body = await readText(response, MAX_ERROR_BYTES);
  if (body === undefined) return undefined;
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' && /^[A-Za-z0-9_.]{1,64}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

function refusal(
  response: Response,
  kind: DirectoryKind,
  what: string,
  code: string | undefined,
): EntraAuthError {
  const status = response.status;
  const detail = code === undefined ? `${status}` : `${status} ${code}`;
  const cause = new Error(`Microsoft Graph answered ${detail}`);
  if (status >= 300 && status < 400) {
    return unavailable(
      `Microsoft Graph answered a group lookup with a redirect (${status}), which is not followed`,
      cause,
    );
  }
  if (status === 401) {
    return unavailable(
      `Microsoft Graph refused the token from getGraphToken (${detail}): it must be an app-only Graph token of the caller's tenant`,
      cause,
    );
  }
  if (status === 403) {
    return unavailable(
      kind === 'users'
        ? `Microsoft Graph denied reading ${what} groups (${detail}): grant the API the Graph application permissions GroupMember.Read.All and User.ReadBasic.All (or User.Read.All, or Directory.Read.All), with admin consent`
        : `Microsoft Graph denied reading ${what} groups (${detail}): grant the API the Graph application permission Application.Read.All (or Directory.Read.All), with admin consent`,
      cause,
    );
  }
  if (status === 404) {
    return unavailable(
      `Microsoft Graph does not know this caller (${detail}): is the Graph token from the caller's tenant?`,
      cause,
    );
  }
  if (status === 429 || status >= 500) {
    return unavailable(
      `Microsoft Graph is unavailable or throttling (${detail}): retry later`,
      cause,
      retryAfterHeader(response),
    );
  }
  return unavailable(`Microsoft Graph refused a group lookup (${detail})`, cause);
}

/** Graph sends `Retry-After` in seconds. */
function retryAfterHeader(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  return value !== null && /^\d{1,6}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The body as text, or `undefined` past `max` bytes (declared or read): reading stops at the cap. */
async function readText(response: Response, max: number): Promise<string | undefined> {
  const bytes = await readCapped(response, max);
  if (bytes === 'too_large') return undefined;
  try {
    return decoder.decode(bytes);
  } catch {
    return '\u0000'; // not UTF-8: fails as JSON below
  }
}

/** `{ "value": ["<guid>", ...] }` and nothing less: anything else is refused, never half-used. */
function parseIds(text: string): readonly string[] {
  const invalid = (reason: string, cause?: unknown) =>
    unavailable(
      `Microsoft Graph's answer to a group lookup is not a list of group ids (${reason}): refused`,
      cause,
    );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw invalid('not JSON', error);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('not an object');
  // getMemberObjects answers in one piece; a paged answer would be a partial list.
  if (Object.hasOwn(body, '@odata.nextLink')) throw invalid('paged');
  const value = own(body, 'value');
  if (!Array.isArray(value)) throw invalid('no value array');
  const ids = new Set<string>();
  for (const id of value) {
    if (typeof id !== 'string' || !GUID_RE.test(id)) throw invalid('an entry is not a GUID');
    ids.add(id.toLowerCase());
  }
  return Object.freeze([...ids]);
}
