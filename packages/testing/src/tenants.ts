/**
 * What a tenant segment of a URL (`/{tenant}/...`) means, and the issuers Entra announces for it.
 */
import { CONSUMERS_TENANT_ID, GUID_RE } from './identities.js';

/** The tenant a URL segment names, as Entra resolves it. */
export interface ResolvedTenant {
  /** The segment Entra writes into the endpoints it announces: a domain is replaced by its GUID. */
  readonly urlSegment: string;
  /** The tenant GUID; `undefined` for `common` and `organizations`, which announce a template. */
  readonly tid: string | undefined;
}

/** The placeholder Entra puts in the issuers of multi-tenant documents and keys. */
export const TENANT_TEMPLATE = '{tenantid}';

/**
 * Resolves a tenant segment: a GUID, the kit's domain, `common`, `organizations` or `consumers`
 * (case-insensitive). Anything else is an unknown tenant: `undefined`.
 */
export function resolveTenant(
  segment: string,
  home: { tenantId: string; domain: string },
): ResolvedTenant | undefined {
  const s = segment.toLowerCase();
  if (s === 'common' || s === 'organizations') return { urlSegment: s, tid: undefined };
  if (s === 'consumers') return { urlSegment: s, tid: CONSUMERS_TENANT_ID };
  if (s === home.domain.toLowerCase()) return { urlSegment: home.tenantId, tid: home.tenantId };
  if (GUID_RE.test(s)) return { urlSegment: s, tid: s };
  return undefined;
}

export function issuerV2(authority: string, tid: string | undefined): string {
  return `${authority}/${tid ?? TENANT_TEMPLATE}/v2.0`;
}

/**
 * v1 issuers are on `sts.windows.net` (`sts.chinacloudapi.cn` in China), whatever host served the
 * document.
 */
export function issuerV1(tid: string | undefined, origin = 'https://sts.windows.net'): string {
  return `${origin}/${tid ?? TENANT_TEMPLATE}/`;
}
