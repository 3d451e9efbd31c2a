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
  /**
   * Full v2.0 discovery URL; overrides `authority` and `tenantId` routing (a custom domain or proxy in
   * front of Entra). For Azure AD B2C and External ID, use `b2c` / `externalId` instead.
   */
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
  /** Azure AD B2C instead of a workforce tenant: see {@link EntraB2COptions}. Not with `tenantId`. */
  b2c?: undefined;
  /** Entra External ID instead of a workforce tenant: see {@link EntraExternalIdOptions}. Not with `tenantId`. */
  externalId?: undefined;
}

/**
 * Options of `createEntraValidator`. Where tokens come from: `tenantId` (a workforce tenant, in the
 * `cloud` or at the `authority` given), `b2c` (Azure AD B2C) or `externalId` (Entra External ID), one
 * of the three. Either `audience` or `clientId` is required (a validator that would accept any
 * audience does not compile).
 *
 * @example
 * ```ts
 * const options: EntraValidatorOptions = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '6e74172b-be56-4843-9ff4-e66a39bb12e3' };
 * const customers: EntraValidatorOptions = {
 *   b2c: { domain: 'contoso.b2clogin.com', tenantId: 'contoso.onmicrosoft.com', policies: ['B2C_1_signupsignin'] },
 *   clientId: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
 * };
 * ```
 */
export type EntraValidatorOptions = (
  | EntraValidatorBaseOptions
  | EntraB2CValidatorBaseOptions
  | EntraExternalIdValidatorBaseOptions
) &
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

// Flavours of Entra other than a workforce tenant: Azure AD B2C and Entra External ID.

/**
 * An Azure AD B2C tenant: where its tokens come from and which policies (user flows, custom
 * policies) may issue them. See docs/b2c.md.
 *
 * @example
 * ```ts
 * const b2c: EntraB2COptions = {
 *   domain: 'contoso.b2clogin.com', // or a custom domain: 'login.contoso.com'
 *   tenantId: 'contoso.onmicrosoft.com', // or the tenant GUID
 *   policies: ['B2C_1_signupsignin', 'B2C_1A_signup_signin'],
 * };
 * const validator = createEntraValidator({ b2c, clientId });
 * ```
 */
export interface EntraB2COptions {
  /**
   * The B2C host: `contoso.b2clogin.com`, or a custom domain such as `login.contoso.com` (a host,
   * without a path; https). For tests, a loopback origin such as `http://127.0.0.1:8080`.
   */
  domain: string;
  /**
   * The B2C tenant: its GUID or its `{name}.onmicrosoft.com` domain. The metadata URL uses it as
   * given: `https://{domain}/{tenantId}/{policy}/v2.0/.well-known/openid-configuration`.
   */
  tenantId: string;
  /** The policies whose tokens are accepted (`B2C_1_...` user flows, `B2C_1A_...` custom policies), compared without case. */
  policies: readonly string[];
}

/**
 * A Microsoft Entra External ID tenant (an external, "customer" tenant). See docs/external-id.md.
 *
 * @example
 * ```ts
 * const externalId: EntraExternalIdOptions = { tenantId: '3f8c1a2b-4d5e-4f60-9a7b-8c9d0e1f2a3b', domain: 'contoso.ciamlogin.com' };
 * const validator = createEntraValidator({ externalId, clientId });
 * ```
 */
export interface EntraExternalIdOptions {
  /** The external tenant's GUID (the issuer is `https://{tenantId}.ciamlogin.com/{tenantId}/v2.0`). */
  tenantId: string;
  /**
   * Where its metadata is served. Default `{tenantId}.ciamlogin.com`; `{name}.ciamlogin.com` or a
   * custom URL domain (a host, https), or for tests a loopback origin such as `http://127.0.0.1:8080`.
   */
  domain?: string;
}

/** The options of every validator that are not about where tokens come from. */
type EntraRuleOptions = Omit<
  EntraValidatorBaseOptions,
  | 'tenantId'
  | 'cloud'
  | 'authority'
  | 'discoveryUrl'
  | 'allowedTenants'
  | 'allowAnyTenant'
  | 'b2c'
  | 'externalId'
>;

/**
 * Options of a validator for Azure AD B2C tokens: `b2c` instead of `tenantId`, and the rule options.
 *
 * @example
 * ```ts
 * const shared: EntraB2CValidatorBaseOptions = {
 *   b2c: { domain: 'contoso.b2clogin.com', tenantId: 'contoso.onmicrosoft.com', policies: ['B2C_1_signupsignin'] },
 *   clockToleranceSeconds: 60,
 * };
 * const validator = createEntraValidator({ ...shared, clientId });
 * ```
 */
export interface EntraB2CValidatorBaseOptions extends EntraRuleOptions {
  /** The B2C tenant, its domain and policies. */
  b2c: EntraB2COptions;
  tenantId?: undefined;
  cloud?: undefined;
  authority?: undefined;
  discoveryUrl?: undefined;
  allowedTenants?: undefined;
  allowAnyTenant?: undefined;
  externalId?: undefined;
}

/**
 * Options of a validator for Entra External ID tokens: `externalId` instead of `tenantId`, and the
 * rule options.
 *
 * @example
 * ```ts
 * const shared: EntraExternalIdValidatorBaseOptions = { externalId: { tenantId: '3f8c1a2b-4d5e-4f60-9a7b-8c9d0e1f2a3b' } };
 * const validator = createEntraValidator({ ...shared, clientId });
 * ```
 */
export interface EntraExternalIdValidatorBaseOptions extends EntraRuleOptions {
  /** The external tenant, and the domain its metadata is served on. */
  externalId: EntraExternalIdOptions;
  tenantId?: undefined;
  cloud?: undefined;
  authority?: undefined;
  discoveryUrl?: undefined;
  allowedTenants?: undefined;
  allowAnyTenant?: undefined;
  b2c?: undefined;
}
