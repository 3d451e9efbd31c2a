/**
 * Options in, a resolved configuration out: every default filled in, and every mistake an
 * `EntraConfigError` thrown at start-up with a message that says how to fix it. Options are read as
 * own properties only.
 */
import { EntraConfigError } from './errors.js';
import type { EntraEventListener } from './events.js';
import { GUID_RE } from './ids.js';
import { type Preload, resolvePreload } from './keys/preload.js';
import { resolveKeyStore } from './keys/store.js';
import type {
  EntraAllowedTenants,
  EntraCloud,
  EntraJwksOptions,
  EntraKeyStore,
  EntraValidatorOptions,
} from './options.js';
import { isLoopbackHost, isTrustedUrl } from './urls.js';

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

/** `b2c` after checks. */
export interface ResolvedB2C {
  /** `https://{domain}` (or a loopback `http://` origin), without a trailing slash. */
  readonly origin: string;
  /** The GUID or `{name}.onmicrosoft.com`, lower case. */
  readonly tenantId: string;
  /** As configured, without duplicates. */
  readonly policies: readonly [string, ...string[]];
}

/** `externalId` after checks. */
export interface ResolvedExternalId {
  /** `https://{domain}` (default `https://{tenantId}.ciamlogin.com`), or a loopback `http://` origin. */
  readonly origin: string;
  /** The tenant GUID, lower case. */
  readonly tenantId: string;
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
const DOMAIN_RE = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function fail(message: string): never {
  throw new EntraConfigError(message);
}

function checkUrl(name: string, value: unknown, example: string): URL {
  if (typeof value !== 'string' || value === '') fail(`${name} must be a URL string, for example ${example}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(`${name} is not a valid URL: use an absolute URL such as ${example}`);
  }
  if (!isTrustedUrl(url)) {
    fail(
      `${name} must use https: (http: is accepted only for loopback hosts such as 127.0.0.1, for tests); got a ${url.protocol} URL on a non-loopback host`,
    );
  }
  if (url.username || url.password || url.hash) fail(`${name} must not contain credentials or a #fragment`);
  return url;
}

function positive(name: string, value: unknown, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    fail(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} finite number`);
  }
  return value;
}

function boolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(`${name} must be true or false`);
  return value;
}

function nonEmptyStrings(name: string, value: unknown, hint: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) fail(`${name} must not be empty: ${hint}`);
  for (const item of list) {
    if (typeof item !== 'string' || item.trim() === '')
      fail(`${name} must contain only non-empty strings: ${hint}`);
  }
  return list as string[];
}

/**
 * The own enumerable properties of an options object, on an object with no prototype: a polluted
 * `Object.prototype` (`Object.prototype.authority = ...`) must configure nothing.
 */
export function ownProperties(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) out[key] = (value as Record<string, unknown>)[key];
  return out;
}

/**
 * Options of other libraries (passport-azure-ad, express-oauth2-jwt-bearer, jose, MSAL) that people
 * bring along, and what to use here instead.
 */
const OTHER_LIBRARIES: Readonly<Record<string, string>> = {
  tenantid: 'tenantId',
  clientid: 'clientId',
  audiences: 'audience',
  identitymetadata:
    'tenantId (discovery is derived from it) — or discoveryUrl for a custom metadata document',
  validateissuer: 'tenantId: the issuer is always validated; for several tenants, allowedTenants',
  issuer: 'tenantId (the issuer is read from the discovery document) — or discoveryUrl',
  issuerbaseurl: 'authority (the base URL) and tenantId',
  jwksuri: 'tenantId or discoveryUrl: the key set is taken from the discovery document',
  jwksurl: 'tenantId or discoveryUrl: the key set is taken from the discovery document',
  clockskew: 'clockToleranceSeconds',
  clocktolerance: 'clockToleranceSeconds',
  maxtokenage: 'maxTokenAgeSeconds',
  tokensigningalg: 'algorithms',
  algorithm: 'algorithms',
  policyname: 'b2c.policies (Azure AD B2C)',
  policies: 'b2c.policies (Azure AD B2C)',
  policy: 'b2c.policies (Azure AD B2C)',
  knownauthorities: 'authority',
  cloudinstance: 'cloud',
  azurecloudinstance: 'cloud',
  instance: 'authority',
  loggingnopii: 'onEvent (events never carry a token or a claim value)',
  logginglevel: 'onEvent',
  timeoutduration: 'jwks.timeoutMs',
  cachemaxage: 'jwks.refreshIntervalSeconds',
  cooldownduration: 'jwks.cooldownSeconds',
  passreqtocallback: 'nothing: adapters put the principal on the request',
  scope: 'requireScopes() on the route (scopes are checked per route, not per validator)',
  scopes: 'requireScopes() on the route (scopes are checked per route, not per validator)',
  allowmultiaudiencesintoken: 'audience (a list)',
};

/** A few edits apart (transposed, missing or extra letters): likely a typo of a known option. */
function closeTo(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2) return false;
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return (row[b.length] as number) <= 2;
}

/** The message for an unknown option: "did you mean" when it is another library's name or a typo of ours. */
export function unknownOption(key: string, known: Iterable<string> = KNOWN_OPTIONS): string {
  const shown = key.slice(0, 40);
  const lower = key.toLowerCase();
  const list = [...known];
  const ours =
    list.find((k) => k.toLowerCase() === lower) ?? list.find((k) => closeTo(lower, k.toLowerCase()));
  const hint = ours === undefined ? OTHER_LIBRARIES[lower] : `'${ours}'`;
  return hint === undefined
    ? `Unknown option '${shown}'. Known options: ${list.join(', ')}`
    : `Unknown option '${shown}': did you mean ${hint}? Known options: ${list.join(', ')}`;
}

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

// Azure AD B2C and Entra External ID: `b2c` / `externalId` instead of `tenantId`.

const B2C_KEYS = ['domain', 'tenantId', 'policies'];
const EXTERNAL_ID_KEYS = ['tenantId', 'domain'];
const WORKFORCE_ONLY = ['tenantId', 'cloud', 'authority', 'discoveryUrl', 'allowedTenants', 'allowAnyTenant'];
const B2C_EXAMPLE =
  "{ domain: 'contoso.b2clogin.com', tenantId: 'contoso.onmicrosoft.com', policies: ['B2C_1_signupsignin'] }";
const EXTERNAL_ID_EXAMPLE = "{ tenantId: '<external tenant GUID>', domain: 'contoso.ciamlogin.com' }";
/** User flows are `B2C_1_<name>`, custom policies `B2C_1A_<name>`. */
const POLICY_RE = /^b2c_1a?_[a-z0-9_.-]{1,200}$/i;
const COMBINE_HINT =
  'to accept tokens of several authorities, create a validator for each and combine them with combineValidators([...])';

/**
 * A host given alone (`contoso.b2clogin.com`, https) or as an origin; for tests a loopback origin
 * (`http://127.0.0.1:8080`). Returns the origin; a path, query or credentials are mistakes.
 */
function hostOrigin(name: string, value: unknown, example: string, pathHint: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    fail(`${name} is required: the host, for example '${example}'`);
  const text = value.trim().replace(/\/+$/, '');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url: URL;
  try {
    url = new URL(withScheme ? text : `https://${text}`);
  } catch {
    fail(`${name} is not a host name: give the host alone, for example '${example}'`);
  }
  if (
    url.pathname !== '/' ||
    url.search ||
    url.hash ||
    url.username ||
    url.password ||
    /[/?#@]/.test(withScheme ? '' : text)
  ) {
    fail(`${name} must be a host without a path, for example '${example}': ${pathHint}`);
  }
  if (!isTrustedUrl(url)) {
    fail(
      `${name} must be an https host (http: only for a loopback origin such as http://127.0.0.1:8080, in tests)`,
    );
  }
  if (!isLoopbackHost(url.hostname) && !DOMAIN_RE.test(url.hostname)) {
    fail(`${name} must be a host name such as '${example}' (or a loopback origin, in tests)`);
  }
  return url.origin;
}

function objectOption(
  name: string,
  value: unknown,
  keys: readonly string[],
  example: string,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(`${name} must be an object: ${example}`);
  const own = ownProperties(value);
  for (const key of Object.keys(own)) if (!keys.includes(key)) fail(`${name}: ${unknownOption(key, keys)}`);
  return own;
}

function resolveB2C(value: unknown): ResolvedB2C {
  const b2c = objectOption('b2c', value, B2C_KEYS, B2C_EXAMPLE);
  const origin = hostOrigin(
    'b2c.domain',
    b2c.domain,
    'contoso.b2clogin.com',
    'the tenant goes in b2c.tenantId and the policy in b2c.policies',
  );
  const host = new URL(origin).hostname;
  if (host.endsWith('.onmicrosoft.com')) {
    fail(
      "b2c.domain is the host users sign in on (contoso.b2clogin.com or a custom domain), not the tenant's onmicrosoft.com name: give that as b2c.tenantId",
    );
  }
  if (host.endsWith('.ciamlogin.com')) {
    fail(
      'b2c.domain is an Entra External ID host (ciamlogin.com): for an External ID tenant, use externalId: { tenantId, domain } instead of b2c',
    );
  }
  if (
    host.startsWith('login.microsoftonline.') ||
    host === 'login.microsoft.com' ||
    host === 'login.windows.net'
  ) {
    fail(
      "b2c.domain is a workforce sign-in host: Azure AD B2C tokens come from {name}.b2clogin.com (or a custom domain), e.g. 'contoso.b2clogin.com'",
    );
  }
  if (typeof b2c.tenantId !== 'string' || b2c.tenantId.trim() === '') {
    fail("b2c.tenantId is required: the B2C tenant's GUID or its name, e.g. 'contoso.onmicrosoft.com'");
  }
  const tenantId = b2c.tenantId.trim().toLowerCase();
  if (tenantId.endsWith('.b2clogin.com')) {
    fail(
      "b2c.tenantId is the tenant GUID or 'contoso.onmicrosoft.com'; 'contoso.b2clogin.com' is b2c.domain",
    );
  }
  if (!GUID_RE.test(tenantId) && !DOMAIN_RE.test(tenantId)) {
    fail("b2c.tenantId must be the B2C tenant's GUID or its domain, e.g. 'contoso.onmicrosoft.com'");
  }
  const list = b2c.policies;
  if (!Array.isArray(list) || list.length === 0) {
    fail(
      "b2c.policies must list the policies whose tokens are accepted, e.g. ['B2C_1_signupsignin']: without one, no token could be checked",
    );
  }
  const policies: string[] = [];
  for (const policy of list) {
    if (typeof policy !== 'string' || !POLICY_RE.test(policy.trim())) {
      fail(
        "b2c.policies must contain policy ids as B2C names them: 'B2C_1_<name>' for a user flow, 'B2C_1A_<name>' for a custom policy",
      );
    }
    const trimmed = policy.trim();
    if (!policies.some((p) => p.toLowerCase() === trimmed.toLowerCase())) policies.push(trimmed);
  }
  return Object.freeze({
    origin,
    tenantId,
    policies: Object.freeze(policies) as unknown as [string, ...string[]],
  });
}

function resolveExternalId(value: unknown): ResolvedExternalId {
  const externalId = objectOption('externalId', value, EXTERNAL_ID_KEYS, EXTERNAL_ID_EXAMPLE);
  const tenantId = typeof externalId.tenantId === 'string' ? externalId.tenantId.trim().toLowerCase() : '';
  if (!GUID_RE.test(tenantId)) {
    fail(
      "externalId.tenantId must be the external tenant's GUID (Microsoft Entra admin center > Overview > Tenant ID): its tokens' issuer is https://{tenantId}.ciamlogin.com/{tenantId}/v2.0, which names the GUID",
    );
  }
  const origin =
    externalId.domain === undefined
      ? `https://${tenantId}.ciamlogin.com`
      : hostOrigin(
          'externalId.domain',
          externalId.domain,
          'contoso.ciamlogin.com',
          'the tenant goes in externalId.tenantId',
        );
  const host = new URL(origin).hostname;
  if (host.endsWith('.b2clogin.com')) {
    fail(
      'externalId.domain is an Azure AD B2C host (b2clogin.com): for a B2C tenant, use b2c: { domain, tenantId, policies } instead of externalId',
    );
  }
  if (
    host.startsWith('login.microsoftonline.') ||
    host === 'login.microsoft.com' ||
    host === 'login.windows.net'
  ) {
    fail(
      'externalId.domain is a workforce sign-in host: External ID tenants are served on {tenant}.ciamlogin.com or a custom URL domain; leave domain out to use {tenantId}.ciamlogin.com',
    );
  }
  return Object.freeze({ origin, tenantId });
}

/** `b2c` or `externalId`, checked, when one is given instead of a workforce `tenantId`. */
function customerTenant(
  options: Record<string, unknown>,
): { b2c: ResolvedB2C | undefined; externalId: ResolvedExternalId | undefined } | undefined {
  const { b2c, externalId } = options;
  if (b2c === undefined && externalId === undefined) return undefined;
  if (b2c !== undefined && externalId !== undefined) {
    fail(`Set b2c or externalId, not both: a validator trusts one authority; ${COMBINE_HINT}`);
  }
  const name = b2c !== undefined ? 'b2c' : 'externalId';
  const label = b2c !== undefined ? 'an Azure AD B2C' : 'an Entra External ID';
  for (const key of WORKFORCE_ONLY) {
    if (options[key] === undefined) continue;
    if (key === 'tenantId') {
      fail(
        `Give the tenant inside ${name} (${name}.tenantId), not as tenantId: tenantId names a workforce tenant; ${COMBINE_HINT}`,
      );
    }
    if (key === 'discoveryUrl') {
      fail(
        `discoveryUrl and ${name} both say where metadata is: remove discoveryUrl, ${name} builds the metadata URL`,
      );
    }
    if (key === 'cloud' || key === 'authority') {
      fail(`${key} applies to workforce tenants: ${label} validator takes its host from ${name}.domain`);
    }
    fail(`${key} applies to multi-tenant workforce APIs: ${label} validator accepts its one tenant`);
  }
  return b2c !== undefined
    ? { b2c: resolveB2C(b2c), externalId: undefined }
    : { b2c: undefined, externalId: resolveExternalId(externalId) };
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
    if (!KNOWN_OPTIONS.has(key)) fail(unknownOption(key));
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
