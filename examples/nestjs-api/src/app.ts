/**
 * The Orders API with NestJS and @org/entra-nestjs: EntraAuthModule's global guard on every route
 * (the public one says @Public()), decorators per route, CORS for one single-page app before any
 * auth, and the OpenAPI document and Swagger UI of @nestjs/swagger with an Authorize button that
 * signs in with Entra (authorization code flow with PKCE).
 */
import 'reflect-metadata';
import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import {
  addEntraSecurity,
  createEntraValidator,
  EntraAuthModule,
  type EntraValidator,
  type EntraValidatorOptions,
  isEntraValidator,
  type OpenApiOAuth2Scheme,
} from '@org/entra-nestjs';
import { OrdersController, OrdersService } from './orders.controller.js';
import { ORDERS_EXPORT, ORDERS_READ } from './orders.js';

export const DEFAULT_ALLOWED_ORIGIN = 'http://localhost:5173';

/** The delegated scopes the API exposes, with the text Swagger UI shows next to each. */
export const API_SCOPES: Record<string, string> = { [ORDERS_READ]: 'Read your orders' };
export const API_APP_ROLES: Record<string, string> = {
  [ORDERS_EXPORT]: 'Export every order (application permission)',
};

export interface AppConfig {
  /**
   * Validator options (`{ tenantId, clientId }`, ...), or a validator you created (share one to warm
   * it up at start-up). A validator created here is closed with the app; yours is not.
   */
  auth: EntraValidatorOptions | EntraValidator;
  /** The single-page app allowed to call the API from a browser. Default `http://localhost:5173`. */
  allowedOrigin?: string;
  /** The client id Swagger UI's Authorize button signs in with (a SPA registration). */
  docsClientId?: string;
  /** Nest's logger option. Default `false` (quiet); server.ts turns it on. */
  logger?: false | Array<'log' | 'error' | 'warn' | 'debug' | 'verbose'>;
}

/** The OpenAPI document: Nest's, with the Entra scheme and each route's scopes as full scope URIs. */
function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Orders API (NestJS)')
    .setVersion('1.0.0')
    .setDescription(
      'An API protected by Microsoft Entra ID access tokens with @org/entra-nestjs. ' +
        '`GET /orders` needs the delegated scope `Orders.Read`; `POST /orders/export` needs an app-only ' +
        'token with the app role `Orders.Export`.',
    )
    // Or paste an access token you already have (`az account get-access-token`, or one the local
    // look-alike printed).
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'An Entra access token for this API, pasted as is.',
      },
      'bearerToken',
    )
    .build();
  const document = addEntraSecurity(SwaggerModule.createDocument(app, config), app, { scopes: API_SCOPES });
  // App-only routes name the client credentials scheme: no user sign-in produces an app-only token.
  return addEntraSecurity(document, app, { flow: 'clientCredentials', appRoles: API_APP_ROLES });
}

/** The app, not listening yet: `await app.listen(port)`. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const validator = isEntraValidator(config.auth) ? config.auth : createEntraValidator(config.auth);
  // `{ validator }` is shared: the module never closes it, so close it with the app when it is ours.
  const owned = !isEntraValidator(config.auth);

  @Module({
    imports: [EntraAuthModule.forRoot({ validator })],
    controllers: [OrdersController],
    providers: [OrdersService],
  })
  class AppModule {
    onApplicationShutdown() {
      if (owned) validator.close();
    }
  }

  const app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: config.logger ?? false });
  // CORS first: Nest puts it before routing and guards, so the browser's preflight (which never
  // carries a token) is answered here; WWW-Authenticate is exposed so the SPA can read refusals.
  app.enableCors({
    origin: config.allowedOrigin ?? DEFAULT_ALLOWED_ORIGIN,
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['WWW-Authenticate'],
    maxAge: 600,
  });
  const document = openApiDocument(app);
  const entra = document.components?.securitySchemes?.entra as OpenApiOAuth2Scheme;
  // Swagger UI at /docs, the document at /openapi.json (both public: they are not Nest routes).
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    swaggerOptions: {
      // Register <api origin>/docs/oauth2-redirect.html as a SPA redirect URI of that client.
      initOAuth: {
        clientId: config.docsClientId ?? '',
        usePkceWithAuthorizationCodeGrant: true,
        scopes: Object.keys(entra.flows.authorizationCode.scopes),
      },
    },
  });
  return app;
}
