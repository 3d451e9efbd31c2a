/**
 * Where the metadata lives and which issuers a discovery document may announce, for a tenant id,
 * a cloud, an `authority` or a `discoveryUrl`.
 */
import { CONSUMERS_TENANT_ID, GUID_RE } from './guid.js';
import { type EntraCloud, isTrustedUrl, type ResolvedOptions } from './options.js';

/** The Entra authority of each national cloud. */
export const CLOUD_AUTHORITIES: Readonly<Record<EntraCloud, string>> = Object.freeze({
  public: 'https://login.microsoftonline.com',
  usgov: 'https://login.microsoftonline.us',
  china: 'https://login.partner.microsoftonline.cn',
});

/** The placeholder multi-tenant discovery documents put in their issuer. */
export const TENANT_TEMPLATE = '{tenantid}';

/** An issuer the validator trusts: exact, or a template filled with the token's `tid`. */
export interface IssuerRule {
  /** The issuer, or a template containing `{tenantid}`. */
  readonly issuer: string;
  readonly template: boolean;
  /**
   * For a single Entra tenant: its GUID, which the token's `tid` must equal (the principal's
   * `tenantId` comes from `tid`, so it must never disagree with the issuer).
   */
  readonly tenant?: string;
}

/** Where to find metadata, and what it may say. */
export interface AuthorityPlan {
  readonly v2DiscoveryUrl: string;
  /** `undefined` when v1 tokens cannot be served by this authority (e.g. a custom discovery URL without /v2.0/). */
  readonly v1DiscoveryUrl: string | undefined;
  /** The authority base URL (undefined for a custom discovery URL). */
  readonly authority: string | undefined;
  /** The tenant path segment (`common`, a GUID, a domain...). */
  readonly tenant: string;
  /** `common` / `organizations`: the issuer is a template, and tenants are filtered. */
  readonly multiTenant: boolean;
  /** `organizations`: personal Microsoft accounts are refused. */
  readonly excludeConsumers: boolean;
  /** True when `discoveryUrl` was given: the document's issuer is taken as announced. */
  readonly custom: boolean;
  /** Checks a v2 document's issuer; returns the rule, or a reason it is refused. */
  checkV2Issuer(issuer: string): IssuerRule | string;
  /** Checks a v1 document's issuer, given the v2 rule already accepted. */
  checkV1Issuer(issuer: string, v2: IssuerRule): IssuerRule | string;
}

/** Fills a template issuer with a tenant id; `undefined` when the tenant id cannot be used. */
export function issuerFor(rule: IssuerRule, tid: unknown): string | undefined {
  if (!rule.template) return rule.issuer;
  if (typeof tid !== 'string' || !GUID_RE.test(tid)) return undefined;
  return rule.issuer.replace(TENANT_TEMPLATE, () => tid);
}

function trusted(issuer: string): boolean {
  try {
    return isTrustedUrl(new URL(issuer));
  } catch {
    return false;
  }
}

/** The GUID in `.../<guid>/v2.0` or `.../<guid>/`, if the issuer has that form under `prefix`. */
function tenantOf(issuer: string, prefix: string, suffix: string): string | undefined {
  if (!issuer.startsWith(prefix) || !issuer.endsWith(suffix)) return undefined;
  const middle = issuer.slice(prefix.length, issuer.length - suffix.length);
  return GUID_RE.test(middle) ? middle.toLowerCase() : undefined;
}

/** The v1 issuer form: `<https origin>/<tenant or template>/`, on any trusted host (sts.windows.net in the public cloud). */
function checkV1Form(issuer: string, tenant: string): boolean {
  if (!trusted(issuer)) return false;
  // Compared as text: URL parsing would percent-encode the braces of `{tenantid}`.
  return issuer === `${new URL(issuer).origin}/${tenant}/`;
}

export function planAuthority(options: ResolvedOptions): AuthorityPlan {
  if (options.discoveryUrl !== undefined) return customPlan(options.discoveryUrl);
  const authority = options.authority ?? CLOUD_AUTHORITIES[options.cloud];
  const tenant = options.tenantId;
  const multiTenant = tenant === 'common' || tenant === 'organizations';
  const knownGuid = tenant === 'consumers' ? CONSUMERS_TENANT_ID : GUID_RE.test(tenant) ? tenant : undefined;
  const wrongTenant =
    'the discovery document announces an issuer for another tenant or authority: check tenantId, cloud and authority';
  return {
    v2DiscoveryUrl: `${authority}/${tenant}/v2.0/.well-known/openid-configuration`,
    v1DiscoveryUrl: `${authority}/${tenant}/.well-known/openid-configuration`,
    authority,
    tenant,
    multiTenant,
    excludeConsumers: tenant === 'organizations',
    custom: false,
    checkV2Issuer(issuer) {
      if (multiTenant) {
        return issuer === `${authority}/${TENANT_TEMPLATE}/v2.0` ? { issuer, template: true } : wrongTenant;
      }
      const found = tenantOf(issuer, `${authority}/`, '/v2.0');
      if (found === undefined || (knownGuid !== undefined && found !== knownGuid)) return wrongTenant;
      return { issuer: `${authority}/${found}/v2.0`, template: false, tenant: found };
    },
    checkV1Issuer(issuer, v2) {
      const segment = v2.template ? TENANT_TEMPLATE : tenantOf(v2.issuer, `${authority}/`, '/v2.0');
      if (segment === undefined || !checkV1Form(issuer, segment)) return wrongTenant;
      return { issuer, template: v2.template, tenant: v2.tenant };
    },
  };
}

function customPlan(discoveryUrl: string): AuthorityPlan {
  const v1 = discoveryUrl.includes('/v2.0/.well-known/openid-configuration')
    ? discoveryUrl.replace('/v2.0/.well-known/openid-configuration', '/.well-known/openid-configuration')
    : undefined;
  const check = (issuer: string): IssuerRule | string =>
    trusted(issuer)
      ? { issuer, template: issuer.includes(TENANT_TEMPLATE) }
      : 'the issuer is not an https URL';
  return {
    v2DiscoveryUrl: discoveryUrl,
    v1DiscoveryUrl: v1,
    authority: undefined,
    tenant: '',
    multiTenant: false,
    excludeConsumers: false,
    custom: true,
    checkV2Issuer: check,
    checkV1Issuer: (issuer) => check(issuer),
  };
}
