/**
 * How an auth failure leaves Fastify: answered here (RFC 6750, as the core words it) or thrown to the
 * app's `setErrorHandler` (`passErrors`, or any error that is not an auth error). An `EntraAuthError`
 * carries `statusCode` and `headers`.
 */
import { errorResponse, passesToFramework } from '@org/entra-core';
import type { FastifyReply, FastifyRequest } from 'fastify';

export function fail(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (passesToFramework(request, error)) throw error;
  const { status, headers, body } = errorResponse(error as never);
  return reply.code(status).headers(headers).send(body);
}
