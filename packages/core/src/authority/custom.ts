/** A custom `discoveryUrl` (B2C, External ID, a custom domain): its issuer is trusted as announced. */
import { isTrustedUrlString } from '../urls.js';
import { type AuthorityPlan, type IssuerRule, TENANT_TEMPLATE } from './plan.js';

export function customPlan(discoveryUrl: string): AuthorityPlan {
  const v1 = discoveryUrl.includes('/v2.0/.well-known/openid-configuration')
    ? discoveryUrl.replace('/v2.0/.well-known/openid-configuration', '/.well-known/openid-configuration')
    : undefined;
  const check = (issuer: string): IssuerRule | string =>
    isTrustedUrlString(issuer)
      ? { issuer, template: issuer.includes(TENANT_TEMPLATE) }
      : 'the issuer is not an https URL';
  return {
    v2DiscoveryUrl: discoveryUrl,
    v1DiscoveryUrl: v1,
    authority: undefined,
    multiTenant: false,
    excludeConsumers: false,
    challengeUri: undefined,
    checkV2Issuer: check,
    checkV1Issuer: (issuer) => check(issuer),
  };
}
