/**
 * Group memberships, including the "groups overage" case: when a user is in more groups than fit in
 * a token (200 in a JWT), Entra ID leaves `groups` out and signals the overage instead (`hasgroups`,
 * or `_claim_names.groups` pointing at `_claim_sources`). The groups must then be read from
 * Microsoft Graph (`POST /users/{oid}/getMemberObjects`), with a token the API gets for itself.
 *
 * What a token says decides nothing about where requests go: the Graph host is the configured one
 * (the `_claim_sources` endpoint in the token is never used), and the only token value in the URL is
 * the `oid`, checked to be a GUID first. Answers are cached per tenant and object id; concurrent
 * lookups of one user share a request; failures are not cached and never let a requirement pass.
 */
import { LRUCache } from 'lru-cache';
import type { MatchOptions } from './authorize.js';
import { EntraAuthError, EntraConfigError, isEntraAuthError } from './errors.js';
import { GUID_RE } from './ids.js';
import type { EntraCloud } from './options.js';
import type { EntraPrincipal } from './principal.js';
import { isTrustedUrl } from './urls.js';

/**
 * What `getGraphToken` is told: the tenant whose directory will be read (the token's `tid`: for a
 * multi-tenant API, get the token from that tenant) and the scope to ask for (`{graph}/.default`).
 *
 * @example
 * ```ts
 * const getGraphToken = async ({ tenantId, scope }: GraphTokenRequest) =>
 *   (await credentialFor(tenantId).getToken(scope)).token;
 * ```
 */
export interface GraphTokenRequest {
  /** The tenant of the principal, a GUID. */
  readonly tenantId: string;
  /** `https://graph.microsoft.com/.default`, or the configured Graph host's. */
  readonly scope: string;
}

/**
 * Gets an app-only access token for Microsoft Graph (client credentials), as a string or as an
 * object with a `token` string (what `@azure/identity`'s `getToken()` resolves to). Called before
 * each Graph request; cache tokens in it (credential libraries do).
 *
 * @example
 * ```ts
 * import { ClientSecretCredential } from '@azure/identity';
 *
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret);
 * const getGraphToken: GraphTokenProvider = ({ scope }) => credential.getToken(scope);
 * ```
 */
export type GraphTokenProvider = (
  request: GraphTokenRequest,
) => string | { token: string } | Promise<string | { token: string }>;

/**
 * Options of {@link resolveGroups}, {@link requireGroups} and {@link createGroupsCheck}. Read as own
 * properties, and checked once per options object: define them once, do not change them later.
 *
 * @example
 * ```ts
 * const groupsOptions: GroupsOptions = {
 *   getGraphToken: ({ scope }) => credential.getToken(scope),
 *   cacheSeconds: 300,
 * };
 * const groups = await resolveGroups(principal, groupsOptions);
 * ```
 */
export interface GroupsOptions {
  /** Required: an app-only Microsoft Graph token for the API itself. See {@link GraphTokenProvider}. */
  getGraphToken: GraphTokenProvider;
  /** Injected fetch (proxies, tests). Default: the global `fetch`, looked up at each call. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** How long a user's groups read from Graph are reused, in seconds. Default 300; 0 disables the cache. */
  cacheSeconds?: number;
  /**
   * `true` (default): security groups only (what the groups claim holds when the app registration
   * emits "Security groups"); `false`: every group, directory role and administrative unit.
   */
  securityEnabledOnly?: boolean;
  /** Which cloud's Graph: `'public'` (graph.microsoft.com, default), `'usgov'` (graph.microsoft.us), `'china'`. */
  cloud?: EntraCloud;
  /**
   * Graph's base URL instead of `cloud`'s, e.g. `https://dod-graph.microsoft.us`. https, or http on a
   * loopback host (tests). Never taken from a token.
   */
  graphUrl?: string;
  /** Bound on one lookup (getting the Graph token, the request, the answer), in ms. Default 5000. */
  timeoutMs?: number;
  /** Larger answers are refused. Default 1 MiB (Graph returns at most 11,000 ids, about 430 KB). */
  maxResponseBytes?: number;
  /** The time, in ms, for cache expiry. Default `Date.now`. */
  clock?: () => number;
}

/**
 * Options of {@link requireGroups} and {@link createGroupsCheck}: {@link GroupsOptions} and how the
 * listed groups combine (`all`, the default, or `any`).
 *
 * @example
 * ```ts
 * const options: RequireGroupsOptions = { getGraphToken, match: 'any' };
 * await requireGroups(principal, [adminsGroupId, operatorsGroupId], options);
 * ```
 */
export interface RequireGroupsOptions extends GroupsOptions, MatchOptions {}

/**
 * A group requirement made by {@link createGroupsCheck}: resolves when the principal passes, rejects
 * with an `EntraAuthError` otherwise (`insufficient_role`, or unavailable when Graph cannot answer).
 *
 * @example
 * ```ts
 * const admins: GroupsCheck = createGroupsCheck(adminsGroupId, { getGraphToken });
 * await admins(principal);
 * ```
 */
export type GroupsCheck = (principal: EntraPrincipal | undefined) => Promise<void>;

const GRAPH_HOSTS: { readonly [C in EntraCloud]: string } = {
  public: 'https://graph.microsoft.com',
  usgov: 'https://graph.microsoft.us',
  china: 'https://microsoftgraph.chinacloudapi.cn',
};

const DEFAULT_CACHE_SECONDS = 300;
const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/** Bound on the ids held by the cache, all users together (a GUID string costs about 60 bytes). */
const CACHE_MAX_IDS = 500_000;
/** Error answers are read this far, for Graph's error code. */
const MAX_ERROR_BYTES = 16 * 1024;

const OPTION_NAMES = [
  'getGraphToken',
  'fetch',
  'cacheSeconds',
  'securityEnabledOnly',
  'cloud',
  'graphUrl',
  'timeoutMs',
  'maxResponseBytes',
  'clock',
  'match',
] as const;

/** A Graph lookup that failed: `groups_unavailable` (503, `Retry-After`), the details in `cause`. */
function unavailable(message: string, cause?: unknown, retryAfterSeconds?: number): EntraAuthError {
  return new EntraAuthError('groups_unavailable', { message, cause, retryAfterSeconds });
}

interface ResolvedOptions {
  readonly getGraphToken: GraphTokenProvider;
  readonly fetch: ((input: string, init?: RequestInit) => Promise<Response>) | undefined;
  readonly cacheMs: number;
  readonly securityEnabledOnly: boolean;
  /** Graph's base URL without a trailing slash. */
  readonly graph: string;
  /** `{origin}/.default` */
  readonly scope: string;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly clock: () => number;
  readonly match: 'all' | 'any';
}

function fail(message: string): never {
  throw new EntraConfigError(message);
}

function own<T>(o: object, name: string): T | undefined {
  return Object.hasOwn(o, name) ? ((o as Record<string, unknown>)[name] as T) : undefined;
}

function positive(name: string, value: unknown, fallback: number, allowZero: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    fail(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} finite number`);
  }
  return value;
}

function graphBase(cloud: unknown, graphUrl: unknown): string {
  if (graphUrl !== undefined) {
    if (cloud !== undefined) fail('Give cloud or graphUrl, not both: graphUrl names the Graph host itself');
    if (typeof graphUrl !== 'string' || graphUrl === '') {
      fail('graphUrl must be a URL string, for example https://graph.microsoft.com');
    }
    let url: URL;
    try {
      url = new URL(graphUrl);
    } catch {
      fail('graphUrl is not a valid URL: use an absolute URL such as https://graph.microsoft.com');
    }
    if (!isTrustedUrl(url)) {
      fail(
        'graphUrl must use https: (http: is accepted only for loopback hosts such as 127.0.0.1, for tests)',
      );
    }
    if (url.username || url.password || url.search || url.hash) {
      fail('graphUrl must not contain credentials, a ?query or a #fragment');
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }
  const c = cloud ?? 'public';
  if (typeof c !== 'string' || !Object.hasOwn(GRAPH_HOSTS, c)) {
    fail("cloud must be 'public', 'usgov' or 'china' (or give graphUrl)");
  }
  return GRAPH_HOSTS[c as EntraCloud];
}

const resolvedCache = new WeakMap<object, ResolvedOptions>();

/** Options → resolved settings, every mistake an `EntraConfigError`. Read as own properties only. */
function resolveOptions(options: unknown): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    fail(
      'Group lookups need options with getGraphToken, e.g. { getGraphToken: ({ scope }) => credential.getToken(scope) }',
    );
  }
  const known = resolvedCache.get(options);
  if (known !== undefined) return known;
  for (const name of Object.keys(options)) {
    if (!(OPTION_NAMES as readonly string[]).includes(name)) {
      fail(`Unknown groups option '${name}'. Known: ${OPTION_NAMES.join(', ')}`);
    }
  }
  const getGraphToken = own<unknown>(options, 'getGraphToken');
  if (typeof getGraphToken !== 'function') {
    fail(
      'getGraphToken is required: a function returning an app-only Microsoft Graph token, e.g. ({ scope }) => credential.getToken(scope)',
    );
  }
  const fetch = own<unknown>(options, 'fetch');
  if (fetch !== undefined && typeof fetch !== 'function')
    fail('fetch must be a function like the global fetch');
  const clock = own<unknown>(options, 'clock') ?? Date.now;
  if (typeof clock !== 'function') fail('clock must be a function returning milliseconds');
  const securityEnabledOnly = own<unknown>(options, 'securityEnabledOnly') ?? true;
  if (typeof securityEnabledOnly !== 'boolean') fail('securityEnabledOnly must be true or false');
  const match = own<unknown>(options, 'match') ?? 'all';
  if (match !== 'all' && match !== 'any') fail("match must be 'all' or 'any'");
  const graph = graphBase(own(options, 'cloud'), own(options, 'graphUrl'));
  const resolved: ResolvedOptions = {
    getGraphToken: getGraphToken as GraphTokenProvider,
    fetch: fetch as ResolvedOptions['fetch'],
    cacheMs: positive('cacheSeconds', own(options, 'cacheSeconds'), DEFAULT_CACHE_SECONDS, true) * 1000,
    securityEnabledOnly,
    graph,
    scope: `${new URL(graph).origin}/.default`,
    timeoutMs: positive('timeoutMs', own(options, 'timeoutMs'), DEFAULT_TIMEOUT_MS, false),
    maxResponseBytes: positive(
      'maxResponseBytes',
      own(options, 'maxResponseBytes'),
      DEFAULT_MAX_RESPONSE_BYTES,
      false,
    ),
    clock: clock as () => number,
    match,
  };
  resolvedCache.set(options, resolved);
  return resolved;
}

function present(principal: EntraPrincipal | undefined): EntraPrincipal {
  if (principal === undefined || principal === null) throw new EntraAuthError('missing_token');
  return principal;
}

/** GUIDs compare without case (Graph writes them in lower case); other names are kept as they are. */
function normalize(name: string): string {
  return GUID_RE.test(name) ? name.toLowerCase() : name;
}

const NO_GROUPS: readonly string[] = Object.freeze([]);

/** The token's own `groups` claim, or `undefined` when it has none. */
function groupsClaim(claims: Readonly<Record<string, unknown>>): readonly string[] | undefined {
  const groups = own<unknown>(claims, 'groups');
  if (!Array.isArray(groups)) return undefined;
  return Object.freeze(groups.filter((g): g is string => typeof g === 'string' && g !== '').map(normalize));
}

/** Whether the token says its groups did not fit: `hasgroups: true` or `_claim_names.groups`. */
function signalsOverage(claims: Readonly<Record<string, unknown>>): boolean {
  if (own(claims, 'hasgroups') === true) return true;
  const names = own<unknown>(claims, '_claim_names');
  return typeof names === 'object' && names !== null && Object.hasOwn(names, 'groups');
}

interface CachedGroups {
  readonly groups: readonly string[];
  readonly fetchedAt: number;
}

// One cache for the process: lookups of one user share it whatever options object they pass (a
// per-call literal included). The key holds everything that changes Graph's answer.
const cache = new LRUCache<string, CachedGroups>({
  max: 100_000,
  maxSize: CACHE_MAX_IDS,
  sizeCalculation: (entry) => entry.groups.length + 1,
});
const inFlight = new Map<string, Promise<readonly string[]>>();

type DirectoryKind = 'users' | 'servicePrincipals';

/**
 * The principal's group ids: the token's `groups` claim when it has one; when the token signals an
 * overage (`hasgroups`, or `_claim_names.groups`), the ids Microsoft Graph returns for
 * `POST /v1.0/users/{oid}/getMemberObjects` (`/servicePrincipals/{oid}/...` for an app-only token),
 * cached per tenant and object id for `cacheSeconds`; otherwise none. GUIDs are returned in lower case.
 *
 * A lookup that cannot complete (no Graph token, Graph unreachable, too slow, a refusal, an answer
 * that is not a list of ids) rejects with an `EntraAuthError` with status 503 whose message says
 * what to fix (e.g. which Graph permission to grant); it is not cached, the next call asks again.
 * Bad options reject with an `EntraConfigError`.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential } from '@azure/identity';
 *
 * const credential = new ClientSecretCredential(tenantId, apiClientId, apiClientSecret);
 * const groups = await resolveGroups(principal, { getGraphToken: ({ scope }) => credential.getToken(scope) });
 * if (groups.includes(adminsGroupId)) showAdminMenu();
 * ```
 */
export async function resolveGroups(
  principal: EntraPrincipal | undefined,
  options: GroupsOptions,
): Promise<readonly string[]> {
  const o = resolveOptions(options);
  return groupsOf(present(principal), o);
}

function groupsOf(
  principal: EntraPrincipal,
  o: ResolvedOptions,
): Promise<readonly string[]> | readonly string[] {
  const claims = principal.claims;
  const fromToken = groupsClaim(claims);
  if (fromToken !== undefined) return fromToken;
  if (!signalsOverage(claims)) return NO_GROUPS;
  const kind: DirectoryKind = principal.isAppOnly ? 'servicePrincipals' : 'users';
  const oid = own<unknown>(claims, 'oid');
  const tenantId = principal.tenantId;
  // The oid goes into the URL path: only a GUID may.
  if (typeof oid !== 'string' || !GUID_RE.test(oid) || !GUID_RE.test(tenantId)) {
    throw unavailable(
      'The groups of this caller cannot be read: the token has no tenant and object id (tid, oid) GUIDs',
    );
  }
  const key = `${o.graph} ${kind} ${o.securityEnabledOnly} ${tenantId.toLowerCase()} ${oid.toLowerCase()}`;
  const now = o.clock();
  const cached = cache.get(key);
  if (cached !== undefined) {
    const age = now - cached.fetchedAt;
    if (age >= 0 && age < o.cacheMs) return cached.groups;
  }
  let pending = inFlight.get(key);
  if (pending === undefined) {
    pending = lookUp(kind, oid.toLowerCase(), tenantId.toLowerCase(), o).then(
      (groups) => {
        if (o.cacheMs > 0) cache.set(key, { groups, fetchedAt: o.clock() });
        inFlight.delete(key);
        return groups;
      },
      (error: unknown) => {
        // Failures are not cached: the next lookup asks again.
        inFlight.delete(key);
        throw error;
      },
    );
    inFlight.set(key, pending);
  }
  return pending;
}

/** One getMemberObjects call within `timeoutMs`, from getting the Graph token to reading the answer. */
async function lookUp(
  kind: DirectoryKind,
  oid: string,
  tenantId: string,
  o: ResolvedOptions,
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
    const body = await within(readCapped(response, o.maxResponseBytes));
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
  const body = await readCapped(response, MAX_ERROR_BYTES);
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
async function readCapped(response: Response, max: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
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
  const value = own<unknown>(body, 'value');
  if (!Array.isArray(value)) throw invalid('no value array');
  const ids = new Set<string>();
  for (const id of value) {
    if (typeof id !== 'string' || !GUID_RE.test(id)) throw invalid('an entry is not a GUID');
    ids.add(id.toLowerCase());
  }
  return Object.freeze([...ids]);
}

// Group names: object ids usually; with other claim settings, names such as `sAMAccountName` or a
// display name. Any non-empty text without control characters.
const GROUP_NAME_RE = /^[^\x00-\x1f\x7f]{1,256}$/;

function requiredGroups(groups: unknown): string[] {
  const list = typeof groups === 'string' ? [groups] : groups;
  if (!Array.isArray(list)) {
    fail(
      "Required groups must be a group object id or a list of them, e.g. '0b7d8a3e-9c4f-4e21-b6a5-3f2e1d0c9b8a'",
    );
  }
  if (list.length === 0)
    fail('Required groups must not be empty: an empty requirement would allow every token');
  for (const name of list) {
    if (typeof name !== 'string' || !GROUP_NAME_RE.test(name)) {
      fail('Required groups must be non-empty strings without control characters (group object ids)');
    }
  }
  return [...new Set((list as string[]).map(normalize))];
}

/**
 * Validates a group requirement and its options now (an `EntraConfigError` at start-up, never on
 * the first request) and returns its check: it resolves when the principal is in every listed group
 * (`match: 'all'`, the default) or in one of them (`'any'`), reading Graph on an overage as
 * {@link resolveGroups} does. A principal outside the groups is refused with `insufficient_role`
 * (403); a Graph lookup that fails is refused as unavailable (503), never passed.
 *
 * @example
 * ```ts
 * const admins = createGroupsCheck('0b7d8a3e-9c4f-4e21-b6a5-3f2e1d0c9b8a', { getGraphToken });
 * app.delete('/orders/:id', async (req, res, next) => {
 *   try {
 *     await admins(req.auth);
 *     next();
 *   } catch (e) {
 *     next(e);
 *   }
 * });
 * ```
 */
export function createGroupsCheck(
  groups: string | readonly string[],
  options: RequireGroupsOptions,
): GroupsCheck {
  const need = requiredGroups(groups);
  const o = resolveOptions(options);
  return async (principal) => {
    const have = await groupsOf(present(principal), o);
    const pass = o.match === 'all' ? need.every((g) => have.includes(g)) : need.some((g) => have.includes(g));
    if (!pass) {
      throw new EntraAuthError('insufficient_role', {
        message: 'The caller is not a member of a required group',
      });
    }
  };
}

/**
 * Requires group membership: resolves when the principal is in the listed groups (all of them, or
 * any with `match: 'any'`), rejects with `insufficient_role` (403) otherwise. Groups come from the
 * token, or from Microsoft Graph when the token signals an overage (see {@link resolveGroups}); a
 * lookup that fails rejects with a 503 and never passes. An empty list is an `EntraConfigError`.
 * Prefer {@link createGroupsCheck} for a requirement used on every request: it checks it once.
 *
 * @example
 * ```ts
 * await requireGroups(principal, ['0b7d8a3e-9c4f-4e21-b6a5-3f2e1d0c9b8a'], {
 *   getGraphToken: ({ scope }) => credential.getToken(scope),
 * });
 * ```
 */
export async function requireGroups(
  principal: EntraPrincipal | undefined,
  groups: string | readonly string[],
  options: RequireGroupsOptions,
): Promise<void> {
  await createGroupsCheck(groups, options)(principal);
}
