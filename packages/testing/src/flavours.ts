/**
 * The flavours of Entra the kit impersonates: a workforce tenant (in one of three national clouds),
 * an Azure AD B2C tenant with its policies, or an Entra External ID (customer) tenant. What differs
 * between them: the issuers, the paths documents are served at, and the shape of tokens and keys.
 */
import type { MockCloud, MockFlavour } from './types.js';

/** What a national cloud changes in documents and tokens (hosts are Microsoft's; endpoints stay on the kit). */
export interface CloudProfile {
  /** Host of v1.0 issuers, `https://sts.windows.net` except in China. */
  readonly v1IssuerOrigin: string;
  /** The `aud` of v1 Microsoft Graph tokens in that cloud. */
  readonly graphResource: string;
  readonly instanceName: string;
  readonly graphHostName: string;
  readonly msgraphHost: string;
  readonly rbacUrl: string;
}

export const CLOUD_PROFILES: Readonly<Record<MockCloud, CloudProfile>> = {
  public: {
    v1IssuerOrigin: 'https://sts.windows.net',
    graphResource: 'https://graph.microsoft.com',
    instanceName: 'microsoftonline.com',
    graphHostName: 'graph.windows.net',
    msgraphHost: 'graph.microsoft.com',
    rbacUrl: 'https://pas.windows.net',
  },
  usgov: {
    v1IssuerOrigin: 'https://sts.windows.net',
    graphResource: 'https://graph.microsoft.us',
    instanceName: 'microsoftonline.us',
    graphHostName: 'graph.windows.net',
    msgraphHost: 'graph.microsoft.us',
    rbacUrl: 'https://pasff.usgovcloudapi.net',
  },
  china: {
    v1IssuerOrigin: 'https://sts.chinacloudapi.cn',
    graphResource: 'https://microsoftgraph.chinacloudapi.cn',
    instanceName: 'chinacloudapi.cn',
    graphHostName: 'graph.chinacloudapi.cn',
    msgraphHost: 'microsoftgraph.chinacloudapi.cn',
    rbacUrl: 'https://pas.chinacloudapi.cn',
  },
};

/** The flavour a kit was started as, with everything its options decided. */
export interface Profile {
  readonly flavour: MockFlavour;
  readonly cloud: MockCloud;
  /** B2C: the policies served, as given; empty for the other flavours. */
  readonly policies: readonly string[];
  /** B2C: which issuer form the policies' documents announce. */
  readonly issuerFormat: 'tenant' | 'tfp';
}

export const DEFAULT_POLICY = 'B2C_1_signupsignin';
const POLICY_RE = /^B2C_1A?_[A-Za-z0-9_.-]{1,100}$/i;
const FLAVOURS = new Set(['workforce', 'b2c', 'externalId']);
const CLOUDS = new Set(['public', 'usgov', 'china']);

/** Checks the flavour options of `createMockEntra`; throws a `TypeError` naming the fix. */
export function resolveProfile(options: {
  flavour?: unknown;
  cloud?: unknown;
  policies?: unknown;
  issuerFormat?: unknown;
}): Profile {
  const flavour = options.flavour ?? 'workforce';
  if (typeof flavour !== 'string' || !FLAVOURS.has(flavour)) {
    throw new TypeError("createMockEntra: flavour must be 'workforce', 'b2c' or 'externalId'");
  }
  const cloud = options.cloud ?? 'public';
  if (typeof cloud !== 'string' || !CLOUDS.has(cloud)) {
    throw new TypeError("createMockEntra: cloud must be 'public', 'usgov' or 'china'");
  }
  if (cloud !== 'public' && flavour !== 'workforce') {
    throw new TypeError('createMockEntra: cloud applies to the workforce flavour only');
  }
  if (flavour !== 'b2c' && (options.policies !== undefined || options.issuerFormat !== undefined)) {
    throw new TypeError("createMockEntra: policies and issuerFormat apply to flavour: 'b2c' only");
  }
  const policies = options.policies ?? (flavour === 'b2c' ? [DEFAULT_POLICY] : []);
  if (
    !Array.isArray(policies) ||
    (flavour === 'b2c' && policies.length === 0) ||
    !policies.every((p) => typeof p === 'string' && POLICY_RE.test(p))
  ) {
    throw new TypeError(
      "createMockEntra: policies must be a non-empty list of B2C policy ids such as 'B2C_1_signupsignin' or 'B2C_1A_signup_signin'",
    );
  }
  const issuerFormat = options.issuerFormat ?? 'tenant';
  if (issuerFormat !== 'tenant' && issuerFormat !== 'tfp') {
    throw new TypeError("createMockEntra: issuerFormat must be 'tenant' or 'tfp'");
  }
  return Object.freeze({
    flavour: flavour as MockFlavour,
    cloud: cloud as MockCloud,
    policies: Object.freeze([...policies]),
    issuerFormat,
  });
}

/** The policy a request or token names, as the kit spells it; `undefined` when it serves no such policy. */
export function servedPolicy(profile: Profile, name: string): string | undefined {
  return profile.policies.find((p) => p.toLowerCase() === name.toLowerCase());
}

/** The issuer of a B2C policy's tokens: `{authority}/{tid}/v2.0/`, or the `tfp` form. */
export function b2cIssuer(authority: string, profile: Profile, tid: string, policy: string): string {
  return profile.issuerFormat === 'tfp'
    ? `${authority}/tfp/${tid}/${policy}/v2.0/`
    : `${authority}/${tid}/v2.0/`;
}

/** The issuer of an External ID tenant's tokens, whatever host served its document. */
export function externalIdIssuer(tid: string): string {
  return `https://${tid}.ciamlogin.com/${tid}/v2.0`;
}
