/**
 * `b2c` and `externalId`: Azure AD B2C and Entra External ID tenants instead of a workforce
 * `tenantId`, checked at start-up with the fix for each mistake.
 */
import { GUID_RE } from '../ids.js';
import { DOMAIN_RE, fail, ownProperties } from '../option-checks.js';
import { unknownOption } from '../option-hints.js';
import { isLoopbackHost, isTrustedUrl } from '../urls.js';

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

const B2C_KEYS = ['domain', 'tenantId', 'policies'];
const EXTERNAL_ID_KEYS = ['tenantId', 'domain'];
const WORKFORCE_ONLY = ['tenantId', 'cloud', 'authority', 'discoveryUrl', 'allowedTenants', 'allowAnyTenant'];
const B2C_EXAMPLE =
  "{ domain: 'contoso.b2clogin.com', tenantId: 'contoso.onmicrosoft.com', policies: ['B2C_1_signupsignin'] }";
const EXTERNAL_ID_EXAMPLE = "{ tenantId: '<external tenant GUID>', domain: 'contoso.ciamlogin.com' }";
/** User flows are `B2C_1_<name>`, custom policies `B2C_1A_<name>`. */
export const B2C_POLICY_RE = /^b2c_1a?_[a-z0-9_.-]{1,200}$/i;
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

/** The sign-in hosts of workforce tenants, which serve neither B2C nor External ID. */
function isWorkforceSignInHost(host: string): boolean {
  return (
    host.startsWith('login.microsoftonline.') ||
    host === 'login.microsoft.com' ||
    host === 'login.windows.net'
  );
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
  if (isWorkforceSignInHost(host)) {
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
    if (typeof policy !== 'string' || !B2C_POLICY_RE.test(policy.trim())) {
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
  if (isWorkforceSignInHost(host)) {
    fail(
      'externalId.domain is a workforce sign-in host: External ID tenants are served on {tenant}.ciamlogin.com or a custom URL domain; leave domain out to use {tenantId}.ciamlogin.com',
    );
  }
  return Object.freeze({ origin, tenantId });
}

/** `b2c` or `externalId`, checked, when one is given instead of a workforce `tenantId`. */
export function customerTenant(
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
