/**
 * Express 5 benchmark server. The popular JWT middleware is express-jwt with jwks-rsa's
 * `expressJwtSecret` (cache and rate limit on, as their READMEs show); express-oauth2-jwt-bearer
 * (Auth0's) runs as a second peer.
 */
import { createServer } from 'node:http';
import { entraAuth } from '@org/entra-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { expressjwt, type GetVerificationKey } from 'express-jwt';
import jwksRsa from 'jwks-rsa';
import { isMain } from '../lib/cli.js';
import { oauth2BearerAuth } from '../lib/peers.js';
import {
  awsFor,
  BODY,
  closeServer,
  floorFor,
  listening,
  oursOptions,
  type ServerFactory,
  serveChild,
} from './common.js';

type Locals = Request & { user?: unknown };

export const start: ServerFactory = async (variant, kit) => {
  const app = express();
  switch (variant) {
    case 'baseline':
      break;
    case 'floor': {
      const verify = await floorFor(kit);
      app.use((req: Locals, res: Response, next: NextFunction) => {
        try {
          req.user = verify(req.headers.authorization);
        } catch {
          res.status(401).end();
          return;
        }
        next();
      });
      break;
    }
    case 'ours': {
      const middleware = entraAuth(oursOptions(kit));
      await middleware.validator.warmUp();
      app.use(middleware);
      break;
    }
    case 'aws': {
      const verify = await awsFor(kit);
      app.use((req: Locals, res: Response, next: NextFunction) => {
        verify(req.headers.authorization).then(
          (payload) => {
            req.user = payload;
            next();
          },
          () => res.status(401).end(),
        );
      });
      break;
    }
    case 'popular':
      app.use(
        expressjwt({
          secret: jwksRsa.expressJwtSecret({
            jwksUri: kit.jwksUri,
            cache: true,
            rateLimit: true,
          }) as GetVerificationKey,
          audience: kit.clientId,
          issuer: kit.issuer,
          algorithms: ['RS256'],
        }),
      );
      break;
    case 'oauth2-bearer':
      app.use(
        oauth2BearerAuth({ issuerBaseURL: kit.issuer, audience: kit.clientId }) as express.RequestHandler,
      );
      break;
  }
  app.get('/', (_req, res) => {
    res.send(BODY);
  });
  app.use((error: { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(error.status ?? 500).end();
  });
  const server = createServer(app);
  const port = await listening(server);
  return { port, close: () => closeServer(server) };
};

/** Variants this framework serves, baseline first. */
export const variants = ['baseline', 'floor', 'ours', 'aws', 'popular', 'oauth2-bearer'] as const;
export const popularLabel = 'express-jwt + jwks-rsa';

if (isMain(import.meta.url)) serveChild(start);
