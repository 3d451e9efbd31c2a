/**
 * The options of the group helpers: their public shape, and their checks (own properties only;
 * every mistake an `EntraConfigError` with the fix). The Graph host is the configured one, never
 * one a token names.
 */
import type { MatchOptions } from '../authorize.js';
import { fail, own, positive } from '../option-checks.js';
import type { EntraCloud } from '../options.js';
import type { EntraPrincipal } from '../principal.js';
import { isTrustedUrl } from '../urls.js';

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

export interface ResolvedGroupsOptions {
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

const resolvedCache = new WeakMap<object, ResolvedGroupsOptions>();

/** Options → resolved settings, every mistake an `EntraConfigError`. Read as own properties only. */
export function resolveGroupsOptions(options: unknown): ResolvedGroupsOptions {
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
  const getGraphToken = own(options, 'getGraphToken');
  if (typeof getGraphToken !== 'function') {
    fail(
      'getGraphToken is required: a function returning an app-only Microsoft Graph token, e.g. ({ scope }) => credential.getToken(scope)',
    );
  }
  const fetch = own(options, 'fetch');
  if (fetch !== undefined && typeof fetch !== 'function')
    fail('fetch must be a function like the global fetch');
  const clock = own(options, 'clock') ?? Date.now;
  if (typeof clock !== 'function') fail('clock must be a function returning milliseconds');
  const securityEnabledOnly = own(options, 'securityEnabledOnly') ?? true;
  if (typeof securityEnabledOnly !== 'boolean') fail('securityEnabledOnly must be true or false');
  const match = own(options, 'match') ?? 'all';
  if (match !== 'all' && match !== 'any') fail("match must be 'all' or 'any'");
  const graph = graphBase(own(options, 'cloud'), own(options, 'graphUrl'));
  const resolved: ResolvedGroupsOptions = {
    getGraphToken: getGraphToken as GraphTokenProvider,
    fetch: fetch as ResolvedGroupsOptions['fetch'],
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
