/**
 * The Orders API as Azure Functions (v4 programming model) with @org/entra-azure-functions: a public
 * route, a route for a delegated scope, a route for an app role (app-only), one that returns the
 * caller; CORS for one single-page app; the OpenAPI document and Swagger UI.
 *
 * `registerOrdersApi(app, config)` registers every function with `app.http(...)`: `app` is
 * `@azure/functions`' own in src/index.ts (what `func start` and Azure load), and anything with the
 * same `http` method elsewhere (the local host of src/server.ts, the tests), so every run uses
 * exactly these handlers.
 */
import { randomUUID } from 'node:crypto';
import type { HttpFunctionOptions, HttpMethod } from '@azure/functions';
import {
  createEntraValidator,
  type EntraValidator,
  type EntraValidatorOptions,
  entraSecurityScheme,
  isEntraValidator,
  requireAppOnly,
  withEntraAuth,
} from '@org/entra-azure-functions';
import { withCors } from './cors.js';
import { swaggerUi } from './docs.js';
import { API_SCOPES, openApiDocument } from './openapi.js';
import { describeCaller, ORDERS, ORDERS_EXPORT, ORDERS_READ } from './orders.js';

export const DEFAULT_ALLOWED_ORIGIN = 'http://localhost:5173';

export interface AppConfig {
  /**
   * Validator options (`{ tenantId, clientId }`, ...) or a validator you created: share one to warm it
   * up at start-up. All the functions share one validator (one key cache).
   */
  auth: EntraValidatorOptions | EntraValidator;
  /** The single-page app allowed to call the API from a browser. Default `http://localhost:5173`. */
  allowedOrigin?: string;
  /** The client id Swagger UI signs in with (a SPA registration). */
  docsClientId?: string;
}

/** What `registerOrdersApi` needs of `@azure/functions`' `app`. */
export interface FunctionsApp {
  http(name: string, options: HttpFunctionOptions): void;
}

export function registerOrdersApi(app: FunctionsApp, config: AppConfig): { validator: EntraValidator } {
  const validator = isEntraValidator(config.auth) ? config.auth : createEntraValidator(config.auth);
  const origin = config.allowedOrigin ?? DEFAULT_ALLOWED_ORIGIN;
  // Entra ID decides who gets in: no function keys. CORS first (it answers preflights), then auth.
  const route = (
    name: string,
    path: string,
    methods: HttpMethod[],
    handler: Parameters<typeof withCors>[1],
  ) =>
    app.http(name, {
      route: path,
      methods: [...methods, 'OPTIONS'],
      authLevel: 'anonymous',
      handler: withCors({ origin, methods }, handler),
    });

  // Public.
  route('health', 'health', ['GET'], async () => ({ jsonBody: { status: 'ok' } }));
  const document = openApiDocument(validator);
  route('openapi', 'openapi.json', ['GET'], async () => ({ jsonBody: document }));
  const scheme = entraSecurityScheme(validator, { scopes: API_SCOPES });
  const docs = swaggerUi({
    specUrl: '/openapi.json',
    clientId: config.docsClientId,
    scopes: Object.keys(scheme.flows.authorizationCode.scopes),
  });
  app.http('docs', { route: 'docs/{file?}', methods: ['GET'], authLevel: 'anonymous', handler: docs });

  // Any valid access token for this API.
  route(
    'me',
    'me',
    ['GET'],
    withEntraAuth(validator, (_request, user) => ({ jsonBody: describeCaller(user) })),
  );

  // A user's token with the delegated scope Orders.Read.
  route(
    'listOrders',
    'orders',
    ['GET'],
    withEntraAuth(
      validator,
      (_request, user) => ({ jsonBody: { orders: ORDERS, readBy: user.username ?? user.objectId } }),
      { scopes: ORDERS_READ },
    ),
  );

  // A daemon's app-only token with the app role Orders.Export.
  route(
    'exportOrders',
    'orders/export',
    ['POST'],
    withEntraAuth(
      validator,
      (_request, daemon) => {
        requireAppOnly(daemon); // answered 403 like the wrapper's own refusals
        return { jsonBody: { exportId: randomUUID(), orders: ORDERS.length, requestedBy: daemon.clientId } };
      },
      { roles: ORDERS_EXPORT },
    ),
  );

  return { validator };
}
