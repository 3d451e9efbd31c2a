/**
 * What an authority is to the validator: where its metadata lives, which issuers its discovery
 * documents may announce, and how its tokens read. One file per kind of authority in this folder
 * (workforce tenants and clouds, Azure AD B2C, Entra External ID, a custom discovery URL) makes an
 * `AuthorityPlan`; `index.ts` picks one.
 */
import { GUID_RE } from '../ids.js';
import type { ClaimSet } from '../token.js';

/** The placeholder multi-tenant discovery documents put in their issuer. */
export const TENANT_TEMPLATE = '{tenantid}';

/** An issuer the validator trusts: exact, or a template filled with the token's `tid`. */
export interface IssuerRule {
  /** The issuer, or a template containing `{tenantid}`. */
  readonly issuer: string;
  readonly template: boolean;
  /**
   * For a single tenant: its GUID, which the token's `tid` must equal (the principal's `tenantId`
   * comes from `tid`, so it must never disagree with the issuer).
   */
  readonly tenant?: string;
  /** Azure AD B2C: tokens may carry no `tid`; the tenant is then the issuer's (`tenant`). */
  readonly tidOptional?: boolean;
  /**
   * Other issuers a signing key of this tenant may name in its `issuer` property (External ID: the
   * tenant's keys may be published under its `login.microsoftonline.com` issuer too).
   */
  readonly keyIssuers?: readonly string[];
}

/**
 * One discovery document and what it says: a tenant has one, an Azure AD B2C tenant one per policy.
 */
export interface AuthorityDocument {
  /** The B2C policy this document is for, as configured; `undefined` elsewhere. */
  readonly policy: string | undefined;
  readonly v2DiscoveryUrl: string;
  /**
   * Where v1.0 tokens' issuer is announced: a v1.0 discovery URL; `'v2'` when the v2.0 document's
   * issuer is also that of v1.0 tokens (B2C, whose tokens say `ver: "1.0"`); `undefined` when this
   * authority issues no v1.0 tokens.
   */
  readonly v1: string | 'v2' | undefined;
  /** Where claims challenges send users to re-authenticate; `undefined` when not known. */
  readonly challengeUri: string | undefined;
  /** Checks a v2 document's issuer; returns the rule, or a reason it is refused. */
  checkV2Issuer(issuer: string): IssuerRule | string;
  /** Checks a v1 document's issuer, given the v2 rule already accepted. */
  checkV1Issuer(issuer: string, v2: IssuerRule): IssuerRule | string;
}

/** How an authority's tokens read, where they differ from a workforce tenant's. */
export interface TokenRules {
  /**
   * A payload `nonce` marks an ID token (Entra puts it only in ID tokens; Azure AD B2C access tokens
   * may carry one).
   */
  readonly payloadNonceMarksIdToken: boolean;
  /**
   * An `idp` other than `iss` marks a guest (workforce). In customer tenants `idp` names the social
   * account provider (`google.com`), which makes nobody a guest.
   */
  readonly idpMarksGuest: boolean;
  /**
   * `sub` is pairwise, so `oid` = `sub` (without `scp`) marks a service principal (workforce). In B2C
   * `sub` is the user's object id: only `idtyp` marks an app-only token.
   */
  readonly pairwiseSubject: boolean;
}

export const WORKFORCE_RULES: TokenRules = Object.freeze({
  payloadNonceMarksIdToken: true,
  idpMarksGuest: true,
  pairwiseSubject: true,
});

/** Where to find metadata, what it may say, and how the tokens read. */
export interface AuthorityPlan {
  /** The documents; the first one is the validator's main one (`config.discoveryUrl`). */
  readonly documents: readonly [AuthorityDocument, ...AuthorityDocument[]];
  /** The authority base URL (`undefined` for B2C, External ID and a custom discovery URL). */
  readonly authority: string | undefined;
  /** `common` / `organizations`: the issuer is a template, and tenants are filtered. */
  readonly multiTenant: boolean;
  /** `organizations`: personal Microsoft accounts are refused. */
  readonly excludeConsumers: boolean;
  /**
   * The issuers this configuration can trust, known before any request, as patterns (lower case,
   * `{tenantid}` = any tenant GUID; see `trust.ts`); `undefined` when only the discovery document
   * will tell (a custom `discoveryUrl`).
   */
  readonly issuers: readonly string[] | undefined;
  readonly rules: TokenRules;
  /**
   * The document a token is checked against, from its claims: the only one, or (B2C) its policy's.
   * Throws an `EntraAuthError` when none applies (a B2C policy not configured), before any request.
   */
  documentFor(claims: ClaimSet): AuthorityDocument;
}

/** Fills a template issuer with a tenant id; `undefined` when the tenant id cannot be used. */
export function issuerFor(rule: IssuerRule, tid: unknown): string | undefined {
  if (!rule.template) return rule.issuer;
  if (typeof tid !== 'string' || !GUID_RE.test(tid)) return undefined;
  return rule.issuer.replace(TENANT_TEMPLATE, () => tid);
}

/** A plan with one document: every token is checked against it. */
export function singleDocument(
  document: AuthorityDocument,
): Pick<AuthorityPlan, 'documents' | 'documentFor'> {
  return { documents: [document], documentFor: () => document };
}
