/**
 * How an auth failure leaves Fastify: answered here (RFC 6750, as the core words it) or thrown to the
 * app's `setErrorHandler` (`passErrors`, or any error that is not an auth error). An `EntraAuthError`
 * carries `statusCode` and `headers`.
 */
import { type EntraAuthError, errorResponse } from '@org/entra-core';
import { ENTRA_AUTH_STATE, passesToFramework } from '@org/entra-core/adapter';
import type { FastifyReply, RouteOptions } from 'fastify';

type PassErrors = { readonly passErrors: boolean } | null | undefined;

export function fail(error: unknown, state: PassErrors, reply: FastifyReply): FastifyReply {
  if (passesToFramework(error, state) || reply.sent) throw error;
  const { status, headers, body } = errorResponse(error as EntraAuthError);
  return reply.code(status).headers(headers).send(body);
}

type RouteErrorHandler = NonNullable<RouteOptions['errorHandler']>;

/**
 * A route's error handler that answers an `EntraAuthError` (thrown by the handler or a hook) like the
 * guards do, and hands anything else to the route's own `errorHandler`, else (by throwing) to the
 * scope's, which is yours when you called `setErrorHandler`. Set per route by the plugin's `onRoute`
 * hook, so it never replaces or warns about an error handler of yours.
 */
export function answeringAuthErrors(
  own: RouteErrorHandler | undefined,
  defaults: PassErrors,
): RouteErrorHandler {
  return function (this: ThisParameterType<RouteErrorHandler>, error, request, reply) {
    const state = request[ENTRA_AUTH_STATE] ?? defaults;
    if (!passesToFramework(error, state) && !reply.sent) return fail(error, state, reply);
    if (own !== undefined) return own.call(this, error, request, reply);
    throw error;
  };
}
