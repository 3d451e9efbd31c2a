/**
 * The Orders API with Hono and @org/entra-hono: a public route, a route for a delegated scope, a
 * route for an app role (app-only), one that returns the caller; CORS for one single-page app; the
 * OpenAPI document and Swagger UI. Nothing here is Node-specific but the Swagger UI assets
 * (docs.ts): the same routes run on Bun, Deno and Workers.
 */
import {
  createEntraValidator,
  type EntraEnv,
  type EntraValidator,
  type EntraValidatorOptions,
  entraAuth,
  entraSecurityScheme,
  isEntraValidator,
  requireAppOnly,
  requireRoles,
  requireScopes,
} from '@org/entra-hono';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { swaggerUi } from './docs.js';
import { API_SCOPES, openApiDocument } from './openapi.js';
import { describeCaller, ORDERS, ORDERS_EXPORT, ORDERS_READ } from './orders.js';

export const DEFAULT_ALLOWED_ORIGIN = 'http://localhost:5173';

export interface AppConfig {
  /**
   * Validator options (`{ tenantId, clientId }`, ...) or a validator you created: share one to warm it
   * up at start-up and close it on shutdown.
   */
  auth: EntraValidatorOptions | EntraValidator;
  /** The single-page app allowed to call the API from a browser. Default `http://localhost:5173`. */
  allowedOrigin?: string;
  /** The client id Swagger UI signs in with (a SPA registration). */
  docsClientId?: string;
}

/** The Hono app, with the validator its routes use (`app.validator.close()` on shutdown). */
export type OrdersApp = Hono<EntraEnv> & { readonly validator: EntraValidator };

export function createApp(config: AppConfig): OrdersApp {
  const validator = isEntraValidator(config.auth) ? config.auth : createEntraValidator(config.auth);
  const app = new Hono<EntraEnv>();

  // CORS first: it answers the browser's preflight (which never carries a token) before any auth,
  // and exposes WWW-Authenticate so the SPA can read why a call was refused.
  app.use(
    cors({
      origin: config.allowedOrigin ?? DEFAULT_ALLOWED_ORIGIN,
      allowHeaders: ['Authorization', 'Content-Type'],
      exposeHeaders: ['WWW-Authenticate'],
      maxAge: 600,
    }),
  );

  // Public: no entraAuth on these paths.
  app.get('/health', (c) => c.json({ status: 'ok' }));
  const document = openApiDocument(validator);
  app.get('/openapi.json', (c) => c.json(document));
  const scheme = entraSecurityScheme(validator, { scopes: API_SCOPES });
  app.route(
    '/',
    swaggerUi({
      specUrl: '/openapi.json',
      clientId: config.docsClientId,
      scopes: Object.keys(scheme.flows.authorizationCode.scopes),
    }),
  );

  // Everything registered below needs a valid access token for this API. `use` returns the app
  // typed with the middleware's Env, so on these routes c.get('auth') is an EntraPrincipal.
  const api = app.use(entraAuth(validator));

  api.get('/me', (c) => c.json(describeCaller(c.get('auth'))));

  api.get('/orders', requireScopes(ORDERS_READ), (c) => {
    const caller = c.get('auth');
    return c.json({ orders: ORDERS, readBy: caller.username ?? caller.objectId });
  });

  api.post('/orders/export', requireAppOnly(), requireRoles(ORDERS_EXPORT), (c) =>
    c.json({ exportId: crypto.randomUUID(), orders: ORDERS.length, requestedBy: c.get('auth').clientId }),
  );

  app.notFound((c) => c.json({ error: 'not_found', error_description: 'No such route' }, 404));
  return Object.assign(app, { validator });
}
