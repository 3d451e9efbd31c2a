/**
 * The Orders API with Fastify and @org/entra-fastify: a public route, a route for a delegated
 * scope, a route for an app role (app-only), one that returns the caller; CORS for one single-page
 * app; OpenAPI with @fastify/swagger and Swagger UI whose Authorize button signs in with Entra
 * (authorization code flow with PKCE), as FastAPI's `OAuth2AuthorizationCodeBearer` does.
 */
import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  createEntraValidator,
  type EntraSecurityRequirementOptions,
  type EntraValidator,
  type EntraValidatorOptions,
  entraAuth,
  entraSecurityRequirement,
  entraSecurityScheme,
  isEntraValidator,
  requireAppOnly,
  requireRoles,
  requireScopes,
} from '@org/entra-fastify';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { describeCaller, ORDERS, ORDERS_EXPORT, ORDERS_READ } from './orders.js';

export const DEFAULT_ALLOWED_ORIGIN = 'http://localhost:5173';

/** The delegated scopes the API exposes, with the text Swagger UI shows next to each. */
export const API_SCOPES: Record<string, string> = {
  [ORDERS_READ]: 'Read your orders',
};

/** The app roles (application permissions) daemons can be granted. */
export const API_APP_ROLES: Record<string, string> = {
  [ORDERS_EXPORT]: 'Export every order',
};

export interface AppConfig {
  /**
   * Validator options (`{ tenantId, clientId }`, ...) or a validator you created (share one to warm
   * it up at start-up). A validator created here is closed with the app; yours is not.
   */
  auth: EntraValidatorOptions | EntraValidator;
  /** The single-page app allowed to call the API from a browser. Default `http://localhost:5173`. */
  allowedOrigin?: string;
  /** The client id Swagger UI's Authorize button signs in with (a SPA registration). */
  docsClientId?: string;
  /** Fastify's logger option. Default `false`. */
  logger?: FastifyServerOptions['logger'];
}

const authError = {
  type: 'object',
  required: ['error', 'error_description'],
  properties: { error: { type: 'string' }, error_description: { type: 'string' } },
} as const;

const order = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    item: { type: 'string' },
    quantity: { type: 'integer' },
    status: { type: 'string', enum: ['pending', 'shipped', 'delivered'] },
  },
} as const;

const caller = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['user', 'app'] },
    tenantId: { type: 'string' },
    objectId: { type: 'string' },
    clientId: { type: 'string' },
    username: { type: 'string' },
    name: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    roles: { type: 'array', items: { type: 'string' } },
    isGuest: { type: 'boolean' },
    tokenVersion: { type: 'string' },
    expiresAt: { type: 'string', format: 'date-time' },
  },
} as const;

const refusals = {
  401: { description: 'No token, or a token the API does not accept', ...authError },
  403: { description: 'The token lacks a permission this route needs', ...authError },
};

export async function createApp(config: AppConfig): Promise<FastifyInstance> {
  const owned = !isEntraValidator(config.auth);
  const validator = isEntraValidator(config.auth) ? config.auth : createEntraValidator(config.auth);
  const app = Fastify({ logger: config.logger ?? false });
  if (owned) app.addHook('onClose', async () => validator.close());

  // The route's security requirement says what its guards demand: the scopes of a user's token
  // (`entra`, sign-in), an app-only token (`entraApp`, client credentials), or either. A token can
  // also be pasted as is (bearerToken), e.g. one from `az account get-access-token`.
  const security = (requirement: EntraSecurityRequirementOptions) => [
    ...entraSecurityRequirement(validator, requirement),
    { bearerToken: [] },
  ];
  const scheme = entraSecurityScheme(validator, { scopes: API_SCOPES });

  // CORS at the root: it answers preflights (which never carry a token) before any auth, and
  // exposes WWW-Authenticate so the SPA can read why a call was refused.
  await app.register(cors, {
    origin: config.allowedOrigin ?? DEFAULT_ALLOWED_ORIGIN,
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['WWW-Authenticate'],
    maxAge: 600,
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Orders API (Fastify)',
        version: '1.0.0',
        description:
          'An API protected by Microsoft Entra ID access tokens with @org/entra-fastify. ' +
          '`GET /orders` needs the delegated scope `Orders.Read`; `POST /orders/export` needs an app-only ' +
          'token with the app role `Orders.Export`.',
      },
      components: {
        securitySchemes: {
          entra: scheme,
          entraApp: entraSecurityScheme(validator, { flow: 'clientCredentials', appRoles: API_APP_ROLES }),
          bearerToken: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'An Entra access token for this API, pasted as is.',
          },
        },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // Swagger UI runs the authorization code flow with PKCE, as a single-page app: register
    // <api origin>/docs/static/oauth2-redirect.html as a SPA redirect URI of that client.
    initOAuth: {
      clientId: config.docsClientId ?? '',
      usePkceWithAuthorizationCodeGrant: true,
      scopes: Object.keys(scheme.flows.authorizationCode.scopes),
    },
  });

  // Public: outside the plugin that registers entraAuth.
  app.get(
    '/health',
    {
      schema: {
        summary: 'Liveness check (public)',
        security: [],
        response: {
          200: { description: 'The API is up', type: 'object', properties: { status: { type: 'string' } } },
        },
      },
    },
    async () => ({ status: 'ok' }),
  );

  // Everything registered in here needs a valid access token for this API.
  await app.register(async (api) => {
    await api.register(entraAuth, { validator });

    api.get(
      '/me',
      {
        schema: {
          summary: 'The caller, as the API saw the token',
          security: security({ caller: 'any' }),
          response: { 200: { description: 'The verified caller', ...caller }, 401: refusals[401] },
        },
      },
      async (request) => describeCaller(request.auth!),
    );

    api.get(
      '/orders',
      {
        preHandler: requireScopes(ORDERS_READ),
        schema: {
          summary: `List orders (delegated scope ${ORDERS_READ})`,
          security: security({ scopes: [ORDERS_READ] }),
          response: {
            200: {
              description: 'The orders',
              type: 'object',
              properties: { orders: { type: 'array', items: order }, readBy: { type: 'string' } },
            },
            ...refusals,
          },
        },
      },
      async (request) => ({ orders: ORDERS, readBy: request.auth!.username ?? request.auth!.objectId }),
    );

    api.post(
      '/orders/export',
      {
        preHandler: [requireAppOnly(), requireRoles(ORDERS_EXPORT)],
        schema: {
          summary: `Export every order (app-only, app role ${ORDERS_EXPORT})`,
          description:
            `For daemons (client credentials): the calling app must be granted the application permission ` +
            `\`${ORDERS_EXPORT}\` (an app role of this API) and request \`<App ID URI>/.default\`. ` +
            'User tokens are refused.',
          security: security({ caller: 'app' }),
          response: {
            200: {
              description: 'The export',
              type: 'object',
              properties: {
                exportId: { type: 'string' },
                orders: { type: 'integer' },
                requestedBy: { type: 'string' },
              },
            },
            ...refusals,
          },
        },
      },
      async (request) => ({
        exportId: randomUUID(),
        orders: ORDERS.length,
        requestedBy: request.auth!.clientId,
      }),
    );
  });

  return app;
}
