/**
 * The API's OpenAPI 3 document, as FastAPI's `OAuth2AuthorizationCodeBearer` gives: two Entra
 * security schemes, `entra` for users (authorization code flow with PKCE against the tenant's
 * authorize and token endpoints) and `entraApp` for daemons (client credentials, `<App ID URI>/.default`),
 * and on each operation the requirement its guards demand. Built from the validator's configuration,
 * so the tenant and the App ID URI are never written twice.
 */
import {
  type EntraSecurityRequirementOptions,
  type EntraValidator,
  entraSecurityRequirement,
  entraSecurityScheme,
} from '@org/entra-hono';
import { ORDERS_EXPORT, ORDERS_READ } from './orders.js';

/** The delegated scopes the API exposes, with the text Swagger UI shows next to each. */
export const API_SCOPES: Record<string, string> = {
  [ORDERS_READ]: 'Read your orders',
};

/** The app roles (application permissions) daemons can be granted. */
export const API_APP_ROLES: Record<string, string> = {
  [ORDERS_EXPORT]: 'Export every order',
};

const problem = (description: string) => ({
  description,
  content: {
    'application/json': {
      schema: { $ref: '#/components/schemas/AuthError' },
    },
  },
});

export function openApiDocument(validator: EntraValidator): Record<string, unknown> {
  // Either a token from the Entra scheme the route's callers use (users sign in with the Authorize
  // button; daemons use client credentials), or one pasted as is (`az account get-access-token`, or
  // one the local look-alike printed).
  const security = (requirement: EntraSecurityRequirementOptions) => [
    ...entraSecurityRequirement(validator, requirement),
    { bearerToken: [] },
  ];
  return {
    openapi: '3.0.3',
    info: {
      title: 'Orders API (Hono)',
      version: '1.0.0',
      description:
        'An API protected by Microsoft Entra ID access tokens with @org/entra-hono. ' +
        '`GET /orders` needs the delegated scope `Orders.Read`; `POST /orders/export` needs an app-only ' +
        'token with the app role `Orders.Export`.',
    },
    components: {
      securitySchemes: {
        entra: entraSecurityScheme(validator, { scopes: API_SCOPES }),
        entraApp: entraSecurityScheme(validator, { flow: 'clientCredentials', appRoles: API_APP_ROLES }),
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An Entra access token for this API, pasted as is.',
        },
      },
      schemas: {
        AuthError: {
          type: 'object',
          required: ['error', 'error_description'],
          properties: { error: { type: 'string' }, error_description: { type: 'string' } },
        },
      },
    },
    paths: {
      '/health': {
        get: {
          summary: 'Liveness check (public)',
          security: [],
          responses: { '200': { description: 'The API is up' } },
        },
      },
      '/me': {
        get: {
          summary: 'The caller, as the API saw the token',
          security: security({ caller: 'any' }),
          responses: {
            '200': { description: 'The verified caller' },
            '401': problem('No token, or a token the API does not accept'),
          },
        },
      },
      '/orders': {
        get: {
          summary: `List orders (delegated scope ${ORDERS_READ})`,
          security: security({ scopes: [ORDERS_READ] }),
          responses: {
            '200': { description: 'The orders' },
            '401': problem('No token, or a token the API does not accept'),
            '403': problem(`The token lacks the scope ${ORDERS_READ}`),
          },
        },
      },
      '/orders/export': {
        post: {
          summary: `Export every order (app-only, app role ${ORDERS_EXPORT})`,
          description:
            `For daemons (client credentials): the calling app must be granted the application permission ` +
            `\`${ORDERS_EXPORT}\` (an app role of this API) and request \`<App ID URI>/.default\`. ` +
            'User tokens are refused.',
          security: security({ caller: 'app' }),
          responses: {
            '200': { description: 'The export' },
            '401': problem('No token, or a token the API does not accept'),
            '403': problem(`Not an app-only token, or no ${ORDERS_EXPORT} role`),
          },
        },
      },
    },
  };
}
