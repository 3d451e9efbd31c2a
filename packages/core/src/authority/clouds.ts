/**
 * The national clouds Entra ID runs in: where each one's documents are served and which hosts its
 * issuers are on. Sources (see docs/national-clouds.md): entra-docs `authentication-national-cloud.md`
 * (authorities), MSAL.js `AuthorityMetadata.ts` (the v2 documents and host aliases), each cloud's
 * v1 discovery document (v1 issuers).
 */
import type { EntraCloud } from '../options.js';

/**
 * One national cloud's hosts, as origins (`https://host`): where its documents are served and which
 * hosts its issuers are on.
 *
 * @example
 * ```ts
 * const china: EntraCloudHosts = ENTRA_CLOUDS.china;
 * console.log(china.authority, china.v1IssuerOrigin); // 'https://login.partner.microsoftonline.cn' 'https://sts.chinacloudapi.cn'
 * ```
 */
export interface CloudHosts {
  readonly cloud: EntraCloud;
  /** The authority MSAL and the national-cloud docs name first. */
  readonly authority: string;
  /** Every origin serving this cloud's discovery documents (the authority included). */
  readonly documentOrigins: readonly string[];
  /**
   * Where this cloud's v2.0 issuers may be: China's documents are served by `login.chinacloudapi.cn`
   * and announce `https://login.partner.microsoftonline.cn/{tid}/v2.0`, a host other than their own.
   */
  readonly v2IssuerOrigins: readonly string[];
  /** The host of v1.0 issuers (`https://sts.windows.net/{tid}/` in the public and US Government clouds). */
  readonly v1IssuerOrigin: string;
}

/**
 * The hosts of each national cloud Entra ID runs in (`cloud` option): the authority, the hosts
 * serving its documents, and those of its v2.0 and v1.0 issuers. What the validator trusts for a
 * `cloud`; tools read it to tell which cloud an issuer belongs to.
 *
 * @example
 * ```ts
 * const origin = new URL('https://login.microsoftonline.us/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0').origin;
 * const cloud = Object.values(ENTRA_CLOUDS).find((c) => c.v2IssuerOrigins.includes(origin))?.cloud; // 'usgov'
 * ```
 */
export const CLOUDS: Readonly<Record<EntraCloud, CloudHosts>> = frozen({
  public: {
    cloud: 'public',
    authority: 'https://login.microsoftonline.com',
    documentOrigins: [
      'https://login.microsoftonline.com',
      'https://login.windows.net',
      'https://login.microsoft.com',
    ],
    v2IssuerOrigins: ['https://login.microsoftonline.com'],
    v1IssuerOrigin: 'https://sts.windows.net',
  },
  usgov: {
    cloud: 'usgov',
    authority: 'https://login.microsoftonline.us',
    documentOrigins: ['https://login.microsoftonline.us', 'https://login.usgovcloudapi.net'],
    v2IssuerOrigins: ['https://login.microsoftonline.us'],
    v1IssuerOrigin: 'https://sts.windows.net',
  },
  china: {
    cloud: 'china',
    authority: 'https://login.partner.microsoftonline.cn',
    documentOrigins: ['https://login.partner.microsoftonline.cn', 'https://login.chinacloudapi.cn'],
    v2IssuerOrigins: ['https://login.partner.microsoftonline.cn', 'https://login.chinacloudapi.cn'],
    v1IssuerOrigin: 'https://sts.chinacloudapi.cn',
  },
});

/** Frozen all the way down: the table is exported, and the validator trusts what it says. */
function frozen(clouds: Record<EntraCloud, CloudHosts>): Readonly<Record<EntraCloud, CloudHosts>> {
  for (const hosts of Object.values(clouds)) {
    Object.freeze(hosts.documentOrigins);
    Object.freeze(hosts.v2IssuerOrigins);
    Object.freeze(hosts);
  }
  return Object.freeze(clouds);
}

/** The Entra authority of each national cloud. */
export const CLOUD_AUTHORITIES: Readonly<Record<EntraCloud, string>> = Object.freeze({
  public: CLOUDS.public.authority,
  usgov: CLOUDS.usgov.authority,
  china: CLOUDS.china.authority,
});

/** The cloud whose documents an origin serves, if it is one of Microsoft's. */
export function cloudOfOrigin(origin: string): CloudHosts | undefined {
  for (const hosts of Object.values(CLOUDS)) if (hosts.documentOrigins.includes(origin)) return hosts;
  return undefined;
}
