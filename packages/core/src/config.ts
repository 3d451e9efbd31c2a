/**
 * Options in, a resolved configuration out: every default filled in, and every mistake an
 * `EntraConfigError` thrown at start-up with a message that says how to fix it. Options are read as
 * own properties only.
 */
import { customerTenant, type ResolvedB2C, type ResolvedExternalId } from './authority/customer-options.js';
import type { EntraEventListener } from './events.js';
import { GUID_RE } from './ids.js';
import { type Preload, resolvePreload } from './keys/preload.js';
import { resolveKeyStore } from './keys/store.js';
import {
  boolean,
  checkUrl,
  DOMAIN_RE,
  fail,
  nonEmptyStrings,
  ownProperties,
  positive,
} from './option-checks.js';
import { unknownOption } from './option-hints.js';
import type {
  EntraAllowedTenants,
  EntraCloud,
  EntraJwksOptions,
  EntraKeyStore,
  EntraValidatorOptions,
} from './options.js';

/** Options after checks, with every default filled in. */
export interface ResolvedConfig {
  tenantId: string;
  cloud: EntraCloud;
  authority: string | undefined;
  discoveryUrl: string | undefined;
  audiences: ReadonlySet<string>;
  clientId: string | undefined;
  allowedTenants: EntraAllowedTenants | undefined;
  allowAnyTenant: boolean;
  tokenVersions: ReadonlySet<string>;
  algorithms: ReadonlySet<string>;
  clockToleranceSeconds: number;
  maxTokenAgeSeconds: number | undefined;
  allowGuests: boolean;
  allowedClientIds: ReadonlySet<string> | undefined;
  requireScopeOrRole: boolean;
  maxTokenLength: number;
  jwks: JwksLimits;
  clock: () => number;
  tokenCacheMax: number;
  /** `undefined`: the runtime's own transport. */
  fetch: ((input: string, init?: RequestInit) => Promise<Response>) | undefined;
  onEvent: EntraEventListener | undefined;
  // Sharing keys between processes
  /** The `keyStore`, its methods captured. */
  keyStore: EntraKeyStore | undefined;
  /** `jwks.preload`, parsed (at least one usable key). */
  jwksPreload: Preload | undefined;
  /** Azure AD B2C instead of a workforce tenant (then `tenantId` is `b2c.tenantId`). */
  b2c: ResolvedB2C | undefined;
  /** Entra External ID instead of a workforce tenant (then `tenantId` is `externalId.tenantId`). */
  externalId: ResolvedExternalId | undefined;
}

/** The numeric `jwks` options, defaults filled in. */
export type JwksLimits = Required<Omit<EntraJwksOptions, 'preload'>>;

export const DEFAULT_JWKS: Readonly<JwksLimits> = Object.freeze({
  refreshIntervalSeconds: 3600,
  cooldownSeconds: 30,
  maxStaleSeconds: 86400,
  timeoutMs: 5000,
  maxResponseBytes: 1048576,
});

export const DEFAULT_TOKEN_CACHE_MAX = 5000;

const KNOWN_OPTIONS = new Set([
  'tenantId',
  'audience',
  'clientId',
  'cloud',
  'authority',
  'discoveryUrl',
  'allowedTenants',
  'allowAnyTenant',
  'tokenVersions',
  'algorithms',
  'clockToleranceSeconds',
  'maxTokenAgeSeconds',
  'allowGuests',
  'allowedClientIds',
  'requireScopeOrRole',
  'maxTokenLength',
  'jwks',
  'clock',
  'tokenCache',
  'fetch',
  'onEvent',
  'keyStore',
  'b2c',
  'externalId',
]);
const JWKS_KEYS = [...Object.keys(DEFAULT_JWKS), 'preload'];
const MULTI_TENANT = new Set(['common', 'organizations']);
const TENANT_ALIASES = new Set(['common', 'organizations', 'consumers']);

/** `v2.0` or `oauth2/v2.0` after the tenant, as MSAL-style authorities sometimes carry. */
const VERSION_TAIL = /\/(oauth2\/)?v2\.0$/i;

/**
 * An MSAL-style authority names the tenant too (`https://login.microsoftonline.com/contoso.onmicrosoft.com`):
 * when its last path segment is the configured tenant, the base is used (never the tenant twice in
 * the URL); when it names another tenant, that is a mistake whose fix is shown.
 */
function withoutTenant(authority: string, tenantId: string): string {
  const url = new URL(authority);
  const path = url.pathname.replace(VERSION_TAIL, '');
  const last = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const base = `${url.origin}${path.slice(0, path.lastIndexOf('/'))}`;
  if (last === tenantId) return base;
  if (GUID_RE.test(last) || DOMAIN_RE.test(last) || TENANT_ALIASES.has(last)) {
    fail(
      `authority names a tenant ('${last.slice(0, 60)}') but tenantId is '${tenantId}': give the authority without a tenant, e.g. authority: '${base}', and the tenant as tenantId`,
    );
  }
  if (path !== url.pathname) {
    fail(`authority must be the base URL without a version: use authority: '${url.origin}${path}'`);
  }
  return authority;
}

/** Checks options and fills in defaults. Throws `EntraConfigError` on any mistake. */
export function resolveConfig(input: EntraValidatorOptions): ResolvedConfig {
  if (typeof input !== 'object' || input === null) {
    fail(
      "createEntraValidator needs an options object, for example { tenantId: '<tenant guid>', clientId: '<api client id>' }",
    );
  }
  const options = ownProperties(input) as EntraValidatorOptions & Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) fail(unknownOption(key, KNOWN_OPTIONS));
  }

  // Tenant: a workforce tenant, or Azure AD B2C / Entra External ID instead
  const customers = customerTenant(options);
  let tenantId: string;
  if (customers !== undefined) {
    tenantId = (customers.b2c ?? customers.externalId)?.tenantId as string;
  } else {
    if (typeof options.tenantId !== 'string' || options.tenantId.trim() === '') {
      fail(
        "tenantId is required: the tenant GUID, a verified domain (contoso.onmicrosoft.com), or 'common' / 'organizations' / 'consumers' (for Azure AD B2C or Entra External ID, set b2c or externalId instead)",
      );
    }
    tenantId = options.tenantId.trim().toLowerCase();
    if (
      !GUID_RE.test(tenantId) &&
      !DOMAIN_RE.test(tenantId) &&
      !['common', 'organizations', 'consumers'].includes(tenantId)
    ) {
      fail(
        "tenantId must be a tenant GUID, a verified domain such as contoso.onmicrosoft.com, or 'common' / 'organizations' / 'consumers' (find the GUID under Microsoft Entra ID > Overview > Tenant ID)",
      );
    }
  }
  const multiTenant = customers === undefined && MULTI_TENANT.has(tenantId);

  // Audience
  let clientId: string | undefined;
  if (options.clientId !== undefined) {
    if (typeof options.clientId !== 'string' || !GUID_RE.test(options.clientId.trim())) {
      fail(
        "clientId must be the API's application (client) ID, a GUID; put an App ID URI such as api://my-api in audience instead",
      );
    }
    clientId = options.clientId.trim().toLowerCase();
  }
  let audiences: string[];
  if (options.audience !== undefined) {
    audiences = nonEmptyStrings(
      'audience',
      options.audience,
      "set the API's App ID URI or client ID, e.g. 'api://<client id>'",
    );
  } else if (clientId !== undefined) {
    audiences = [clientId, `api://${clientId}`];
  } else {
    fail(
      "Set audience (the API's App ID URI or client ID, e.g. 'api://<client id>') or clientId: without one, tokens issued for any other application would be accepted",
    );
  }

  // Authority
  const cloud = options.cloud ?? 'public';
  if (cloud !== 'public' && cloud !== 'usgov' && cloud !== 'china')
    fail("cloud must be 'public', 'usgov' or 'china'");
  let authority: string | undefined;
  if (options.authority !== undefined) {
    const url = checkUrl('authority', options.authority, 'https://login.microsoftonline.com');
    if (url.search)
      fail(
        'authority must not contain a query string: give the base URL, e.g. https://login.microsoftonline.com',
      );
    authority = withoutTenant(url.href.replace(/\/+$/, ''), tenantId);
  }
  let discoveryUrl: string | undefined;
  if (options.discoveryUrl !== undefined) {
    discoveryUrl = checkUrl(
      'discoveryUrl',
      options.discoveryUrl,
      'https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_signin/v2.0/.well-known/openid-configuration',
    ).href;
  }

  // Tenants
  const allowAnyTenant = boolean('allowAnyTenant', options.allowAnyTenant, false);
  let allowedTenants: EntraAllowedTenants | undefined;
  if (options.allowedTenants !== undefined) {
    if (typeof options.allowedTenants === 'function') {
      allowedTenants = options.allowedTenants;
    } else {
      const list = nonEmptyStrings(
        'allowedTenants',
        options.allowedTenants,
        'list the tenant GUIDs to accept, or set allowAnyTenant: true to accept every tenant',
      );
      for (const t of list) {
        if (!GUID_RE.test(t.trim()))
          fail('allowedTenants must contain tenant GUIDs (the tid claim), not domains or names');
      }
      allowedTenants = Object.freeze(list.map((t) => t.trim().toLowerCase()));
    }
  }
  if (multiTenant) {
    if (allowedTenants === undefined && !allowAnyTenant) {
      fail(
        `tenantId '${tenantId}' accepts tokens from other tenants: set allowedTenants (tenant GUIDs or a function) to choose which, or allowAnyTenant: true to accept every tenant`,
      );
    }
    if (allowedTenants !== undefined && allowAnyTenant) {
      fail('Set either allowedTenants or allowAnyTenant, not both');
    }
  } else if (!discoveryUrl && (allowedTenants !== undefined || allowAnyTenant)) {
    fail(
      `allowedTenants and allowAnyTenant apply to multi-tenant APIs only: tenantId '${tenantId}' already accepts a single tenant. Remove them, or set tenantId to 'organizations' or 'common'`,
    );
  }

  // Token rules
  let tokenVersions: Set<string> = new Set(['1.0', '2.0']);
  if (options.tokenVersions !== undefined) {
    const list = nonEmptyStrings(
      'tokenVersions',
      options.tokenVersions,
      "use ['2.0'], ['1.0'] or ['1.0', '2.0']",
    );
    for (const v of list)
      if (v !== '1.0' && v !== '2.0') fail("tokenVersions may contain only '1.0' and '2.0'");
    tokenVersions = new Set(list);
  }
  if (customers?.b2c !== undefined && !tokenVersions.has('1.0')) {
    fail('tokenVersions must include \'1.0\' for Azure AD B2C: every B2C token says ver "1.0"');
  }
  if (customers?.externalId !== undefined && !tokenVersions.has('2.0')) {
    fail("tokenVersions must include '2.0' for Entra External ID: its tenants issue v2.0 tokens only");
  }
  let algorithms: Set<string> = new Set(['RS256']);
  if (options.algorithms !== undefined) {
    const list = nonEmptyStrings('algorithms', options.algorithms, "Entra signs with RS256: use ['RS256']");
    for (const a of list)
      if (a !== 'RS256' && a !== 'RS384' && a !== 'RS512')
        fail("algorithms may contain only 'RS256', 'RS384' and 'RS512'");
    algorithms = new Set(list);
  }
  const clockToleranceSeconds = positive('clockToleranceSeconds', options.clockToleranceSeconds, 300, true);
  const maxTokenAgeSeconds =
    options.maxTokenAgeSeconds === undefined
      ? undefined
      : positive('maxTokenAgeSeconds', options.maxTokenAgeSeconds, 0);
  const allowGuests = boolean('allowGuests', options.allowGuests, true);
  const requireScopeOrRole = boolean('requireScopeOrRole', options.requireScopeOrRole, true);
  let allowedClientIds: Set<string> | undefined;
  if (options.allowedClientIds !== undefined) {
    const list = nonEmptyStrings(
      'allowedClientIds',
      options.allowedClientIds,
      'list the client application IDs (azp / appid) to accept',
    );
    allowedClientIds = new Set(list.map((c) => c.trim().toLowerCase()));
  }
  const maxTokenLength = positive('maxTokenLength', options.maxTokenLength, 16384);
  if (!Number.isInteger(maxTokenLength) || maxTokenLength < 256)
    fail('maxTokenLength must be an integer of at least 256');

  // Keys
  if (options.jwks !== undefined && (typeof options.jwks !== 'object' || options.jwks === null)) {
    fail('jwks must be an object, e.g. { refreshIntervalSeconds: 3600 }');
  }
  const jwksIn = ownProperties(options.jwks ?? {});
  for (const key of Object.keys(jwksIn)) {
    if (!JWKS_KEYS.includes(key)) fail(`jwks: ${unknownOption(key, JWKS_KEYS)}`);
  }
  const jwks: JwksLimits = {
    refreshIntervalSeconds: positive(
      'jwks.refreshIntervalSeconds',
      jwksIn.refreshIntervalSeconds,
      DEFAULT_JWKS.refreshIntervalSeconds,
    ),
    cooldownSeconds: positive(
      'jwks.cooldownSeconds',
      jwksIn.cooldownSeconds,
      DEFAULT_JWKS.cooldownSeconds,
      true,
    ),
    maxStaleSeconds: positive(
      'jwks.maxStaleSeconds',
      jwksIn.maxStaleSeconds,
      DEFAULT_JWKS.maxStaleSeconds,
      true,
    ),
    timeoutMs: positive('jwks.timeoutMs', jwksIn.timeoutMs, DEFAULT_JWKS.timeoutMs),
    maxResponseBytes: positive(
      'jwks.maxResponseBytes',
      jwksIn.maxResponseBytes,
      DEFAULT_JWKS.maxResponseBytes,
    ),
  };

  // Plumbing
  if (options.clock !== undefined && typeof options.clock !== 'function')
    fail('clock must be a function returning milliseconds, like Date.now');
  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    fail('fetch must be a function compatible with the global fetch');
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function')
    fail('onEvent must be a function');
  if (options.fetch === undefined && typeof globalThis.fetch !== 'function')
    fail('This runtime has no global fetch: pass the fetch option');
  let tokenCacheMax = DEFAULT_TOKEN_CACHE_MAX;
  if (options.tokenCache === false) tokenCacheMax = 0;
  else if (options.tokenCache !== undefined) {
    if (typeof options.tokenCache !== 'object' || options.tokenCache === null)
      fail('tokenCache must be { max } or false');
    tokenCacheMax = positive(
      'tokenCache.max',
      ownProperties(options.tokenCache).max,
      DEFAULT_TOKEN_CACHE_MAX,
    );
    if (!Number.isInteger(tokenCacheMax)) fail('tokenCache.max must be a whole number');
  }

  return {
    tenantId,
    cloud,
    authority,
    discoveryUrl,
    audiences: new Set(audiences.map((a) => (GUID_RE.test(a.trim()) ? a.trim().toLowerCase() : a.trim()))),
    clientId,
    allowedTenants,
    allowAnyTenant,
    tokenVersions,
    algorithms,
    clockToleranceSeconds,
    maxTokenAgeSeconds,
    allowGuests,
    allowedClientIds,
    requireScopeOrRole,
    maxTokenLength,
    jwks,
    clock: options.clock ?? Date.now,
    tokenCacheMax,
    fetch: options.fetch,
    onEvent: options.onEvent,
    keyStore: resolveKeyStore(options.keyStore),
    jwksPreload: resolvePreload(jwksIn.preload, algorithms),
    b2c: customers?.b2c,
    externalId: customers?.externalId,
  };
}
