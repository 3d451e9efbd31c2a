/**
 * Which flavour of Entra a token comes from (a workforce tenant in one of the national clouds, Azure
 * AD B2C, Entra External ID), read from the marks each issuer leaves in its tokens, and whether the
 * API was configured for another one. Only words: the validator of `@org/entra-core` decides, and
 * these say why it refused a token of another flavour (refused at the key lookup, the issuer, the
 * policy or the version, whichever comes first).
 *
 * The marks (docs/b2c.md, docs/external-id.md, docs/national-clouds.md): B2C names its policy in
 * `tfp` (older policies: `acr`, a `B2C_1_…` id) and issues on `{name}.b2clogin.com` or a custom
 * domain; External ID issues as `https://{tenant}.ciamlogin.com/{tenant}/v2.0` whatever host served
 * the metadata; a workforce tenant issues on its cloud's hosts (the core's `ENTRA_CLOUDS`).
 */
import { b2cPolicyOf, ENTRA_CLOUDS, type EntraAuthCheck, type EntraCloud } from '@org/entra-core';
import type { Advice, Expectations } from './advice.js';
import type { FindingId } from './explanations.js';
import { claim, stringClaim, type TokenSummary } from './token.js';

/** What a token shows of where it comes from. */
export type TokenFlavour =
  | { readonly kind: 'b2c'; readonly policy: string | undefined }
  | { readonly kind: 'externalId' }
  /** A workforce tenant: the clouds whose hosts its issuer is on (`sts.windows.net` is both public and US Government). */
  | { readonly kind: 'workforce'; readonly clouds: readonly EntraCloud[] }
  /** A test issuer, a proxy, a custom domain: nothing tells. */
  | { readonly kind: 'unknown' };

function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * The flavour a token's claims show. Workforce v1.0 tokens carry `acr: "1"`: only an `acr` that is
 * a B2C policy id marks a B2C token.
 */
export function tokenFlavour(payload: Readonly<Record<string, unknown>>): TokenFlavour {
  const policy = b2cPolicyOf(payload);
  if (policy !== undefined) return { kind: 'b2c', policy };
  const origin = originOf(stringClaim(payload, 'iss'));
  if (origin === undefined) return { kind: 'unknown' };
  const host = new URL(origin).hostname;
  if (host.endsWith('.b2clogin.com')) return { kind: 'b2c', policy: undefined };
  if (host.endsWith('.ciamlogin.com')) return { kind: 'externalId' };
  const clouds = Object.values(ENTRA_CLOUDS)
    .filter((c) => c.v2IssuerOrigins.includes(origin) || c.v1IssuerOrigin === origin)
    .map((c) => c.cloud);
  return clouds.length > 0 ? { kind: 'workforce', clouds } : { kind: 'unknown' };
}

/** The cloud whose documents an authority or discovery URL is on, if it is one of Microsoft's hosts. */
export function cloudOfUrl(url: string | undefined): EntraCloud | undefined {
  const origin = originOf(url);
  return origin === undefined
    ? undefined
    : Object.values(ENTRA_CLOUDS).find((c) => c.documentOrigins.includes(origin))?.cloud;
}

/** The diagnoses of a token of another flavour than the API's. */
export type FlavourFindingId = Extract<
  FindingId,
  'b2c_token' | 'external_id_token' | 'other_cloud' | 'workforce_token'
>;

/**
 * The token is of another flavour than the configuration: which diagnosis. `undefined` when they
 * agree, or when the configuration's flavour is not known (`explain` without options).
 */
export function flavourMismatch(token: TokenFlavour, expect: Expectations): FlavourFindingId | undefined {
  const configured = expect.flavour;
  if (configured === undefined) return undefined;
  if (token.kind === 'b2c') return configured === 'b2c' ? undefined : 'b2c_token';
  if (token.kind === 'externalId') return configured === 'externalId' ? undefined : 'external_id_token';
  if (token.kind !== 'workforce') return undefined;
  if (configured !== 'workforce') return 'workforce_token';
  return expect.cloud !== undefined && !token.clouds.includes(expect.cloud) ? 'other_cloud' : undefined;
}

/**
 * What a token of a recognised flavour is worth a word about when the configuration is not known:
 * B2C, External ID, or a national cloud (the public cloud is the default, nothing to say).
 */
export function flavourOfNote(token: TokenFlavour): FlavourFindingId | undefined {
  if (token.kind === 'b2c') return 'b2c_token';
  if (token.kind === 'externalId') return 'external_id_token';
  if (token.kind === 'workforce' && !token.clouds.includes('public')) return 'other_cloud';
  return undefined;
}

const CLOUD_NAMES: Readonly<Record<EntraCloud, string>> = {
  public: 'the public cloud',
  usgov: 'Azure US Government',
  china: 'Azure operated by 21Vianet (China)',
};

/** The configuration in words: "a workforce tenant of the public cloud", "Azure AD B2C"... */
function configured(expect: Expectations): string {
  switch (expect.flavour) {
    case 'b2c':
      return 'Azure AD B2C';
    case 'externalId':
      return 'an Entra External ID tenant';
    case 'workforce':
      return expect.cloud === undefined
        ? 'a workforce tenant'
        : `a workforce tenant of ${CLOUD_NAMES[expect.cloud]} (${ENTRA_CLOUDS[expect.cloud].authority})`;
    default:
      return 'a configuration not given';
  }
}

const validatorIs = (expect: Expectations): string =>
  expect.flavour === undefined ? '' : ` This validator is set up for ${configured(expect)}.`;

/** Without a configuration, the fix is conditional: the token may be just what the API expects. */
const ifNot = (expect: Expectations): string =>
  expect.flavour === undefined ? 'Nothing to fix if the API is set up for it; otherwise: ' : '';

const COMBINE =
  'If the API serves employees and customers alike, give each authority its own validator and combine them: combineValidators([workforce, customers]).';

/** The host of the token's issuer, for a suggested `--b2c-domain`. */
function issuerHost(summary: TokenSummary): string | undefined {
  const origin = originOf(summary.issuer);
  if (origin === undefined) return undefined;
  const url = new URL(origin);
  return url.protocol === 'https:' ? url.host : origin;
}

/** A title and advice for each flavour diagnosis. */
export interface FlavourWords {
  readonly title: string;
  readonly advice: Advice;
}

/**
 * The words for a token of another flavour than the API's (or, `expect.flavour` unknown, for what
 * the token is). `payload` is the user's own token: its claims are shown as the CLI shows any claim.
 */
export function flavourWords(
  id: FlavourFindingId,
  token: TokenFlavour,
  summary: TokenSummary,
  payload: Readonly<Record<string, unknown>>,
  expect: Expectations,
  /** The check that refused the token, when one did. */
  refusedAt?: EntraAuthCheck,
): FlavourWords {
  const iss = summary.issuer ?? '(none)';
  const known = expect.flavour !== undefined;
  switch (id) {
    case 'b2c_token': {
      const policy = token.kind === 'b2c' ? token.policy : undefined;
      const named = claim(payload, 'tfp') !== undefined ? 'tfp' : 'acr';
      const host = issuerHost(summary) ?? '<name>.b2clogin.com';
      return {
        title: known
          ? 'This is an Azure AD B2C token, and the API is not configured for B2C'
          : 'An Azure AD B2C token',
        advice: {
          detail: `This is an Azure AD B2C token (iss ${iss}${policy === undefined ? '' : `, from the policy ${policy} in ${named}`}): B2C issues tokens per user flow or custom policy, on its own host and with its own keys.${validatorIs(expect)}${refusedAt === 'foreign' && claim(payload, 'nonce') !== undefined ? ' A validator not set up for B2C takes the nonce B2C puts in access tokens for the mark of an ID token.' : ''}`,
          fix: `${ifNot(expect)}Configure the validator for B2C instead of tenantId: b2c: { domain: '${host}', tenantId: '<name>.onmicrosoft.com or the tenant GUID', policies: ['${policy ?? 'B2C_1_<policy>'}'] } (CLI: --b2c-domain ${host} --tenant <tenant> --b2c-policy ${policy ?? '<policy>'}). ${COMBINE}`,
        },
      };
    }
    case 'external_id_token': {
      const tid = summary.tenantId ?? '<external tenant GUID>';
      return {
        title: known
          ? 'This is an Entra External ID token, and the API is not configured for External ID'
          : 'An Entra External ID (customer tenant) token',
        advice: {
          detail: `This is a Microsoft Entra External ID token (iss ${iss}, tenant ${tid}): external (customer) tenants issue their tokens as https://{tenant}.ciamlogin.com/{tenant}/v2.0, with their own metadata and keys.${validatorIs(expect)}`,
          fix: `${ifNot(expect)}Configure the validator with externalId: { tenantId: '${tid}' } instead of tenantId, with domain when the metadata is served on a custom URL domain (CLI: --external-id --tenant ${tid} [--domain <host>]). ${COMBINE}`,
        },
      };
    }
    case 'other_cloud': {
      const clouds = token.kind === 'workforce' ? token.clouds : [];
      const where = clouds.map((c) => CLOUD_NAMES[c]).join(' or ');
      const setting = clouds.map((c) => `cloud: '${c}'`).join(' or ');
      const flag = clouds.map((c) => `--cloud ${c}`).join(' or ');
      const hosts = clouds.map((c) => ENTRA_CLOUDS[c].authority).join(' or ');
      return {
        title: known
          ? `A token of ${where}, sent to a validator of ${expect.cloud === undefined ? 'another cloud' : CLOUD_NAMES[expect.cloud]}`
          : `A token of ${where}`,
        advice: {
          detail: `The token was issued in ${where} (iss ${iss}): each national cloud has its own sign-in hosts, keys and issuers.${validatorIs(expect)}`,
          fix: `${ifNot(expect)}Set ${setting} (CLI: ${flag}): discovery, keys and issuers then come from ${hosts}.${clouds.includes('public') ? ' The public cloud is the default: drop the cloud setting.' : ''}`,
        },
      };
    }
    case 'workforce_token': {
      const clouds = token.kind === 'workforce' ? token.clouds : [];
      return {
        title: `A workforce token, sent to a validator of ${expect.flavour === 'b2c' ? 'Azure AD B2C' : 'Entra External ID'}`,
        advice: {
          detail: `The token was issued by a workforce tenant of ${clouds.map((c) => CLOUD_NAMES[c]).join(' or ')} (iss ${iss}, tenant ${summary.tenantId ?? '(none)'}).${validatorIs(expect)}`,
          fix: `Have the client sign in through the ${expect.flavour === 'b2c' ? 'B2C user flow' : 'external tenant'} your API trusts, or, if the API accepts employees too, configure a workforce validator (tenantId) beside this one and combine them: combineValidators([workforce, customers]).`,
        },
      };
    }
  }
}
