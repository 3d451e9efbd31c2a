import {
  type EntraClientCredentialsOpenApiOptions,
  EntraConfigError,
  type EntraOpenApiOptions,
  type EntraValidator,
  entraSecurityRequirement,
  entraSecurityScheme,
  isEntraValidator,
} from '@org/entra-core';
import { ENTRA_VALIDATOR } from './tokens.js';

/**
 * What `addEntraSecurity` writes to: `@nestjs/swagger`'s `DocumentBuilder` (its `addOAuth2`), or the
 * OpenAPI document `SwaggerModule.createDocument` returned.
 *
 * @example
 * ```ts
 * const target: EntraSwaggerTarget = new DocumentBuilder().setTitle('Orders API');
 * ```
 */
export type EntraSwaggerTarget =
  | { addOAuth2(options?: object, name?: string): unknown }
  | { openapi: string; components?: { securitySchemes?: Record<string, unknown> }; paths?: object };

/**
 * Options of `addEntraSecurity`: the core's `EntraOpenApiOptions` (`scopes` with their descriptions,
 * `appIdUri`, ...) for the authorization code scheme of users, or its
 * `EntraClientCredentialsOpenApiOptions` (`flow: 'clientCredentials'`, `appRoles`) for the scheme of
 * app-only routes; and the scheme's name (default `entra`, or `entraApp` for client credentials).
 *
 * @example
 * ```ts
 * const options: EntraSwaggerOptions = { scopes: { 'Orders.Read': 'Read your orders' }, schemeName: 'entra' };
 * const daemons: EntraSwaggerOptions = { flow: 'clientCredentials', appRoles: { 'Orders.Export': 'Export orders' } };
 * ```
 */
export type EntraSwaggerOptions = (EntraOpenApiOptions | EntraClientCredentialsOpenApiOptions) & {
  schemeName?: string;
};

function validatorOf(source: EntraValidator | { get(token: symbol): unknown }): EntraValidator {
  const validator = isEntraValidator(source) ? source : source.get(ENTRA_VALIDATOR);
  if (!isEntraValidator(validator)) {
    throw new EntraConfigError(
      'addEntraSecurity: pass the app (with EntraAuthModule imported) or a validator from createEntraValidator',
    );
  }
  return validator;
}

/**
 * Adds an Entra security scheme to a `DocumentBuilder`, or to a document. By default the OAuth2
 * authorization code flow against the tenant (which Swagger UI runs with PKCE), named `entra`: in a
 * document, the scopes of each operation's `@ApiOAuth2(['Orders.Read'], 'entra')` become the full
 * scope URIs a client requests (`api://<client id>/Orders.Read`). With `flow: 'clientCredentials'`,
 * the scheme of app-only routes, named `entraApp`: an operation's `@ApiOAuth2([], 'entraApp')`
 * becomes `<App ID URI>/.default`, the one scope a daemon can request. Call it once per scheme.
 * `source` is the app (its `EntraAuthModule` validator) or a validator.
 *
 * @example
 * ```ts
 * const config = new DocumentBuilder().setTitle('Orders API').build();
 * let document = addEntraSecurity(SwaggerModule.createDocument(app, config), app, {
 *   scopes: { 'Orders.Read': 'Read your orders' },
 * });
 * document = addEntraSecurity(document, app, { flow: 'clientCredentials', appRoles: { 'Orders.Export': 'Export orders' } });
 * SwaggerModule.setup('docs', app, document);
 * ```
 */
export function addEntraSecurity<T extends EntraSwaggerTarget>(
  target: T,
  source: EntraValidator | { get(token: symbol): unknown },
  options: EntraSwaggerOptions,
): T {
  const validator = validatorOf(source);
  const { schemeName, ...schemeOptions } = options;
  const forApps = schemeOptions.flow === 'clientCredentials';
  const name = schemeName ?? (forApps ? 'entraApp' : 'entra');
  const scheme = entraSecurityScheme(validator, schemeOptions as EntraOpenApiOptions);
  if ('addOAuth2' in target && typeof target.addOAuth2 === 'function') {
    target.addOAuth2(scheme, name);
    return target;
  }
  const document = target as Exclude<EntraSwaggerTarget, { addOAuth2: unknown }>;
  document.components ??= {};
  document.components.securitySchemes = { ...document.components.securitySchemes, [name]: scheme };
  const appIdUri = options.appIdUri;
  for (const operations of Object.values(document.paths ?? {}) as Array<Record<string, unknown>>) {
    for (const operation of Object.values(operations ?? {})) {
      const security = (operation as { security?: Array<Record<string, string[]>> } | null)?.security;
      for (const requirement of Array.isArray(security) ? security : []) {
        const scopes = requirement[name];
        if (!Array.isArray(scopes)) continue;
        if (forApps) {
          requirement[name] = entraSecurityRequirement(validator, {
            caller: 'app',
            appSchemeName: name,
            appIdUri,
          })[0]![name]!;
          continue;
        }
        const short = scopes.filter((s) => !s.includes('/'));
        const full = entraSecurityRequirement(validator, short, { schemeName: name, appIdUri })[0]![name]!;
        requirement[name] = [...scopes.filter((s) => s.includes('/')), ...full];
      }
    }
  }
  return target;
}
