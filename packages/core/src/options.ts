/**
 * The options of `createEntraValidator`: their public shape and what each means. `config.ts` checks
 * them and fills in the defaults.
 */
import type { EntraEventListener } from './events.js';

/**
 * The national clouds Entra ID runs in.
 *
 * @example
 * ```ts
 * const cloud: EntraCloud = 'usgov'; // authority https://login.microsoftonline.us
 * const validator = createEntraValidator({ tenantId, clientId, cloud });
 * ```
 */
export type EntraCloud = 'public' | 'usgov' | 'china';

/**
 * A token version: `ver` claim.
 *
 * @example
 * ```ts
 * const tokenVersions: EntraTokenVersion[] = ['2.0']; // refuse v1.0 tokens
 * const validator = createEntraValidator({ tenantId, clientId, tokenVersions });
 * ```
 */
export type EntraTokenVersion = '1.0' | '2.0';

/**
 * Signature algorithms the validator can accept. Entra signs with RS256.
 *
 * @example
 * ```ts
 * const algorithms: EntraSigningAlgorithm[] = ['RS256'];
 * const validator = createEntraValidator({ tenantId, clientId, algorithms });
 * ```
 */
export type EntraSigningAlgorithm = 'RS256' | 'RS384' | 'RS512';

/**
 * How the key set is fetched and cached.
 *
 * @example
 * ```ts
 * const jwks: EntraJwksOptions = { refreshIntervalSeconds: 1800, maxStaleSeconds: 6 * 3600, timeoutMs: 2000 };
 * const validator = createEntraValidator({ tenantId, clientId, jwks });
 * ```
 */
export interface EntraJwksOptions {
  /** Background refresh period of the key set. Default 3600. */
  refreshIntervalSeconds?: number;
  /** Minimum gap between two refetches caused by an unknown `kid`. Default 30. */
  cooldownSeconds?: number;
  /** How long cached keys keep serving while the issuer is unreachable. Default 86400. */
  maxStaleSeconds?: number;
  /** Timeout of each outbound request, in milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Largest response accepted, in bytes. Default 1048576. */
  maxResponseBytes?: number;
  /**
   * Keys to start with, as a JWKS document (`{ keys: [...] }`): the first tokens verify without a
   * key-set request (discovery may still be fetched). Entries are checked as in a fetched JWKS and
   * unusable ones ignored; a kid not in it still reaches the network, and the set is refreshed from
   * the network like any other.
   */
  preload?: EntraJwksPreload;
}

/**
 * Keys given to the validator at start-up (`jwks.preload`): a JWKS document, as served at the
 * `jwks_uri`, for example read from a file shipped with the deployment.
 *
 * @example
 * ```ts
 * const preload: EntraJwksPreload = JSON.parse(await readFile('entra-keys.json', 'utf8'));
 * const validator = createEntraValidator({ tenantId, clientId, jwks: { preload } });
 * ```
 */
export interface EntraJwksPreload {
  /** JSON Web Keys; RSA signing keys of at least 2048 bits are used, anything else is ignored. */
  readonly keys: readonly unknown[];
}

/**
 * Where discovery documents and key sets are shared between processes (replicas, serverless cold
 * starts): read before the network, written after each fetch. Keys are the documents' URLs and
 * values the documents as fetched (text); no token is ever stored. Everything read back is checked
 * like a fresh response. Calls are bounded by `jwks.timeoutMs`, and a store that fails or is slow is
 * a miss, never a failed verification. Whoever can write the store can publish keys: use one that
 * only the API can write (see docs/key-stores.md).
 *
 * @example
 * ```ts
 * const memory = new Map<string, string>(); // a store shared by validators in one process
 * const keyStore: EntraKeyStore = {
 *   get: async (key) => memory.get(key),
 *   set: async (key, value, ttlSeconds) => {
 *     memory.set(key, value);
 *     setTimeout(() => memory.delete(key), ttlSeconds * 1000).unref();
 *   },
 * };
 * const validator = createEntraValidator({ tenantId, clientId, keyStore });
 * ```
 */
export interface EntraKeyStore {
  /** The value stored under `key`; `undefined` (or `null`) when there is none. */
  get(key: string): Promise<string | null | undefined>;
  /** Stores `value` under `key` for `ttlSeconds` (a positive whole number of seconds). */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}

/**
 * A tenant allow-list: tenant GUIDs, or a predicate whose answer is cached per tenant.
 *
 * @example
 * ```ts
 * const listed: EntraAllowedTenants = ['72f988bf-86f1-41af-91ab-2d7cd011db47'];
 * const customers: EntraAllowedTenants = async (tid) => (await db.customers.findByTenant(tid))?.active === true;
 * const validator = createEntraValidator({ tenantId: 'organizations', clientId, allowedTenants: customers });
 * ```
 */
export type EntraAllowedTenants = readonly string[] | ((tenantId: string) => boolean | Promise<boolean>);

/**
 * Options shared by every validator, whatever its audience.
 *
 * @example
 * ```ts
 * const shared: EntraValidatorBaseOptions = { tenantId: 'organizations', allowAnyTenant: true, clockToleranceSeconds: 60 };
 * const orders = createEntraValidator({ ...shared, audience: 'api://orders' });
 * const billing = createEntraValidator({ ...shared, audience: 'api://billing' });
 * ```
 */
export interface EntraValidatorBaseOptions {
  /** Tenant GUID, verified domain (`contoso.onmicrosoft.com`), or `common` / `organizations` / `consumers`. */
  tenantId: string;
  /** National cloud; picks the authority. Default `'public'`. */
  cloud?: EntraCloud;
  /** Base URL of the authority, e.g. `https://login.microsoftonline.com`. `http:` only on loopback. */
  authority?: string;
  /** Full v2.0 discovery URL; overrides `authority` and `tenantId` routing (B2C, External ID, custom domains). */
  discoveryUrl?: string;
  /** Multi-tenant only: tenants whose tokens are accepted. */
  allowedTenants?: EntraAllowedTenants;
  /** Multi-tenant only: explicitly accept every tenant. Default `false`. */
  allowAnyTenant?: boolean;
  /** Accepted `ver` values. Default `['1.0', '2.0']`. */
  tokenVersions?: readonly EntraTokenVersion[];
  /** Accepted signature algorithms. Default `['RS256']`. */
  algorithms?: readonly EntraSigningAlgorithm[];
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. Default 300. */
  clockToleranceSeconds?: number;
  /** Refuse tokens whose `iat` is older than this many seconds. */
  maxTokenAgeSeconds?: number;
  /** `false` refuses guest users. Default `true`. */
  allowGuests?: boolean;
  /** Calling applications (`azp` / `appid`) that are accepted. */
  allowedClientIds?: readonly string[];
  /** Refuse tokens with neither `scp` nor `roles`. Default `true`. */
  requireScopeOrRole?: boolean;
  /** Longer tokens are refused before any decoding. Default 16384. */
  maxTokenLength?: number;
  /** Key set fetching and caching. */
  jwks?: EntraJwksOptions;
  /** The current time in milliseconds. Default `Date.now`. */
  clock?: () => number;
  /** Cache of verified tokens, keyed by the whole token: `{ max }` or `false`. Default `{ max: 5000 }`. */
  tokenCache?: { max?: number } | false;
  /**
   * The `fetch` used for discovery and keys. Default: the global `fetch`, looked up at each request,
   * so a proxy set the standard way (undici's `setGlobalDispatcher`, `NODE_USE_ENV_PROXY`) carries them.
   */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** Receives key fetches, refreshes, stale keys served and rejections. Never a token. */
  onEvent?: EntraEventListener;
  /**
   * Shares discovery documents and key sets between processes: `redisKeyStore(client)` from
   * `@org/entra-core/stores/redis`, `kvKeyStore(namespace)` from `@org/entra-core/stores/kv`, or
   * your own `{ get, set }`. Default: none (each process fetches its own).
   */
  keyStore?: EntraKeyStore;
}

/**
 * Options of `createEntraValidator`. Either `audience` or `clientId` is required (a validator that
 * would accept any audience does not compile).
 *
 * @example
 * ```ts
 * const options: EntraValidatorOptions = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '6e74172b-be56-4843-9ff4-e66a39bb12e3' };
 * ```
 */
export type EntraValidatorOptions = EntraValidatorBaseOptions &
  (
    | {
        /** Accepted `aud` values: a token passes if its `aud` equals one. */
        audience: string | readonly string[];
        /** The API's application (client) ID. */
        clientId?: string;
      }
    | {
        audience?: undefined;
        /** The API's application (client) ID: accepted audiences are it and `api://{clientId}`. */
        clientId: string;
      }
  );
