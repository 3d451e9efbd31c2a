/**
 * Koa 3 benchmark server. The popular JWT middleware is koa-jwt with jwks-rsa's `koaJwtSecret`
 * (cache and rate limit on, as their READMEs show).
 */
import { createServer } from 'node:http';
import { entraAuth } from '@org/entra-koa';
import jwksRsa from 'jwks-rsa';
import Koa from 'koa';
import koaJwt from 'koa-jwt';
import { isMain } from '../lib/cli.js';
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

export const start: ServerFactory = async (variant, kit) => {
  const app = new Koa();
  switch (variant) {
    case 'floor': {
      const verify = await floorFor(kit);
      app.use(async (ctx, next) => {
        try {
          ctx.state.user = verify(ctx.headers.authorization);
        } catch {
          ctx.status = 401;
          return;
        }
        await next();
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
      app.use(async (ctx, next) => {
        try {
          ctx.state.user = await verify(ctx.headers.authorization);
        } catch {
          ctx.status = 401;
          return;
        }
        await next();
      });
      break;
    }
    case 'popular':
      app.use(
        koaJwt({
          secret: jwksRsa.koaJwtSecret({ jwksUri: kit.jwksUri, cache: true, rateLimit: true }),
          audience: kit.clientId,
          issuer: kit.issuer,
          algorithms: ['RS256'],
        }),
      );
      break;
    default:
      break;
  }
  app.use((ctx) => {
    ctx.body = BODY;
  });
  const server = createServer(app.callback());
  const port = await listening(server);
  return { port, close: () => closeServer(server) };
};

export const variants = ['baseline', 'floor', 'ours', 'aws', 'popular'] as const;
export const popularLabel = 'koa-jwt + jwks-rsa';

if (isMain(import.meta.url)) serveChild(start);
