/**
 * Azure AD B2C: one metadata document per policy (user flow or custom policy), at
 * `{origin}/{tenantId}/{policy}/v2.0/.well-known/openid-configuration`; a token's policy is its
 * `tfp` claim (or `acr`, for older policies), and it is checked against that policy's announced
 * issuer and keys. A policy that is not configured is refused before any request.
 *
 * B2C emits one of two issuer forms, chosen per policy ("Token compatibility settings"):
 * `https://{domain}/{tenant GUID}/v2.0/` (the default) or `https://{domain}/tfp/{tenant GUID}/{policy}/v2.0/`.
 * The policy's document announces the one its tokens carry; that one is accepted, and only it.
 * Source: azure-docs `articles/active-directory-b2c/tokens-overview.md`.
 */

import { EntraAuthError } from '../errors.js';
import { GUID_RE } from '../ids.js';
import type { ClaimSet } from '../token.js';
import type { ResolvedB2C } from './customer-options.js';
import type { AuthorityDocument, AuthorityPlan, TokenRules } from './plan.js';
import { TENANT_TEMPLATE } from './plan.js';
import { issuerPattern } from './trust.js';

const WRONG_ISSUER =
  "the policy's discovery document announces an issuer of another B2C tenant or domain: check b2c.domain and b2c.tenantId";

/** B2C tokens: `sub` is the user's object id, `idp` names a social provider, access tokens may carry a `nonce`. */
export const B2C_RULES: TokenRules = Object.freeze({
  payloadNonceMarksIdToken: false,
  idpMarksGuest: false,
  pairwiseSubject: false,
});

/** The tenant GUID (lower case) of a B2C issuer of either form for `policy`, on `origin`. */
function tenantOfIssuer(issuer: string, origin: string, policy: string): string | undefined {
  if (!issuer.startsWith(`${origin}/`) || !issuer.endsWith('/v2.0/')) return undefined;
  const parts = issuer.slice(origin.length + 1, -'/v2.0/'.length).split('/');
  const guid =
    parts.length === 1
      ? parts[0]
      : parts.length === 3 && parts[0] === 'tfp' && parts[2]?.toLowerCase() === policy.toLowerCase()
        ? parts[1]
        : undefined;
  return guid !== undefined && GUID_RE.test(guid) ? guid.toLowerCase() : undefined;
}

function refuse(message: string): never {
  throw new EntraAuthError('invalid_issuer', { message, check: 'policy' });
}

export function b2cPlan(b2c: ResolvedB2C): AuthorityPlan {
  const { origin, tenantId, policies } = b2c;
  const guid = GUID_RE.test(tenantId) ? tenantId : undefined;
  const document = (policy: string): AuthorityDocument => {
    const base = `${origin}/${tenantId}/${policy}`;
    return {
      policy,
      v2DiscoveryUrl: `${base}/v2.0/.well-known/openid-configuration`,
      // B2C tokens say ver "1.0", and the policy's (v2.0) document describes them.
      v1: 'v2',
      challengeUri: `${base}/oauth2/v2.0/authorize`,
      checkV2Issuer(issuer) {
        const found = tenantOfIssuer(issuer, origin, policy);
        if (found === undefined || (guid !== undefined && found !== guid)) return WRONG_ISSUER;
        return { issuer, template: false, tenant: found, tidOptional: true };
      },
      checkV1Issuer: (_issuer, v2) => v2,
    };
  };
  const documents = policies.map(document) as [AuthorityDocument, ...AuthorityDocument[]];
  const byPolicy = new Map(documents.map((d) => [(d.policy as string).toLowerCase(), d]));
  const segment = guid ?? TENANT_TEMPLATE;
  return {
    documents,
    documentFor(claims: ClaimSet): AuthorityDocument {
      // `tfp` in current policies, `acr` in older ones; compared without case, as B2C does.
      const named = claims.tfp !== undefined ? claims.tfp : claims.acr;
      if (named === undefined) refuse('The access token names no Azure AD B2C policy (no tfp or acr claim)');
      const found = typeof named === 'string' ? byPolicy.get(named.toLowerCase()) : undefined;
      if (found === undefined)
        refuse('The access token comes from an Azure AD B2C policy this API does not accept');
      return found;
    },
    authority: undefined,
    multiTenant: false,
    excludeConsumers: false,
    issuers: [
      `${origin}/${segment}/v2.0/`,
      ...policies.map((policy) => `${origin}/tfp/${segment}/${policy}/v2.0/`),
    ].map(issuerPattern),
    rules: B2C_RULES,
  };
}
