/**
 * OpenAPI 3 descriptions of an Entra-protected API, as FastAPI's `OAuth2AuthorizationCodeBearer`
 * gives: security schemes (the authorization code flow, which Swagger UI runs with PKCE, for users;
 * the client credentials flow for daemons) and per-operation requirements naming the scheme and the
 * scopes each route's guard demands.
 */
import { EntraConfigError } from './errors.js';
import { GUID_RE } from './ids.js';
import { own } from './option-checks.js';
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
  /** The flow: `'authorizationCode'` (the default, for users). For daemons, see {@link EntraClientCredentialsOpenApiOptions}. */
  flow?: 'authorizationCode';
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

/**
 * Options of {@link entraSecurityScheme} for the scheme of app-only routes: the OAuth2 client
 * credentials flow, whose only scope is `<App ID URI>/.default` (a daemon gets the application
 * permissions, the app roles, it was granted; it cannot ask for one role).
 *
 * @example
 * ```ts
 * const options: EntraClientCredentialsOpenApiOptions = {
 *   flow: 'clientCredentials',
 *   appRoles: { 'Orders.Export': 'Export every order' },
 * };
 * const entraApp = entraSecurityScheme(validator, options);
 * ```
 */
export interface EntraClientCredentialsOpenApiOptions {
  flow: 'clientCredentials';
  /** The API's app roles that applications can be granted, by name, with a description each (listed in the scheme's description). */
  appRoles?: Record<string, string>;
  /** The App ID URI of the `.default` scope. Default: the first `api://` audience, else `api://{clientId}`. */
  appIdUri?: string;
  /**
   * Override the token endpoint. Default: derived from the authority and tenant; required for a
   * multi-tenant validator (`organizations`, `common`), because client credentials are requested
   * from the calling app's own tenant.
   */
  tokenUrl?: string;
  /** Shown in the docs page. */
  description?: string;
}

/**
 * An OpenAPI 3 OAuth2 security scheme object with the client credentials flow: what app-only routes
 * name in their requirement (see {@link entraSecurityRequirement}'s `caller`).
 *
 * @example
 * ```ts
 * const entraApp: OpenApiClientCredentialsScheme = entraSecurityScheme(validator, { flow: 'clientCredentials' });
 * entraApp.flows.clientCredentials.scopes; // { 'api://<client id>/.default': '...' }
 * ```
 */
export interface OpenApiClientCredentialsScheme {
  type: 'oauth2';
  description: string;
  flows: {
    clientCredentials: {
      tokenUrl: string;
      scopes: Record<string, string>;
    };
  };
}

function configOf(source: EntraValidator | EntraValidatorConfig): EntraValidatorConfig {
  return 'config' in source ? source.config : source;
}

function appIdUriOf(config: EntraValidatorConfig, options: { appIdUri?: string | undefined }): string {
  const uri =
    own(options, 'appIdUri') ??
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
 * The OpenAPI 3 security scheme for a validator's configuration, for `components.securitySchemes`.
 *
 * - By default, the OAuth2 authorization code flow against Entra, for users (Swagger UI: set
 *   `usePkceWithAuthorizationCodeGrant: true`, and register its redirect URI as a single-page
 *   application in Entra). Scope keys are full scope URIs (`api://<client id>/Orders.Read`), which is
 *   what a client must request.
 * - With `flow: 'clientCredentials'`, the client credentials flow, for daemons calling app-only
 *   routes: its one scope is `<App ID URI>/.default`, and the app roles are listed in its description.
 *
 * Declare each under the name {@link entraSecurityRequirement} uses: `entra` and `entraApp`.
 *
 * @example
 * ```ts
 * const securitySchemes = {
 *   entra: entraSecurityScheme(validator, { scopes: { 'Orders.Read': 'Read orders' } }),
 *   entraApp: entraSecurityScheme(validator, { flow: 'clientCredentials', appRoles: { 'Orders.Export': 'Export orders' } }),
 * };
 * ```
 */
export function entraSecurityScheme(
  source: EntraValidator | EntraValidatorConfig,
  options: EntraOpenApiOptions,
): OpenApiOAuth2Scheme;
export function entraSecurityScheme(
  source: EntraValidator | EntraValidatorConfig,
  options: EntraClientCredentialsOpenApiOptions,
): OpenApiClientCredentialsScheme;
export function entraSecurityScheme(
  source: EntraValidator | EntraValidatorConfig,
  options: EntraOpenApiOptions | EntraClientCredentialsOpenApiOptions,
): OpenApiOAuth2Scheme | OpenApiClientCredentialsScheme {
  const config = configOf(source);
  const given: Partial<Record<'flow' | 'scopes', unknown>> =
    typeof options === 'object' && options !== null ? options : {};
  if (own(given, 'flow') === 'clientCredentials') {
    return clientCredentialsScheme(config, options as EntraClientCredentialsOpenApiOptions);
  }
  const scopesGiven = own(given, 'scopes');
  if (
    (own(given, 'flow') ?? 'authorizationCode') !== 'authorizationCode' ||
    typeof scopesGiven !== 'object' ||
    scopesGiven === null
  ) {
    throw new EntraConfigError(
      "entraSecurityScheme needs { scopes }, e.g. { scopes: { 'Orders.Read': 'Read orders' } }, or { flow: 'clientCredentials' } for app-only routes",
    );
  }
  const opts = options as EntraOpenApiOptions;
  const prefix = appIdUriOf(config, opts);
  const scopes: Record<string, string> = {};
  for (const [name, description] of Object.entries(scopesGiven))
    scopes[`${prefix}/${name}`] = String(description);
  const { authorize, token } = endpoints(config);
  return {
    type: 'oauth2',
    description:
      own(opts, 'description') ?? 'Microsoft Entra ID: sign in and consent to the scopes this API needs.',
    flows: {
      authorizationCode: {
        authorizationUrl: own(opts, 'authorizationUrl') ?? authorize,
        tokenUrl: own(opts, 'tokenUrl') ?? token,
        refreshUrl: own(opts, 'tokenUrl') ?? token,
        scopes,
      },
    },
  };
}

function clientCredentialsScheme(
  config: EntraValidatorConfig,
  options: EntraClientCredentialsOpenApiOptions,
): OpenApiClientCredentialsScheme {
  const tokenUrl = own(options, 'tokenUrl');
  if (tokenUrl === undefined && config.multiTenant) {
    throw new EntraConfigError(
      `entraSecurityScheme: a daemon requests client credentials from its own tenant's token endpoint, and this validator accepts several tenants (${config.tenantId}): pass tokenUrl, e.g. { flow: 'clientCredentials', tokenUrl: 'https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token' }`,
    );
  }
  const appRoles = own(options, 'appRoles');
  if (appRoles !== undefined && (typeof appRoles !== 'object' || appRoles === null)) {
    throw new EntraConfigError(
      "entraSecurityScheme: appRoles is an object of role names and descriptions, e.g. { 'Orders.Export': 'Export orders' }",
    );
  }
  const scope = `${appIdUriOf(config, options)}/.default`;
  const roles = Object.entries(appRoles ?? {}).map(([name, text]) => `\`${name}\` (${String(text)})`);
  const description =
    own(options, 'description') ??
    `Microsoft Entra ID, app-only (client credentials): a daemon requests \`${scope}\` and gets the application permissions (app roles) an administrator granted it${roles.length > 0 ? `: ${roles.join(', ')}` : ''}.`;
  return {
    type: 'oauth2',
    description,
    flows: {
      clientCredentials: {
        tokenUrl: tokenUrl ?? endpoints(config).token,
        scopes: { [scope]: 'The application permissions (app roles) granted to the calling app' },
      },
    },
  };
}

/**
 * Options of {@link entraSecurityRequirement}.
 *
 * @example
 * ```ts
 * const options: EntraSecurityRequirementOptions = { caller: 'app' };
 * const security = entraSecurityRequirement(validator, options); // [{ entraApp: ['api://<id>/.default'] }]
 * ```
 */
export interface EntraSecurityRequirementOptions {
  /** The delegated scopes the route's guard demands, by short name (`Orders.Read`). */
  scopes?: readonly string[];
  /**
   * Who may call the route: `'user'` (default: delegated tokens, the authorization code scheme),
   * `'app'` (app-only tokens, as behind `requireAppOnly`: the client credentials scheme with
   * `<App ID URI>/.default`), or `'any'` (either: the two requirements as alternatives, as for a
   * route that needs only a valid token, or `requireScopeOrRole`).
   */
  caller?: 'user' | 'app' | 'any';
  /** The name of the authorization code scheme in `components.securitySchemes`. Default `entra`. */
  schemeName?: string;
  /** The name of the client credentials scheme in `components.securitySchemes`. Default `entraApp`. */
  appSchemeName?: string;
  /** The App ID URI scopes are prefixed with (default: as in {@link entraSecurityScheme}). */
  appIdUri?: string;
}

const CALLERS: readonly unknown[] = ['user', 'app', 'any'];

/**
 * An operation's `security`: which scheme a caller's token comes from, and the full URIs of the
 * scopes the route's guard demands (an empty list for routes that only need a valid token).
 * Delegated routes name the authorization code scheme (`entra`); app-only routes (`caller: 'app'`)
 * the client credentials scheme (`entraApp`) with `<App ID URI>/.default`, since no user sign-in
 * can produce an app-only token; `caller: 'any'` lists both, either satisfies.
 *
 * @example
 * ```ts
 * entraSecurityRequirement(validator, ['Orders.Read']); // [{ entra: ['api://<id>/Orders.Read'] }]
 * entraSecurityRequirement(validator, { caller: 'app' }); // [{ entraApp: ['api://<id>/.default'] }]
 * entraSecurityRequirement(validator, { caller: 'any' }); // [{ entra: [] }, { entraApp: ['api://<id>/.default'] }]
 * ```
 */
export function entraSecurityRequirement(
  source: EntraValidator | EntraValidatorConfig,
  scopes?: readonly string[],
  options?: Omit<EntraSecurityRequirementOptions, 'scopes'>,
): Array<Record<string, string[]>>;
export function entraSecurityRequirement(
  source: EntraValidator | EntraValidatorConfig,
  options: EntraSecurityRequirementOptions,
): Array<Record<string, string[]>>;
export function entraSecurityRequirement(
  source: EntraValidator | EntraValidatorConfig,
  scopesOrOptions: readonly string[] | EntraSecurityRequirementOptions = [],
  moreOptions: Omit<EntraSecurityRequirementOptions, 'scopes'> = {},
): Array<Record<string, string[]>> {
  const options: EntraSecurityRequirementOptions = Array.isArray(scopesOrOptions)
    ? { ...moreOptions, scopes: scopesOrOptions }
    : (scopesOrOptions as EntraSecurityRequirementOptions);
  if (typeof options !== 'object' || options === null) {
    throw new EntraConfigError(
      "entraSecurityRequirement: pass the route's scopes (['Orders.Read']) or options ({ caller: 'app' })",
    );
  }
  const scopes = own(options, 'scopes') ?? [];
  const caller = own(options, 'caller') ?? 'user';
  if (!CALLERS.includes(caller)) {
    throw new EntraConfigError("entraSecurityRequirement: caller is 'user' (default), 'app' or 'any'");
  }
  if (caller === 'app' && scopes.length > 0) {
    throw new EntraConfigError(
      'entraSecurityRequirement: app-only tokens carry no delegated scopes (their permissions are app roles): drop scopes, or use caller: "any"',
    );
  }
  const config = configOf(source);
  const appIdUri = own(options, 'appIdUri');
  const prefix = scopes.length > 0 || caller !== 'user' ? appIdUriOf(config, { appIdUri }) : '';
  const user = { [own(options, 'schemeName') ?? 'entra']: scopes.map((s) => `${prefix}/${s}`) };
  const app = { [own(options, 'appSchemeName') ?? 'entraApp']: [`${prefix}/.default`] };
  return caller === 'user' ? [user] : caller === 'app' ? [app] : [user, app];
}
