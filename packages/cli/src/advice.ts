/**
 * The words for the usual mistakes: what the token shows and how to fix it. Shared by `verify` and
 * `explain` (through the explanations of each check), so both say the same thing.
 *
 * Nothing here decides whether a token passes: the validator of `@org/entra-core` does. These
 * functions only describe, from the token the user pasted and the configuration they gave; every
 * limit comes from the validator's configuration, every identifier from the core.
 */
import { CONSUMERS_TENANT_ID, type EntraCloud, isGuid } from '@org/entra-core';
import { formatDuration } from './format.js';
import { microsoftResourceName, showAudience, type TokenSummary } from './token.js';

/**
 * A problem in words: what is wrong, and what to do about it.
 *
 * @example
 * ```ts
 * const advice: Advice = { detail: 'aud is api://orders; this API accepts api://billing', fix: 'Request a token for api://billing/.default' };
 * console.log(`${advice.detail}\nFix: ${advice.fix}`);
 * ```
 */
export interface Advice {
  /** What the token shows, with the values involved. */
  readonly detail: string;
  /** The fix, in plain words. */
  readonly fix: string;
}

/**
 * What the API accepts: the validator's configuration (`verify`), or as much of it as the options
 * given to `explain` tell.
 *
 * @example
 * ```ts
 * const expectations: Expectations = {
 *   audiences: ['api://6e74172b-be56-4843-9ff4-e66a39bb12e3'],
 *   tenantId: 'organizations',
 *   tokenVersions: ['1.0', '2.0'],
 *   clockToleranceSeconds: 300,
 *   maxTokenLength: 16384,
 * };
 * ```
 */
export interface Expectations {
  /** Accepted `aud` values. Empty: not known (`explain` without `--audience` or `--client-id`). */
  readonly audiences: readonly string[];
  /** The API's application (client) id, when known. */
  readonly clientId?: string | undefined;
  /** The configured tenant: a GUID, a domain, or `common` / `organizations` / `consumers`. */
  readonly tenantId?: string | undefined;
  /** Multi-tenant: the tenants accepted (`--allowed-tenant`). */
  readonly allowedTenants?: readonly string[] | undefined;
  /** Accepted `ver` values. */
  readonly tokenVersions: readonly ('1.0' | '2.0')[];
  /** The validator's leeway for `exp`, `nbf` and `iat`, in seconds. */
  readonly clockToleranceSeconds: number;
  /** The validator's longest accepted token. */
  readonly maxTokenLength: number;
  /** Where the validator reads its metadata (`verify` only). */
  readonly discoveryUrl?: string | undefined;
  /** The authority base URL (`verify` only; `undefined` with a custom discovery URL). */
  readonly authority?: string | undefined;
  /**
   * Which kind of Entra tenant the API trusts; `undefined` when not known (`explain` given none of
   * `--tenant`, `--cloud`, `--b2c-domain` / `--b2c-policy`, `--external-id`).
   */
  readonly flavour?: 'workforce' | 'b2c' | 'externalId' | undefined;
  /** A workforce tenant's national cloud, when known. */
  readonly cloud?: EntraCloud | undefined;
  /** Azure AD B2C: the accepted policies, when known. */
  readonly policies?: readonly string[] | undefined;
}

/** The API's client id, from `--client-id` or from an audience (`<guid>` or `api://<guid>`). */
export function apiClientId(expect: Expectations): string | undefined {
  if (expect.clientId !== undefined) return expect.clientId;
  for (const aud of expect.audiences) {
    const id = appIdOf(aud);
    if (id !== undefined) return id;
  }
  return undefined;
}

/** The scope a client should request for this API, as precisely as we know it. */
export function apiScope(expect: Expectations): string {
  const uri = expect.audiences.find((a): boolean => !isGuid(a));
  if (uri !== undefined) return `${uri.replace(/\/+$/, '')}/.default`;
  return `api://${apiClientId(expect) ?? '<api-client-id>'}/.default`;
}

function scopesNote(summary: TokenSummary): string {
  return summary.scopes.length > 0 ? ` (its scp: ${summary.scopes.join(' ')})` : '';
}

function minutes(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} seconds`;
}

/** A Microsoft Graph token sent to an API. */
export function graphAdvice(summary: TokenSummary, expect: Expectations): Advice {
  return {
    detail: `This token is for Microsoft Graph (aud ${showAudience(summary.audience)}): the client requested Graph scopes such as User.Read${scopesNote(summary)}. Only Graph can validate its signature.`,
    fix: `Request a token for your API instead: scope ${apiScope(expect)} (client credentials, or all consented scopes) or your API's own scope, e.g. ${apiScope(expect).replace('/.default', '/access_as_user')}. A token cannot serve both Graph and your API: get one for each.`,
  };
}

/** An ID token sent as an access token. */
export function idTokenAdvice(summary: TokenSummary): Advice {
  return {
    detail: `This is an ID token (aud ${showAudience(summary.audience)} is the client app itself, and it carries no scp or roles): it proves a sign-in to the client, it does not grant access to an API.`,
    fix: 'Send the access token, not the ID token (MSAL: result.accessToken, not result.idToken), and request a scope of your API when acquiring it so that the access token is for your API.',
  };
}

/** A token for ARM, Key Vault, Storage... sent to an API. */
export function resourceAdvice(summary: TokenSummary, expect: Expectations): Advice {
  const name = microsoftResourceName(summary.audience) ?? 'another Microsoft service';
  return {
    detail: `This token is for ${name} (aud ${showAudience(summary.audience)}), not for your API.`,
    fix: `Request a token for your API instead: scope ${apiScope(expect)} (for example az account get-access-token --scope ${apiScope(expect)}; the default resource of the Azure CLI is Azure Resource Manager).`,
  };
}

/**
 * How close a refused audience is to an accepted one: the same application in the other form
 * (`<guid>` vs `api://<guid>`), the same value but for a trailing slash, or nothing alike. It only
 * describes a refusal the validator made; it never decides one.
 */
export type AudienceNearMiss = 'other_form' | 'trailing_slash' | 'other' | 'none';

function appIdOf(aud: string): string | undefined {
  const id = aud.replace(/^api:\/\//, '').replace(/\/+$/, '');
  return isGuid(id) ? id.toLowerCase() : undefined;
}

/** See {@link AudienceNearMiss}. */
export function audienceNearMiss(
  aud: string | readonly string[] | undefined,
  accepted: readonly string[],
): AudienceNearMiss {
  if (aud === undefined) return 'none';
  const list = typeof aud === 'string' ? [aud] : aud;
  const strip = (a: string): string => a.replace(/\/+$/, '');
  const stripped = new Set(accepted.map(strip));
  if (list.some((a) => stripped.has(strip(a)))) return 'trailing_slash';
  const ids = new Set(accepted.map(appIdOf).filter((id) => id !== undefined));
  return list.some((a) => ids.has(appIdOf(a) ?? '')) ? 'other_form' : 'other';
}

/** A token whose `aud` is not one of the accepted audiences. */
export function audienceAdvice(summary: TokenSummary, expect: Expectations): Advice {
  const aud = showAudience(summary.audience);
  const accepted = expect.audiences.join(', ');
  const id = typeof summary.audience === 'string' ? appIdOf(summary.audience) : undefined;
  switch (audienceNearMiss(summary.audience, expect.audiences)) {
    case 'other_form': {
      const guidForm = isGuid(aud);
      return {
        detail: `The token's aud is ${aud}, the same application as ${accepted} but in the ${guidForm ? 'client ID (GUID)' : 'App ID URI'} form. ${guidForm ? 'v2.0 access tokens carry the client ID' : 'v1.0 access tokens carry the App ID URI the client asked for'}; this token is v${summary.version ?? '?'}.`,
        fix: `Accept both forms: configure the validator with clientId ${id} (it accepts ${id} and api://${id}), or add ${aud} to audience. Or make the token version what you expect with accessTokenAcceptedVersion in the API's app manifest (2 → v2.0 tokens with the client ID as aud; null or 1 → v1.0 tokens).`,
      };
    }
    case 'trailing_slash':
      return {
        detail: `The token's aud is ${aud}: it differs from ${accepted} only by a trailing slash (audiences are compared exactly).`,
        fix: `Add ${aud} exactly as it appears to the accepted audiences, or make the client request the scope without the slash.`,
      };
    case 'none':
      return {
        detail: 'The token has no usable aud claim: it names no API it was issued for.',
        fix: 'Entra access tokens always carry aud: get an access token from Entra ID for your API.',
      };
    default:
      return {
        detail: `The token's aud is ${aud}, but this API accepts ${accepted || '(no audience given)'}: the token was issued for another API or app.`,
        fix: `Make the client request a scope of this API: ${apiScope(expect)} or api://<api-client-id>/<scope>. If ${aud} is in fact this API (another App ID URI), add it to audience.`,
      };
  }
}

/** The differences between v1.0 and v2.0 tokens, and the manifest setting that picks one. */
export function versionAdvice(summary: TokenSummary, expected: '1.0' | '2.0'): Advice {
  const tid = summary.tenantId ?? '<tenant-id>';
  const actual = summary.version ?? 'unknown';
  return {
    detail: `This is a v${actual} token but v${expected} is expected. v1.0 tokens have iss https://sts.windows.net/${tid}/ and the App ID URI (api://...) as aud; v2.0 tokens have iss https://login.microsoftonline.com/${tid}/v2.0 and the client ID as aud.`,
    fix: `The version is set by the API's app registration, not by the endpoint the client used: in the API's manifest set accessTokenAcceptedVersion to ${expected === '2.0' ? '2' : 'null (or 1)'} (Microsoft Graph manifest: api.requestedAccessTokenVersion), then get a new token. Or accept both versions in the validator (tokenVersions ['1.0', '2.0'] with clientId, the default).`,
  };
}

/** A token from another tenant than the configured one (`authority`: the validator's, when known). */
export function tenantAdvice(
  summary: TokenSummary,
  tenantId: string,
  authority = 'https://login.microsoftonline.com',
): Advice {
  const tid = summary.tenantId ?? '(none)';
  const personal = summary.tenantId?.toLowerCase() === CONSUMERS_TENANT_ID;
  if (tenantId === 'organizations' && personal) {
    return {
      detail: `This token is for a personal Microsoft account (tenant ${CONSUMERS_TENANT_ID}, consumers), and organizations accepts work and school accounts only.`,
      fix: 'Sign in with a work or school account, or, if personal accounts are meant to be accepted, use tenantId common and make the app registration accept personal accounts (signInAudience AzureADandPersonalMicrosoftAccount).',
    };
  }
  if (tenantId === 'consumers') {
    return {
      detail: `This token is from tenant ${tid}, and consumers accepts personal Microsoft accounts only (tenant ${CONSUMERS_TENANT_ID}).`,
      fix: 'Sign in with a personal Microsoft account, or configure the tenant the users belong to.',
    };
  }
  return {
    detail: `The token was issued by tenant ${tid}, but the API is configured for tenant ${tenantId}.${summary.isGuest ? ' It is a guest user: guests get tokens from the tenant of the resource, not their home tenant.' : ''}`,
    fix: `Have the client sign in against your tenant (authority ${authority}/${tenantId}, not common). If the API is meant for other tenants too, make its app registration multi-tenant and configure the validator with tenantId organizations and allowedTenants ['${tid}'] (CLI: --tenant organizations --allowed-tenant ${tid}).`,
  };
}

/** An expired token. */
export function expiredAdvice(summary: TokenSummary, expect: Expectations, nowMs: number): Advice {
  const exp = summary.times.exp;
  if (exp === undefined) {
    return {
      detail: 'The token has no usable exp claim: tokens without an expiry are refused.',
      fix: 'Entra always sets exp: this token was not issued by Entra ID. Get a real access token.',
    };
  }
  return {
    detail: `The token expired ${formatDuration(nowMs / 1000 - exp.value)} ago (exp ${exp.date}). The validator allows ${minutes(expect.clockToleranceSeconds)} of clock skew.`,
    fix: "Get a new token: MSAL acquireTokenSilent returns a fresh one (it refreshes it when it is about to expire); do not store access tokens beyond their exp. If the token looks fresh to you, check this machine's clock.",
  };
}

/** The time a token becomes valid from: the later of `nbf` and `iat`, in seconds. */
export function validFrom(summary: TokenSummary): number {
  return Math.max(summary.times.nbf?.value ?? 0, summary.times.iat?.value ?? 0);
}

/** A token whose `nbf` (or `iat`) is in the future. */
export function notYetValidAdvice(summary: TokenSummary, expect: Expectations, nowMs: number): Advice {
  const from = validFrom(summary);
  return {
    detail: `The token is not valid for another ${formatDuration(from - nowMs / 1000)} (nbf/iat ${new Date(from * 1000).toISOString()}), beyond the ${minutes(expect.clockToleranceSeconds)} of clock skew allowed.`,
    fix: 'A clock is wrong: check the time of this machine and of the server (NTP). Entra issues tokens valid from the time they are issued.',
  };
}

/** An access token with neither `scp` nor `roles`. */
export function permissionsAdvice(summary: TokenSummary, expect: Expectations): Advice {
  if (summary.identity === 'app-only') {
    return {
      detail:
        'This app-only token (client credentials) carries no roles: the calling application has been granted no application permission of this API.',
      fix: `Define an app role with allowedMemberTypes Application in the API's app registration (App roles), add it to the client app under API permissions > My APIs > Application permissions, grant admin consent, then request ${apiScope(expect)} again. App roles must be granted; scopes do not apply to client credentials.`,
    };
  }
  return {
    detail:
      'This token carries neither scp (delegated permissions) nor roles (app roles): the client has no permission of this API, or it was not consented.',
    fix: `Expose a scope in the API's app registration (Expose an API), add it to the client app's API permissions, have the user or an admin consent (grant admin consent for the tenant), then request api://<api-client-id>/<scope> or ${apiScope(expect)}.`,
  };
}

/** A guest user: a note, not a problem. */
export function guestAdvice(summary: TokenSummary, payload: Readonly<Record<string, unknown>>): Advice {
  const idp = typeof payload.idp === 'string' && Object.hasOwn(payload, 'idp') ? ` (idp ${payload.idp})` : '';
  return {
    detail: `The user is a guest in tenant ${summary.tenantId ?? '(none)'}${idp}: their home account is in another tenant or is a personal account.`,
    fix: "Nothing to fix if guests are welcome. Identify users by tid + oid (the guest's oid in your tenant), never by email or upn. To refuse guests, set allowGuests: false.",
  };
}

/** A multi-tenant configuration: which tenants are accepted must be chosen. */
export function multiTenantAdvice(summary: TokenSummary, tenantId: string): Advice {
  const tid = summary.tenantId ?? '<tenant-id>';
  return {
    detail: `With tenantId ${tenantId} the API accepts tokens from other tenants; this token is from tenant ${tid}.`,
    fix: `Choose the tenants: allowedTenants ['${tid}', ...] (CLI: --allowed-tenant ${tid}) or, deliberately, allowAnyTenant: true. Each customer tenant needs your API's service principal (an admin consents to the app once), and the app registration must be multi-tenant.`,
  };
}
