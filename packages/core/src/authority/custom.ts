/** A custom `discoveryUrl` (a custom domain, an OpenID provider in front of Entra): its issuer is trusted as announced. */
import { isTrustedUrlString } from '../urls.js';
import {
  type AuthorityPlan,
  type IssuerRule,
  singleDocument,
  TENANT_TEMPLATE,
  WORKFORCE_RULES,
} from './plan.js';

export function customPlan(discoveryUrl: string): AuthorityPlan {
  const v1 = discoveryUrl.includes('/v2.0/.well-known/openid-configuration')
    ? discoveryUrl.replace('/v2.0/.well-known/openid-configuration', '/.well-known/openid-configuration')
    : undefined;
  const check = (issuer: string): IssuerRule | string =>
    isTrustedUrlString(issuer)
      ? { issuer, template: issuer.includes(TENANT_TEMPLATE) }
      : 'the issuer is not an https URL';
  return {
    ...singleDocument({
      policy: undefined,
      v2DiscoveryUrl: discoveryUrl,
      v1,
      challengeUri: undefined,
      checkV2Issuer: check,
      checkV1Issuer: (issuer) => check(issuer),
    }),
    authority: undefined,
    multiTenant: false,
    excludeConsumers: false,
    // Only the document will tell which issuer it is.
    issuers: undefined,
    rules: WORKFORCE_RULES,
  };
}
