/**
 * The Orders API with Koa, @koa/router and @org/entra-koa: a public route, a route for a delegated
 * scope, a route for an app role (app-only), one that returns the caller; CORS for one single-page
 * app; the OpenAPI document and Swagger UI.
 */
import { randomUUID } from 'node:crypto';
import cors from '@koa/cors';
import Router from '@koa/router';
import {
  type EntraValidator,
  type EntraValidatorOptions,
  entraAuth,
  entraSecurityScheme,
  requireAppOnly,
  requireRoles,
  requireScopes,
} from '@org/entra-koa';
import Koa from 'koa';
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

/** The Koa app, with the validator its routes use (`app.validator.close()` on shutdown). */
export type OrdersApp = Koa & { readonly validator: EntraValidator };

export function createApp(config: AppConfig): OrdersApp {
  // One middleware instance, so one validator (one key cache) for every protected route.
  const auth = entraAuth(config.auth);
  const app = Object.assign(new Koa(), { validator: auth.validator });

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

  const router = new Router();

  // Public: no auth middleware on this route.
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  const document = openApiDocument(auth.validator);
  router.get('/openapi.json', (ctx) => {
    ctx.body = document;
  });
  const scheme = entraSecurityScheme(auth.validator, { scopes: API_SCOPES });
  swaggerUi(router, {
    specUrl: '/openapi.json',
    clientId: config.docsClientId,
    scopes: Object.keys(scheme.flows.authorizationCode.scopes),
  });

  // Any valid access token for this API.
  router.get('/me', auth, (ctx) => {
    ctx.body = describeCaller(ctx.state.auth!);
  });

  router.get('/orders', auth, requireScopes(ORDERS_READ), (ctx) => {
    ctx.body = { orders: ORDERS, readBy: ctx.state.auth!.username ?? ctx.state.auth!.objectId };
  });

  router.post('/orders/export', auth, requireAppOnly(), requireRoles(ORDERS_EXPORT), (ctx) => {
    ctx.body = { exportId: randomUUID(), orders: ORDERS.length, requestedBy: ctx.state.auth!.clientId };
  });

  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
