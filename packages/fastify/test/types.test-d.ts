// Type-level tests, checked by `tsc -p tsconfig.test.json` (the typecheck script): what must and must not compile.
import fastify, { type FastifyRequest } from 'fastify';
import {
  createEntraValidator,
  type EntraFastifyOptions,
  type EntraPrincipal,
  type EntraValidator,
  entraAuth,
  requireScopes,
} from '../src/index.js';

declare const request: FastifyRequest;
const principal: EntraPrincipal | undefined = request.auth;
// @ts-expect-error request.auth is undefined on anonymous requests: it must be checked
const certain: EntraPrincipal = request.auth;
// @ts-expect-error request.auth is a principal, not a string
const text: string | undefined = request.auth;
// @ts-expect-error only a principal can be assigned to request.auth
request.auth = 'someone';

const validator = createEntraValidator({ tenantId: 't', clientId: 'c' });
const withOptions: EntraFastifyOptions = { tenantId: 't', clientId: 'c', optional: true, passErrors: false };
const withValidator: EntraFastifyOptions = { validator, corsPreflight: 'authenticate' };

export async function build(): Promise<void> {
  const app = fastify();
  await app.register(entraAuth, { tenantId: 't', clientId: 'c' });
  await app.register(entraAuth, { validator });
  const entra: EntraValidator = app.entra;
  app.get('/orders', { preHandler: requireScopes('Orders.Read') }, async (req) => ({
    oid: req.auth?.objectId,
    entra,
  }));
  // @ts-expect-error a validator without audience or clientId would accept any audience
  await app.register(entraAuth, { tenantId: 't' });
  // @ts-expect-error neither validator options nor a validator
  await app.register(entraAuth, { optional: true });
  await app.register(entraAuth, { validator, corsPreflight: 'answer' });
  await app.register(entraAuth, { validator, corsPreflight: 'pass' });
  // @ts-expect-error corsPreflight is 'answer', 'authenticate' or 'pass'
  await app.register(entraAuth, { validator, corsPreflight: 'skip' });
}

export const used: unknown[] = [principal, certain, text, withOptions, withValidator];
