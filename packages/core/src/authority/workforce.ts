/**
 * A workforce tenant (a GUID, a verified domain, or `common` / `organizations` / `consumers`) in a
 * national cloud or at a given `authority`: where its metadata lives and which issuers it may announce.
 */
import type { ResolvedConfig } from '../config.js';
import { CONSUMERS_TENANT_ID, GUID_RE } from '../ids.js';
import { isTrustedUrlString } from '../urls.js';
import { CLOUD_AUTHORITIES } from './clouds.js';
import { type AuthorityPlan, TENANT_TEMPLATE } from './plan.js';

const WRONG_TENANT =
  'the discovery document announces an issuer for another tenant or authority: check tenantId, cloud and authority';

/** The GUID in `<prefix><guid><suffix>`, if the issuer has that form. */
function tenantOf(issuer: string, prefix: string, suffix: string): string | undefined {
  if (!issuer.startsWith(prefix) || !issuer.endsWith(suffix)) return undefined;
  const middle = issuer.slice(prefix.length, issuer.length - suffix.length);
  return GUID_RE.test(middle) ? middle.toLowerCase() : undefined;
}

/** The v1 issuer form: `<https origin>/<tenant or template>/`, on any trusted host (sts.windows.net in the public cloud). */
function isV1Form(issuer: string, tenant: string): boolean {
  if (!isTrustedUrlString(issuer)) return false;
  // Compared as text: URL parsing would percent-encode the braces of `{tenantid}`.
  return issuer === `${new URL(issuer).origin}/${tenant}/`;
}

export function workforcePlan(config: ResolvedConfig): AuthorityPlan {
  const authority = config.authority ?? CLOUD_AUTHORITIES[config.cloud];
  const tenant = config.tenantId;
  const multiTenant = tenant === 'common' || tenant === 'organizations';
  const knownGuid = tenant === 'consumers' ? CONSUMERS_TENANT_ID : GUID_RE.test(tenant) ? tenant : undefined;
  return {
    v2DiscoveryUrl: `${authority}/${tenant}/v2.0/.well-known/openid-configuration`,
    v1DiscoveryUrl: `${authority}/${tenant}/.well-known/openid-configuration`,
    authority,
    multiTenant,
    excludeConsumers: tenant === 'organizations',
    challengeUri: `${authority}/common/oauth2/authorize`,
    checkV2Issuer(issuer) {
      if (multiTenant) {
        return issuer === `${authority}/${TENANT_TEMPLATE}/v2.0` ? { issuer, template: true } : WRONG_TENANT;
      }
      const found = tenantOf(issuer, `${authority}/`, '/v2.0');
      if (found === undefined || (knownGuid !== undefined && found !== knownGuid)) return WRONG_TENANT;
      return { issuer: `${authority}/${found}/v2.0`, template: false, tenant: found };
    },
    checkV1Issuer(issuer, v2) {
      const segment = v2.template ? TENANT_TEMPLATE : tenantOf(v2.issuer, `${authority}/`, '/v2.0');
      if (segment === undefined || !isV1Form(issuer, segment)) return WRONG_TENANT;
      return { issuer, template: v2.template, tenant: v2.tenant };
    },
  };
}
