/**
 * How an auth failure leaves Fastify: answered here (RFC 6750, as the core words it) or thrown to the
 * app's `setErrorHandler` (an `EntraAuthError` carries `statusCode` and `headers`). The choice is made
 * by the plugin and remembered per request, so the guards after it follow it.
 */
import { errorResponse, isEntraAuthError } from '@org/entra-core';
import type { FastifyReply, FastifyRequest } from 'fastify';

interface RequestState {
  readonly passErrors: boolean;
  /** A CORS preflight the plugin let through: guards let it through too. */
  readonly preflight: boolean;
}

const states = new WeakMap<FastifyRequest, RequestState>();

export function remember(request: FastifyRequest, state: RequestState): void {
  states.set(request, state);
}

export function isPassedPreflight(request: FastifyRequest): boolean {
  return states.get(request)?.preflight === true;
}

/** Answers the error, returning the reply (an async hook that answered returns it), or throws it. */
export function fail(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (!isEntraAuthError(error) || states.get(request)?.passErrors === true) throw error;
  const { status, headers, body } = errorResponse(error);
  return reply.code(status).headers(headers).send(body);
}
