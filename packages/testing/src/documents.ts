/**
 * The documents Entra serves: v1 and v2 OpenID Connect discovery, and its error bodies. Field
 * names, order and values follow real Entra documents (see fixtures/entra); every endpoint is on
 * the kit's authority, so nothing in them points a client at the network.
 */
import { randomUUID } from 'node:crypto';
import { CLOUD_PROFILES, type CloudProfile } from './flavours.js';
import { issuerV1, issuerV2, type ResolvedTenant } from './tenants.js';

const AUTH_METHODS = ['client_secret_post', 'private_key_jwt', 'client_secret_basic'];
const RESPONSE_MODES = ['query', 'fragment', 'form_post'];
const V2_CLAIMS = [
  'sub',
  'iss',
  'cloud_instance_name',
  'cloud_instance_host_name',
  'cloud_graph_host_name',
  'msgraph_host',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'acr',
  'nonce',
  'preferred_username',
  'name',
  'tid',
  'ver',
  'at_hash',
  'c_hash',
  'email',
];
const V1_CLAIMS = [
  'sub',
  'iss',
  'cloud_instance_name',
  'cloud_instance_host_name',
  'cloud_graph_host_name',
  'msgraph_host',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'acr',
  'amr',
  'nonce',
  'email',
  'given_name',
  'family_name',
  'nickname',
];

function cloudFields(tenant: ResolvedTenant, cloud: CloudProfile): Record<string, unknown> {
  return {
    // One tenant lives in a region; the aliases do not.
    tenant_region_scope: tenant.tid !== undefined && tenant.urlSegment !== 'consumers' ? 'WW' : null,
    cloud_instance_name: cloud.instanceName,
    cloud_graph_host_name: cloud.graphHostName,
    msgraph_host: cloud.msgraphHost,
    rbac_url: cloud.rbacUrl,
  };
}

/**
 * `/{tenant}/v2.0/.well-known/openid-configuration`. `query` (e.g. `?appid=...`) is carried over
 * to `jwks_uri`, as Entra does for app-specific signing keys. `issuer` replaces the workforce
 * issuer (External ID announces `https://{tid}.ciamlogin.com/{tid}/v2.0`, not its own host).
 */
export function discoveryV2(
  authority: string,
  tenant: ResolvedTenant,
  query: string,
  cloud: CloudProfile = CLOUD_PROFILES.public,
  issuer: string = issuerV2(authority, tenant.tid),
): Record<string, unknown> {
  const base = `${authority}/${tenant.urlSegment}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    jwks_uri: `${base}/discovery/v2.0/keys${query}`,
    response_modes_supported: RESPONSE_MODES,
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer,
    request_uri_parameter_supported: false,
    // Entra's is https://graph.microsoft.com/oidc/userinfo; kept on loopback here.
    userinfo_endpoint: `${authority}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: V2_CLAIMS,
    kerberos_endpoint: `${base}/kerberos`,
    ...cloudFields(tenant, cloud),
  };
}

/**
 * `/{tenant}/.well-known/openid-configuration`. As in Entra, its `jwks_uri` is the `common` v1
 * key set whatever the tenant: v1 keys are not scoped to a tenant.
 */
export function discoveryV1(
  authority: string,
  tenant: ResolvedTenant,
  query: string,
  cloud: CloudProfile = CLOUD_PROFILES.public,
): Record<string, unknown> {
  const base = `${authority}/${tenant.urlSegment}`;
  return {
    token_endpoint: `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    jwks_uri: `${authority}/common/discovery/keys${query}`,
    response_modes_supported: RESPONSE_MODES,
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    scopes_supported: ['openid'],
    issuer: issuerV1(tenant.tid, cloud.v1IssuerOrigin),
    microsoft_multi_refresh_token: true,
    authorization_endpoint: `${base}/oauth2/authorize`,
    device_authorization_endpoint: `${base}/oauth2/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/logout`,
    claims_supported: V1_CLAIMS,
    check_session_iframe: `${base}/oauth2/checksession`,
    userinfo_endpoint: `${base}/openid/userinfo`,
    kerberos_endpoint: `${base}/kerberos`,
    ...cloudFields(tenant, cloud),
  };
}

const B2C_CLAIMS = [
  'name',
  'sub',
  'idp',
  'oid',
  'tfp',
  'iss',
  'iat',
  'exp',
  'aud',
  'acr',
  'nonce',
  'auth_time',
];

/**
 * `/{tenant}/{policy}/v2.0/.well-known/openid-configuration` of an Azure AD B2C tenant: one per
 * policy. Its endpoints keep the tenant as requested (a name stays a name) and carry the policy as
 * `?p=`, as B2C's do; its `jwks_uri` is `/{tenant}/{policy}/discovery/v2.0/keys`.
 */
export function discoveryB2C(
  authority: string,
  segment: string,
  policy: string,
  issuer: string,
): Record<string, unknown> {
  const base = `${authority}/${segment}`;
  const p = `?p=${policy.toLowerCase()}`;
  return {
    issuer,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize${p}`,
    token_endpoint: `${base}/oauth2/v2.0/token${p}`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout${p}`,
    jwks_uri: `${base}/${policy}/discovery/v2.0/keys`,
    response_modes_supported: RESPONSE_MODES,
    response_types_supported: [
      'code',
      'code id_token',
      'code token',
      'code id_token token',
      'id_token',
      'id_token token',
      'token',
      'token id_token',
    ],
    scopes_supported: ['openid'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    claims_supported: B2C_CLAIMS,
  };
}

/** Entra's error timestamp format: `2026-11-28 12:00:00Z`. */
function entraTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** The body of an Entra error (400 for an unknown tenant), with its trace ids and AADSTS code. */
export function entraError(
  authority: string,
  nowMs: number,
  error: string,
  code: number,
  description: string,
): Record<string, unknown> {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = entraTimestamp(nowMs);
  return {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${authority}/error?code=${code}`,
  };
}

/** AADSTS90002, Entra's answer to a tenant segment that is neither a GUID nor a known domain or alias. */
export function unknownTenantError(
  authority: string,
  nowMs: number,
  segment: string,
): Record<string, unknown> {
  return entraError(
    authority,
    nowMs,
    'invalid_tenant',
    90002,
    `Tenant '${segment.slice(0, 100)}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  );
}
