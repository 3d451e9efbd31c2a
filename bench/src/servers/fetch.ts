/**
 * A fetch handler (`Request` in, `Response` out) on @hono/node-server. The popular JWT middleware
 * is Hono's own `hono/jwk`, given the key set fetched once at start: with `jwks_uri` instead it
 * fetches the key set on every request, which no one should benchmark against.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createEntraValidator } from '@org/entra-core';
import { withEntraAuth } from '@org/entra-fetch';
import { Hono } from 'hono';
import { jwk } from 'hono/jwk';
import { isMain } from '../lib/cli.js';
import { fetchJwks } from '../lib/peers.js';
import {
  awsFor,
  BODY,
  closeServer,
  floorFor,
  oursOptions,
  type ServerFactory,
  serveChild,
} from './common.js';

type Handler = (request: Request) => Response | Promise<Response>;

const unauthorized = () => new Response(null, { status: 401 });

async function handlerFor(
  variant: Parameters<ServerFactory>[0],
  kit: Parameters<ServerFactory>[1],
): Promise<Handler> {
  switch (variant) {
    case 'floor': {
      const verify = await floorFor(kit);
      return (request) => {
        try {
          verify(request.headers.get('authorization'));
        } catch {
          return unauthorized();
        }
        return new Response(BODY);
      };
    }
    case 'ours': {
      const validator = createEntraValidator(oursOptions(kit));
      await validator.warmUp();
      return withEntraAuth(validator, () => new Response(BODY));
    }
    case 'aws': {
      const verify = await awsFor(kit);
      return async (request) => {
        try {
          await verify(request.headers.get('authorization'));
        } catch {
          return unauthorized();
        }
        return new Response(BODY);
      };
    }
    case 'popular': {
      const { keys } = await fetchJwks(kit);
      const app = new Hono();
      app.use(
        '*',
        jwk({
          keys: keys as never,
          alg: ['RS256'],
          verification: { iss: kit.issuer, aud: kit.clientId },
        } as never),
      );
      app.get('/', (c) => c.text(BODY));
      return app.fetch;
    }
    default:
      return () => new Response(BODY);
  }
}

export const start: ServerFactory = async (variant, kit) => {
  const fetch = await handlerFor(variant, kit);
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s as Server)) as Server;
  });
  const port = (server.address() as AddressInfo).port;
  return { port, close: () => closeServer(server) };
};

export const variants = ['baseline', 'floor', 'ours', 'aws', 'popular'] as const;
export const popularLabel = 'hono/jwk (key set given)';

if (isMain(import.meta.url)) serveChild(start);
