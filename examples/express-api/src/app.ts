/**
 * The Orders API with Express and @org/entra-express: a public route, a route for a delegated
 * scope, a route for an app role (app-only), one that returns the caller; CORS for one single-page
 * app; the OpenAPI document and Swagger UI.
 */
import { randomUUID } from 'node:crypto';
import {
  createEntraValidator,
  type EntraValidator,
  type EntraValidatorOptions,
  entraAuth,
  entraErrorHandler,
  entraSecurityScheme,
  isEntraValidator,
  requireAppOnly,
  requireRoles,
  requireScopes,
} from '@org/entra-express';
import cors from 'cors';
import express, { type Express } from 'express';
import { swaggerUi } from './docs.js';
import { API_SCOPES, openApiDocument } from './openapi.js';
import { describeCaller, ORDERS, ORDERS_EXPORT, ORDERS_READ } from './orders.js';

export const DEFAULT_ALLOWED_ORIGIN = 'http://localhost:5173';

export interface AppConfig {
  /**
   * Validator options (`{ tenantId, clientId }`, ...) or a validator you created: share one to warm it
   * up at start-up and close it on shutdown. A validator created from options is `app.locals.validator`.
   */
  auth: EntraValidatorOptions | EntraValidator;
  /** The single-page app allowed to call the API from a browser. Default `http://localhost:5173`. */
  allowedOrigin?: string;
  /** The client id Swagger UI signs in with (a SPA registration). */
  docsClientId?: string;
}

export function createApp(config: AppConfig): Express {
  const validator = isEntraValidator(config.auth) ? config.auth : createEntraValidator(config.auth);
  const app = express();
  app.disable('x-powered-by');
  app.locals.validator = validator;

  // CORS first: it answers the browser's preflight (which never carries a token) before any auth,
  // and exposes WWW-Authenticate so the SPA can read why a call was refused.
  app.use(
    cors({
      origin: config.allowedOrigin ?? DEFAULT_ALLOWED_ORIGIN,
      allowedHeaders: ['Authorization', 'Content-Type'],
      exposedHeaders: ['WWW-Authenticate'],
      maxAge: 600,
    }),
  );

  // Public: before entraAuth.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const document = openApiDocument(validator);
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  const scheme = entraSecurityScheme(validator, { scopes: API_SCOPES });
  app.use(
    swaggerUi({
      specUrl: '/openapi.json',
      clientId: config.docsClientId,
      scopes: Object.keys(scheme.flows.authorizationCode.scopes),
    }),
  );

  // Everything below needs a valid access token for this API.
  app.use(entraAuth(validator));

  app.get('/me', (req, res) => {
    res.json(describeCaller(req.auth!));
  });

  app.get('/orders', requireScopes(ORDERS_READ), (req, res) => {
    res.json({ orders: ORDERS, readBy: req.auth!.username ?? req.auth!.objectId });
  });

  app.post('/orders/export', requireAppOnly(), requireRoles(ORDERS_EXPORT), (req, res) => {
    res.json({ exportId: randomUUID(), orders: ORDERS.length, requestedBy: req.auth!.clientId });
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', error_description: 'No such route' });
  });
  // An EntraAuthError thrown by a handler (requireAuthContext, a createRoleCheck check) is answered
  // like the guards' refusals; any other error goes on to Express' own handler.
  app.use(entraErrorHandler());
  return app;
}
