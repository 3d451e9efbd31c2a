/**
 * The public shapes of the test kit: options, the running issuer, token options and faults.
 */

/**
 * Which kind of Entra tenant the kit impersonates: a workforce tenant (the default), an Azure AD B2C
 * tenant, or an Entra External ID (customer) tenant.
 *
 * @example
 * ```ts
 * const flavour: MockFlavour = 'b2c';
 * const entra = await createMockEntra({ flavour, policies: ['B2C_1_signupsignin'] });
 * ```
 */
export type MockFlavour = 'workforce' | 'b2c' | 'externalId';

/**
 * The national cloud a workforce kit impersonates: its v1.0 issuer host, Graph hosts and document
 * fields (the kit still serves everything on 127.0.0.1).
 *
 * @example
 * ```ts
 * const cloud: MockCloud = 'china'; // v1 issuer https://sts.chinacloudapi.cn/{tid}/
 * const entra = await createMockEntra({ cloud });
 * ```
 */
export type MockCloud = 'public' | 'usgov' | 'china';

/**
 * Options of {@link createMockEntra}. Every field has an Entra-looking default.
 *
 * @example
 * ```ts
 * const entra = await createMockEntra({
 *   tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
 *   clock: () => Date.UTC(2026, 0, 1),
 * });
 * ```
 */
export interface MockEntraOptions<F extends MockFlavour = MockFlavour> {
  /** Which kind of tenant to impersonate. Default `'workforce'`. */
  flavour?: F;
  /** Workforce only: the national cloud. Default `'public'`. */
  cloud?: MockCloud;
  /** B2C only: the policies (user flows, custom policies) served. Default `['B2C_1_signupsignin']`. */
  policies?: readonly string[];
  /**
   * B2C only: the issuer form the policies announce and their tokens carry: `'tenant'`
   * (`{authority}/{tenant GUID}/v2.0/`, B2C's default) or `'tfp'` (`{authority}/tfp/{tenant GUID}/{policy}/v2.0/`).
   * Default `'tenant'`.
   */
  issuerFormat?: 'tenant' | 'tfp';
  /** The tenant GUID. Default `'6f0c3c2a-4b1e-4d8f-9a57-3c2b1d0e9f11'`. */
  tenantId?: string;
  /** TCP port on 127.0.0.1. Default 0 (an ephemeral port). */
  port?: number;
  /** The protected API's application (client) ID. Default `'b8a4d1e2-7c3f-4e9a-8b6d-2f1e0c9a7b53'`. */
  clientId?: string;
  /** The calling client application's ID (`azp` / `appid`). Default `'c3d2e1f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f'`. */
  clientAppId?: string;
  /** A verified domain of the tenant, served as an alias of `tenantId`. Default `'contoso.onmicrosoft.com'`. */
  domain?: string;
  /** The current time in milliseconds, for `iat` / `nbf` / `exp` defaults. Default `Date.now`. */
  clock?: () => number;
}

/**
 * A fault the issuer can be told to show. See {@link MockEntra.setFault}.
 *
 * - `down`: the connection is destroyed with no response.
 * - `slow`: the answer waits `delayMs`, or without it until the fault changes or the kit closes.
 * - `garbage`: 200 `application/json` whose body is not JSON.
 * - `huge`: 200 with about 2 MiB of valid JSON and a `content-length`.
 * - `endless`: 200, chunked, JSON-looking bytes written until the client goes away.
 * - `redirect`: 302 to `${authority}/redirected<path>` (which serves the normal document).
 * - `status`: the `status` option (default 500) with a JSON error body.
 * - `empty`: key sets are `{"keys":[]}`; discovery documents are unaffected.
 *
 * @example
 * ```ts
 * const fault: MockEntraFault = 'garbage';
 * entra.setFault(fault, { target: 'jwks' });
 * ```
 */
export type MockEntraFault =
  | 'down'
  | 'slow'
  | 'garbage'
  | 'huge'
  | 'endless'
  | 'redirect'
  | 'status'
  | 'empty';

/**
 * Options of {@link MockEntra.createToken}.
 *
 * @example
 * ```ts
 * // An app-only v1 token that expired an hour ago.
 * const options: CreateTokenOptions = { kind: 'app', version: '1.0', issuedAt: -7200, expiresIn: 3600 };
 * const token = entra.createToken({}, options);
 * ```
 */
export interface CreateTokenOptions {
  /**
   * What the token is. Default `'delegated'` (a user signed in to a client app that calls the API).
   * `'app'`: app-only (client credentials). `'guest'`: a B2B guest user. `'graph'`: a Microsoft Graph
   * token (Graph audience, `nonce` in the header). `'id'`: an OpenID Connect ID token for the client app.
   * B2C kits make `'delegated'`, `'app'` and `'id'` tokens; External ID kits all but `'guest'`.
   */
  kind?: 'delegated' | 'app' | 'guest' | 'graph' | 'id';
  /**
   * Token version (`ver`), which decides issuer, audience and claim names. Default `'2.0'`. Workforce
   * kits only: B2C tokens always say `'1.0'`, External ID tokens `'2.0'`.
   */
  version?: '1.0' | '2.0';
  /** Issue as another tenant: `iss` and `tid` of that tenant, signed by the same keys. */
  tenantId?: string;
  /** Seconds from `iat` to `exp`. Default 3600. */
  expiresIn?: number;
  /** Seconds from now to `iat`, e.g. -7200 for two hours ago. Default 0. */
  issuedAt?: number;
  /** Seconds from now to `nbf`. Default: `nbf` equals `iat`. */
  notBefore?: number;
  /**
   * Sign with this key (a kid from `rotateKeys`, `addKey` or `currentKid`); the header names it.
   * A kid the kit does not hold is put in the header over a signature by the current key.
   */
  kid?: string;
  /** Sign with a key that is never published; the header kid is a fresh random one unless `kid` is given. */
  signWith?: 'unpublished';
  /** B2C only: the policy (`tfp`, and the issuer in the `tfp` form). Default the kit's first policy; any name may be given. */
  policy?: string;
  /** Merged over the default header; a value of `undefined` removes that field. */
  header?: Record<string, unknown>;
}

/**
 * A running local Entra ID look-alike, from {@link createMockEntra}.
 *
 * @example
 * ```ts
 * await using entra = await createMockEntra();
 * const token = entra.createToken({ scp: 'Orders.Read' });
 * const validator = createEntraValidator(entra.validatorOptions());
 * ```
 */
export interface MockEntra<F extends MockFlavour = 'workforce'> {
  /** Which kind of tenant it impersonates. */
  readonly flavour: F;
  /** The national cloud (`'public'` except for a workforce kit started with `cloud`). */
  readonly cloud: MockCloud;
  /** B2C: the policies served, as given; empty for the other flavours. */
  readonly policies: readonly string[];
  /** Base URL of the issuer, `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly authority: string;
  /** The tenant GUID. */
  readonly tenantId: string;
  /** The protected API's application (client) ID: the `aud` of v2 access tokens. */
  readonly clientId: string;
  /** The calling client application's ID: `azp` (v2) / `appid` (v1), and the `aud` of ID tokens. */
  readonly clientAppId: string;
  /** `api://${clientId}`: the `aud` of v1 access tokens. */
  readonly audience: string;
  /** The verified domain, served as an alias of the tenant. */
  readonly domain: string;
  /**
   * The v2 issuer of the tenant: `${authority}/${tenantId}/v2.0`. B2C: the first policy's
   * (`${authority}/${tenantId}/v2.0/`, or the `tfp` form); External ID:
   * `https://${tenantId}.ciamlogin.com/${tenantId}/v2.0` (not on `authority`, as in Entra).
   */
  readonly issuer: string;
  /**
   * The v1 issuer of the tenant: `https://sts.windows.net/${tenantId}/` (`https://sts.chinacloudapi.cn/…`
   * in China; not on `authority`, as in Entra). B2C, whose tokens say ver 1.0: `issuer`. External ID
   * has no v1.0 tokens: `issuer`.
   */
  readonly issuerV1: string;
  /** The kid of the key `createToken` signs with by default. */
  readonly currentKid: string;

  /**
   * The issuer discovery announces for a tenant: a GUID gives its issuer, the domain and `consumers`
   * the issuer of their GUID, `common` and `organizations` the `{tenantid}` template.
   */
  issuerFor(tenantId: string, version?: '1.0' | '2.0'): string;
  /** A signed, Entra-shaped JWT. `claims` are merged over the defaults; `undefined` removes a claim. */
  createToken(claims?: Record<string, unknown>, options?: CreateTokenOptions): string;
  /**
   * A new RSA-2048 key becomes the signer and is published. The previous signer stays published
   * unless `keepPrevious` is `false`. Resolves to the new kid.
   */
  rotateKeys(options?: { keepPrevious?: boolean }): Promise<string>;
  /**
   * An extra key, usable through `createToken(claims, { kid })`. `issuer` replaces the key's JWKS
   * `issuer` property everywhere (`null`: no property); `publish` (default true); `use` (default `'sig'`).
   */
  addKey(options?: {
    issuer?: string | null;
    publish?: boolean;
    modulusLength?: number;
    use?: string;
  }): Promise<string>;
  /** Stop publishing the key (or raw JWK) with that kid. Tokens can still be signed with it. */
  removeKey(kid: string): void;
  /** Publish this JWK as-is, after the kit's own keys, in every key set. */
  addRawJwk(jwk: Record<string, unknown>): void;
  /** Make matching requests fail in the named way; `null` restores normal service. */
  setFault(
    fault: MockEntraFault | null,
    options?: { target?: 'all' | 'jwks' | 'discovery'; delayMs?: number; status?: number },
  ): void;
  /** Shallowly merged over every discovery document served; `null` removes the overrides. */
  setMetadataOverrides(overrides: Record<string, unknown> | null): void;
  /** Requests received, all or to that exact pathname (query ignored). Faulted requests count too. */
  requestCount(path?: string): number;
  /** Sets every request count to zero. */
  resetCounts(): void;
  /**
   * Options for `createEntraValidator` (or any adapter) that point at this issuer, with `extra`
   * merged in: `{ tenantId, clientId, authority }` (and `cloud` when not public); B2C:
   * `{ clientId, b2c: { domain: authority, tenantId: domain, policies } }`; External ID:
   * `{ clientId, externalId: { tenantId, domain: authority } }`.
   */
  validatorOptions<Extra extends object = {}>(extra?: Extra): MockValidatorOptions<F> & Extra;
  /** The tenant's v2 key set, as served at `/${tenantId}/discovery/v2.0/keys` (B2C: at each policy's `jwks_uri`). */
  jwks(): { keys: Record<string, unknown>[] };
  /** Frees the port, destroys open connections and clears every timer. Idempotent. */
  close(): Promise<void>;
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * What `validatorOptions()` returns: the options `createEntraValidator` needs to trust this issuer,
 * in the shape of the kit's flavour. Declared here rather than imported, so the kit does not depend
 * on the core (the core's own tests use the kit).
 *
 * @example
 * ```ts
 * const validator = createEntraValidator(entra.validatorOptions({ clockToleranceSeconds: 0 }));
 * ```
 */
export type MockValidatorOptions<F extends MockFlavour = 'workforce'> = F extends 'b2c'
  ? MockB2CValidatorOptions
  : F extends 'externalId'
    ? MockExternalIdValidatorOptions
    : MockWorkforceValidatorOptions;

/**
 * `validatorOptions()` of a workforce kit.
 *
 * @example
 * ```ts
 * const options: MockWorkforceValidatorOptions = entra.validatorOptions();
 * ```
 */
export interface MockWorkforceValidatorOptions {
  tenantId: string;
  clientId: string;
  authority: string;
  /** Set for a kit started with `cloud: 'usgov'` or `'china'`. */
  cloud?: MockCloud;
}

/**
 * `validatorOptions()` of a B2C kit: the validator reads each policy's document from the kit.
 *
 * @example
 * ```ts
 * const entra = await createMockEntra({ flavour: 'b2c' });
 * const options: MockB2CValidatorOptions = entra.validatorOptions();
 * ```
 */
export interface MockB2CValidatorOptions {
  clientId: string;
  b2c: { domain: string; tenantId: string; policies: string[] };
}

/**
 * `validatorOptions()` of an External ID kit.
 *
 * @example
 * ```ts
 * const entra = await createMockEntra({ flavour: 'externalId' });
 * const options: MockExternalIdValidatorOptions = entra.validatorOptions();
 * ```
 */
export interface MockExternalIdValidatorOptions {
  clientId: string;
  externalId: { tenantId: string; domain: string };
}
