/**
 * The Orders API with Hono and @org/entra-fetch: a public route, a route for a delegated scope, a
 * route for an app role (app-only), one that returns the caller; CORS for one single-page app.
 * The handlers are plain `(Request) => Response` functions wrapped by `withEntraAuth`, so the same
 * code runs on Node (@hono/node-server), Bun, Deno and Workers.
 */
import {
  type EntraValidator,
  type EntraValidatorOptions,
  requireAppOnly,
  withEntraAuth,
} from '@org/entra-fetch';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
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
}

/** The Hono app, with the validator its routes use (`app.validator.close()` on shutdown). */
export type OrdersApp = Hono & { readonly validator: EntraValidator };

export function createApp(config: AppConfig): OrdersApp {
  // CORS preflights are answered by the cors middleware first (and a preflight that got past it would
  // be answered 204 by the wrapper), so every request that reaches a handler is authenticated: the
  // principal is typed as always present.

  // The first wrapper gets the options (or your validator); the others share its validator.
  const me = withEntraAuth(config.auth, (_request, caller) => Response.json(describeCaller(caller)));
  const validator = me.validator;

  const listOrders = withEntraAuth(
    validator,
    (_request, caller) => Response.json({ orders: ORDERS, readBy: caller.username ?? caller.objectId }),
    { scopes: ORDERS_READ },
  );

  const exportOrders = withEntraAuth(
    validator,
    (_request, caller) => {
      requireAppOnly(caller); // thrown EntraAuthErrors are answered like the wrapper's own (403)
      return Response.json({
        exportId: crypto.randomUUID(),
        orders: ORDERS.length,
        requestedBy: caller.clientId,
      });
    },
    { roles: ORDERS_EXPORT },
  );

  const app = new Hono();
  // CORS first: it answers the browser's preflight (which never carries a token) before any auth,
  // and exposes WWW-Authenticate so the SPA can read why a call was refused.
  app.use(
    '*',
    cors({
      origin: config.allowedOrigin ?? DEFAULT_ALLOWED_ORIGIN,
      allowHeaders: ['Authorization', 'Content-Type'],
      exposeHeaders: ['WWW-Authenticate'],
      maxAge: 600,
    }),
  );
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/me', (c) => me(c.req.raw));
  app.get('/orders', (c) => listOrders(c.req.raw));
  app.post('/orders/export', (c) => exportOrders(c.req.raw));
  return Object.assign(app, { validator });
}
