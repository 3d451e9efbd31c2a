/**
 * OpenAPI 3 descriptions of an Entra-protected API, as FastAPI's `OAuth2AuthorizationCodeBearer`
 * gives: a security scheme (authorization code flow against Entra, which Swagger UI runs with PKCE)
 * and per-operation requirements listing the scopes each route's guard demands.
 */
import { EntraConfigError } from './errors.js';
import { GUID_RE } from './ids.js';
import type { EntraValidator, EntraValidatorConfig } from './validator.js';

/**
 * Options of {@link entraSecurityScheme}.
 *
 * @example
 * ```ts
 * const options: EntraOpenApiOptions = {
 *   scopes: { 'Orders.Read': 'Read your orders', 'Orders.Write': 'Create and change orders' },
 *   description: 'Sign in with your work or school account',
 * };
 * const scheme = entraSecurityScheme(validator, options);
 * ```
 */
export interface EntraOpenApiOptions {
  /** The API's delegated scopes, by short name (`Orders.Read`), with a description each. */
  scopes: Record<string, string>;
  /** The App ID URI scopes are prefixed with. Default: the first `api://` audience, else `api://{clientId}`. */
  appIdUri?: string;
  /** Override the authorize endpoint (default: derived from the authority and tenant). */
  authorizationUrl?: string;
  /** Override the token endpoint (default: derived from the authority and tenant). */
  tokenUrl?: string;
  /** Shown in the docs page. */
  description?: string;
}

/**
 * An OpenAPI 3 OAuth2 security scheme object.
 *
 * @example
 * ```ts
 * const entra: OpenApiOAuth2Scheme = entraSecurityScheme(validator, { scopes: { 'Orders.Read': 'Read orders' } });
 * const document = { openapi: '3.0.3', components: { securitySchemes: { entra } } };
 * ```
 */
export interface OpenApiOAuth2Scheme {
  type: 'oauth2';
  description: string;
  flows: {
    authorizationCode: {
      authorizationUrl: string;
      tokenUrl: string;
      refreshUrl: string;
      scopes: Record<string, string>;
    };
  };
}

function configOf(source: EntraValidator | EntraValidatorConfig): EntraValidatorConfig {
  return 'config' in source ? source.config : source;
}

function appIdUriOf(config: EntraValidatorConfig, options: { appIdUri?: string }): string {
  const uri =
    options.appIdUri ??
    // The App ID URI is the audience that is not the bare client id: `api://…` or a custom one
    // (`https://contoso.com/orders`), which is what clients prefix their scopes with.
    config.audiences.find((a) => a.startsWith('api://')) ??
    config.audiences.find((a) => !GUID_RE.test(a)) ??
    (config.clientId ? `api://${config.clientId}` : undefined);
  if (uri === undefined) {
    throw new EntraConfigError(
      'Set appIdUri (e.g. api://<client id>): the scopes a client requests are prefixed with it',
    );
  }
  return uri.replace(/\/+$/, '');
}

function endpoints(config: EntraValidatorConfig): { authorize: string; token: string } {
  const base =
    config.authority !== undefined
      ? `${config.authority}/${config.tenantId}`
      : config.discoveryUrl.replace(/\/v2\.0\/\.well-known\/openid-configuration$/, '');
  return { authorize: `${base}/oauth2/v2.0/authorize`, token: `${base}/oauth2/v2.0/token` };
}

/**
 * The OpenAPI 3 security scheme for a validator's configuration: OAuth2 authorization code flow
 * against Entra (Swagger UI: set `usePkceWithAuthorizationCodeGrant: true`, and register its
 * redirect URI as a single-page application in Entra). Scope keys are full scope URIs
 * (`api://<client id>/Orders.Read`), which is what a client must request.
 *
 * @example
 * ```ts
 * const scheme = entraSecurityScheme(validator, { scopes: { 'Orders.Read': 'Read orders' } });
 * // components.securitySchemes.entra = scheme
 * ```
 */
export function entraSecurityScheme(
  source: EntraValidator | EntraValidatorConfig,
  options: EntraOpenApiOptions,
): OpenApiOAuth2Scheme {
  const config = configOf(source);
  if (
    typeof options !== 'object' ||
    options === null ||
    typeof options.scopes !== 'object' ||
    options.scopes === null
  ) {
    throw new EntraConfigError(
      "entraSecurityScheme needs { scopes }, e.g. { scopes: { 'Orders.Read': 'Read orders' } }",
    );
  }
  const prefix = appIdUriOf(config, options);
  const scopes: Record<string, string> = {};
  for (const [name, description] of Object.entries(options.scopes))
    scopes[`${prefix}/${name}`] = String(description);
  const { authorize, token } = endpoints(config);
  return {
    type: 'oauth2',
    description:
      options.description ?? 'Microsoft Entra ID: sign in and consent to the scopes this API needs.',
    flows: {
      authorizationCode: {
        authorizationUrl: options.authorizationUrl ?? authorize,
        tokenUrl: options.tokenUrl ?? token,
        refreshUrl: options.tokenUrl ?? token,
        scopes,
      },
    },
  };
}

/**
 * An operation's security requirement: the scheme name and the full URIs of the scopes its guard
 * demands (an empty list for routes that only need a valid token).
 *
 * @example
 * ```ts
 * const security = entraSecurityRequirement(validator, ['Orders.Read']); // [{ entra: ['api://<id>/Orders.Read'] }]
 * ```
 */
export function entraSecurityRequirement(
  source: EntraValidator | EntraValidatorConfig,
  scopes: readonly string[] = [],
  options: { schemeName?: string; appIdUri?: string } = {},
): Array<Record<string, string[]>> {
  const prefix = scopes.length > 0 ? appIdUriOf(configOf(source), options) : '';
  return [{ [options.schemeName ?? 'entra']: scopes.map((s) => `${prefix}/${s}`) }];
}
