/**
 * Fastify 5 benchmark server. The popular JWT middleware is @fastify/jwt with get-jwks, wired as
 * @fastify/jwt's README shows (discovery on, issuer allow-listed).
 */
import fastifyJwt from '@fastify/jwt';
import { createEntraValidator } from '@org/entra-core';
import { entraAuth } from '@org/entra-fastify';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import buildGetJwks from 'get-jwks';
import { isMain } from '../lib/cli.js';
import { awsFor, BODY, floorFor, oursOptions, type ServerFactory, serveChild } from './common.js';

type WithUser = FastifyRequest & { user?: unknown };

export const start: ServerFactory = async (variant, kit) => {
  const app = Fastify({ logger: false });
  switch (variant) {
    case 'floor': {
      const verify = await floorFor(kit);
      app.decorateRequest('user', null as never);
      app.addHook('onRequest', (request: WithUser, reply: FastifyReply, done: () => void) => {
        try {
          request.user = verify(request.headers.authorization);
        } catch {
          reply.code(401).send();
          return;
        }
        done();
      });
      break;
    }
    case 'ours': {
      const validator = createEntraValidator(oursOptions(kit));
      await validator.warmUp();
      await app.register(entraAuth, { validator });
      break;
    }
    case 'aws': {
      const verify = await awsFor(kit);
      app.decorateRequest('user', null as never);
      app.addHook('onRequest', async (request: WithUser, reply: FastifyReply) => {
        try {
          request.user = await verify(request.headers.authorization);
        } catch {
          return reply.code(401).send();
        }
      });
      break;
    }
    case 'popular': {
      const getJwks = buildGetJwks({ providerDiscovery: true, issuersWhitelist: [`${kit.issuer}/`] });
      await app.register(fastifyJwt, {
        decode: { complete: true },
        secret: ((
          _request: FastifyRequest,
          token: { header: { kid: string; alg: string }; payload: { iss: string } },
        ) =>
          getJwks.getPublicKey({
            kid: token.header.kid,
            domain: token.payload.iss,
            alg: token.header.alg,
          })) as never,
        verify: { allowedIss: kit.issuer, allowedAud: kit.clientId, algorithms: ['RS256'] } as never,
      });
      app.addHook('onRequest', async (request, reply) => {
        try {
          await request.jwtVerify();
        } catch {
          return reply.code(401).send();
        }
      });
      break;
    }
    default:
      break;
  }
  app.get('/', (_request, reply) => {
    reply.send(BODY);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { port, close: () => app.close() };
};

export const variants = ['baseline', 'floor', 'ours', 'aws', 'popular'] as const;
export const popularLabel = '@fastify/jwt + get-jwks';

if (isMain(import.meta.url)) serveChild(start);
