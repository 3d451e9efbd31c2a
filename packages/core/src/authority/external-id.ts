/**
 * Microsoft Entra External ID (an external, "customer" tenant; formerly Azure AD for customers, CIAM):
 * metadata at `{origin}/{tenantId}/v2.0/.well-known/openid-configuration`, where the origin is
 * `https://{tenantId}.ciamlogin.com` by default, `https://{name}.ciamlogin.com` or a custom URL
 * domain. Whichever host served it, the document announces the issuer
 * `https://{tenantId}.ciamlogin.com/{tenantId}/v2.0` (entra-docs `security-tokens.md`), so the
 * issuer is known from the configuration alone. Only v2.0 endpoints exist for these tenants.
 */
import type { ResolvedExternalId } from './customer-options.js';
import { type AuthorityPlan, singleDocument, type TokenRules } from './plan.js';
import { issuerPattern } from './trust.js';

/** Entra tokens, except that `idp` names the social or federated provider a customer signed in with. */
export const EXTERNAL_ID_RULES: TokenRules = Object.freeze({
  payloadNonceMarksIdToken: true,
  idpMarksGuest: false,
  pairwiseSubject: true,
});

/** The issuer of an external tenant's tokens. */
export function externalIdIssuer(tenantId: string): string {
  return `https://${tenantId}.ciamlogin.com/${tenantId}/v2.0`;
}

export function externalIdPlan(externalId: ResolvedExternalId): AuthorityPlan {
  const { origin, tenantId } = externalId;
  const expected = externalIdIssuer(tenantId);
  return {
    ...singleDocument({
      policy: undefined,
      v2DiscoveryUrl: `${origin}/${tenantId}/v2.0/.well-known/openid-configuration`,
      v1: undefined,
      challengeUri: `${origin}/${tenantId}/oauth2/v2.0/authorize`,
      checkV2Issuer: (issuer) =>
        issuer.toLowerCase() === expected
          ? {
              issuer,
              template: false,
              tenant: tenantId,
              keyIssuers: [`https://login.microsoftonline.com/${tenantId}/v2.0`],
            }
          : `the discovery document announces an issuer other than ${expected}: check externalId.tenantId and externalId.domain`,
      checkV1Issuer: (_issuer, v2) => v2,
    }),
    authority: undefined,
    multiTenant: false,
    excludeConsumers: false,
    issuers: [issuerPattern(expected)],
    rules: EXTERNAL_ID_RULES,
  };
}
