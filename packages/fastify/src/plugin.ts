import {
  authenticateIncoming,
  type EntraAuthRequestOptions,
  EntraConfigError,
  type EntraPrincipal,
  type EntraValidator,
  type EntraValidatorOptions,
  isEntraValidator,
  resolveRequestOptions,
  toValidator,
} from '@org/entra-core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { fail } from './respond.js';

/**
 * What the plugin does with requests, beside the validator's options.
 *
 * @example
 * ```ts
 * const options: EntraPluginRequestOptions = { optional: true, passErrors: true };
 * ```
 */
export interface EntraPluginRequestOptions extends EntraAuthRequestOptions {
  /**
   * `true` throws auth errors to your `setErrorHandler` (an `EntraAuthError` with `statusCode` and
   * `headers`). Default `false`: the plugin answers with the RFC 6750 response itself. Guards follow.
   */
  passErrors?: boolean;
}

/**
 * Options of the {@link entraAuth} plugin: validator options (the plugin creates a validator and
 * closes it with the app), or `{ validator }` to use one you share; plus `optional`,
 * `corsPreflight` and `passErrors`.
 *
 * @example
 * ```ts
 * const options: EntraFastifyOptions = { tenantId: '<tenant guid>', clientId: '<api client id>', optional: true };
 * const shared: EntraFastifyOptions = { validator: createEntraValidator({ tenantId, clientId }) };
 * ```
 */
export type EntraFastifyOptions = EntraPluginRequestOptions &
  (EntraValidatorOptions | { validator: EntraValidator });

const plugin: FastifyPluginAsync<EntraFastifyOptions> = async (app, options) => {
  // Split the plugin's own options from the validator's (`rest`, which the core checks). Fastify's
  // register options (prefix, logLevel, logSerializers) arrive here too, e.g. from @fastify/autoload.
  const {
    validator: given,
    optional,
    corsPreflight,
    passErrors,
    ...all
  } = options as unknown as Record<string, unknown> & EntraPluginRequestOptions;
  const { prefix, logLevel, logSerializers, ...rest } = all;
  const opts = resolveRequestOptions({ optional, corsPreflight, passErrors }, 'entraAuth', {
    passErrors: 'boolean',
  });
  if (given !== undefined && !isEntraValidator(given)) {
    throw new EntraConfigError('entraAuth: validator must be a validator from createEntraValidator');
  }
  if (given !== undefined && Object.keys(rest).length > 0) {
    throw new EntraConfigError(
      `entraAuth: pass either { validator } or validator options, not both (got also ${Object.keys(rest).join(', ').slice(0, 200)})`,
    );
  }
  const { validator, owned } = toValidator((given ?? rest) as EntraValidatorOptions | EntraValidator);
  // Registered again in a child scope (say, required under an optional parent), the outer
  // decorations stay: `app.entra` is the outermost plugin's validator.
  if (!app.hasDecorator('entra')) app.decorate('entra', validator);
  if (!app.hasRequestDecorator('auth')) app.decorateRequest('auth', null as unknown as undefined);
  if (owned) app.addHook('onClose', async () => validator.close());
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    let principal: EntraPrincipal | undefined;
    try {
      principal = await authenticateIncoming(validator, request, opts, request.raw.rawHeaders);
    } catch (error) {
      return fail(error, request, reply);
    }
    request.auth = principal;
    return undefined;
  });
};

/**
 * Fastify plugin (fastify-plugin: its hook and decorations apply to the scope it is registered in)
 * that authenticates each request's Bearer token in `onRequest` and sets `request.auth`. The
 * validator is `app.entra`. Mistakes in the options reject `register`, before the app listens.
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
