import { authenticateIncoming, ENTRA_AUTH_STATE, type EntraAuthState } from '@org/entra-core/adapter';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type EntraFastifyOptions, readOptions } from './options.js';
import { answeringAuthErrors, fail } from './respond.js';

const plugin: FastifyPluginAsync<EntraFastifyOptions> = async (app, options) => {
  const { validator, owned, opts } = readOptions(options);
  // Registered again in a child scope (say, required under an optional parent), the outer
  // decorations stay: `app.entra` is the outermost plugin's validator.
  if (!app.hasDecorator('entra')) app.decorate('entra', validator);
  if (!app.hasRequestDecorator('auth')) app.decorateRequest('auth', null as unknown as undefined);
  if (!app.hasRequestDecorator(ENTRA_AUTH_STATE)) app.decorateRequest(ENTRA_AUTH_STATE, null);
  if (owned) app.addHook('onClose', async () => validator.close());
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    let state: EntraAuthState;
    try {
      state = await authenticateIncoming(validator, request, opts, request.raw.rawHeaders);
    } catch (error) {
      return fail(error, opts, reply);
    }
    request[ENTRA_AUTH_STATE] = state;
    request.auth = state.principal;
    return state.preflight === 'answer' ? reply.code(204).send() : undefined;
  });
  // EntraAuthErrors thrown by handlers (requireAuthContext, a role check) are answered like the
  // guards': each route declared after the plugin gets an error handler in front of its own.
  app.addHook('onRoute', (route) => {
    route.errorHandler = answeringAuthErrors(route.errorHandler, opts);
  });
};

/**
 * Fastify plugin (fastify-plugin: its hooks and decorations apply to the scope it is registered in)
 * that authenticates each request's Bearer token in `onRequest` and sets `request.auth`. A CORS
 * preflight that reaches it is answered `204` (see `corsPreflight`); an `EntraAuthError` thrown by a
 * handler declared after it is answered like the guards' refusals. The validator is `app.entra`.
 * Mistakes in the options reject `register`, before the app listens.
 *
 * @example
 * ```ts
 * await app.register(entraAuth, { tenantId: '<tenant guid>', clientId: '<api client id>' });
 * app.get('/me', async (request) => ({ oid: request.auth?.objectId }));
 * ```
 */
export const entraAuth: FastifyPluginAsync<EntraFastifyOptions> = fp(plugin, {
  name: '@org/entra-fastify',
  fastify: '4.x || 5.x',
});
