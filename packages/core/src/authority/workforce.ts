/**
 * A workforce tenant (a GUID, a verified domain, or `common` / `organizations` / `consumers`) in a
 * national cloud or at a given `authority`: where its metadata lives and which issuers it may announce.
 *
 * The documents are fetched from the authority; the issuers they announce may be on another host of
 * the same cloud (China: documents on `login.chinacloudapi.cn`, issuer on
 * `login.partner.microsoftonline.cn`), and v1.0 issuers always are (`sts.windows.net`,
 * `sts.chinacloudapi.cn`). Only the cloud's own hosts are accepted.
 */
import type { ResolvedConfig } from '../config.js';
import { CONSUMERS_TENANT_ID, GUID_RE } from '../ids.js';
import { CLOUDS, cloudOfOrigin } from './clouds.js';
import { type AuthorityPlan, singleDocument, TENANT_TEMPLATE, WORKFORCE_RULES } from './plan.js';
import { issuerPattern } from './trust.js';

const WRONG_TENANT =
  'the discovery document announces an issuer for another tenant or authority: check tenantId, cloud and authority';

/** The GUID in `<prefix><guid><suffix>`, if the issuer has that form. */
function tenantOf(issuer: string, prefix: string, suffix: string): string | undefined {
  if (!issuer.startsWith(prefix) || !issuer.endsWith(suffix)) return undefined;
  const middle = issuer.slice(prefix.length, issuer.length - suffix.length);
  return GUID_RE.test(middle) ? middle.toLowerCase() : undefined;
}

export function workforcePlan(config: ResolvedConfig): AuthorityPlan {
  const authority = config.authority ?? CLOUDS[config.cloud].authority;
  const origin = new URL(authority).origin;
  // An authority of a known cloud (or one of its aliases) speaks with that cloud's issuers; any
  // other authority (a proxy, a test issuer) announces v2.0 issuers on itself, v1.0 ones on the
  // configured cloud's v1 host.
  const known = authority === origin ? cloudOfOrigin(origin) : undefined;
  const cloud = known ?? CLOUDS[config.cloud];
  const v2Bases = [...new Set([authority, ...(known?.v2IssuerOrigins ?? [])])];
  const v1Base = cloud.v1IssuerOrigin;

  const tenant = config.tenantId;
  const multiTenant = tenant === 'common' || tenant === 'organizations';
  const knownGuid = tenant === 'consumers' ? CONSUMERS_TENANT_ID : GUID_RE.test(tenant) ? tenant : undefined;
  // Before any request, a tenant named by its domain could be any GUID.
  const segment = knownGuid ?? TENANT_TEMPLATE;
  return {
    ...singleDocument({
      policy: undefined,
      v2DiscoveryUrl: `${authority}/${tenant}/v2.0/.well-known/openid-configuration`,
      v1: `${authority}/${tenant}/.well-known/openid-configuration`,
      challengeUri: `${authority}/common/oauth2/authorize`,
      checkV2Issuer(issuer) {
        for (const base of v2Bases) {
          if (multiTenant) {
            if (issuer === `${base}/${TENANT_TEMPLATE}/v2.0`) return { issuer, template: true };
            continue;
          }
          const found = tenantOf(issuer, `${base}/`, '/v2.0');
          if (found !== undefined && (knownGuid === undefined || found === knownGuid)) {
            return { issuer: `${base}/${found}/v2.0`, template: false, tenant: found };
          }
        }
        return WRONG_TENANT;
      },
      checkV1Issuer(issuer, v2) {
        // Compared as text: URL parsing would percent-encode the braces of `{tenantid}`.
        const expected = `${v1Base}/${v2.template ? TENANT_TEMPLATE : v2.tenant}/`;
        if (issuer !== expected) return WRONG_TENANT;
        return { issuer, template: v2.template, tenant: v2.tenant };
      },
    }),
    authority,
    multiTenant,
    excludeConsumers: tenant === 'organizations',
    issuers: [...v2Bases.map((base) => `${base}/${segment}/v2.0`), `${v1Base}/${segment}/`].map(
      issuerPattern,
    ),
    rules: WORKFORCE_RULES,
  };
}
