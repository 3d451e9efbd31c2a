/**
 * What an authority is to the validator: where its metadata lives and which issuers its discovery
 * documents may announce. One file per kind of authority in this folder (workforce tenants and
 * clouds, a custom discovery URL, ...) makes an `AuthorityPlan`; `index.ts` picks one.
 */
import { GUID_RE } from '../ids.js';

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
  /** `undefined` when v1 tokens cannot be served by this authority (a custom discovery URL without /v2.0/). */
  readonly v1DiscoveryUrl: string | undefined;
  /** The authority base URL (`undefined` for a custom discovery URL). */
  readonly authority: string | undefined;
  /** `common` / `organizations`: the issuer is a template, and tenants are filtered. */
  readonly multiTenant: boolean;
  /** `organizations`: personal Microsoft accounts are refused. */
  readonly excludeConsumers: boolean;
  /** Where claims challenges send users to re-authenticate; `undefined` when not known. */
  readonly challengeUri: string | undefined;
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
