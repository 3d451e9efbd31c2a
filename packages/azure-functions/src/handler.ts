import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import {
  type EntraAuthError,
  EntraConfigError,
  type EntraPrincipal,
  type EntraValidator,
  type EntraValidatorOptions,
} from '@org/entra-core';
import {
  authenticateWebRequest,
  passesToFramework,
  resolveAdapterOptions,
  routeRequirement,
  runGuard,
  toValidator,
} from '@org/entra-core/adapter';
import type {
  EntraHttpHandler,
  EntraProtectedHttpHandler,
  WithEntraAuthOptions,
  WithEntraAuthStrictOptions,
} from './options.js';
import { toErrorResponse } from './response.js';

/**
 * Wraps an Azure Functions HTTP handler (v4 programming model): authenticates the Bearer token,
 * checks `scopes`/`roles`, then calls `handler(request, principal, context)` with the
 * `InvocationContext` it was called with, and returns what the handler returns, as it is. The request
 * body is never read. A CORS preflight is answered `204` without calling the handler (see
 * `corsPreflight`). Auth errors, including `EntraAuthError`s the handler throws (from
 * `requireAuthContext`, a `create*Check` check, `requireGroups`...), are answered
 * `{ status, headers, jsonBody }` as in every adapter; any other error propagates. Options are
 * checked now. The principal is typed `EntraPrincipal` unless the route is `optional` or
 * `corsPreflight: 'pass'`.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 *
 * app.http('orders', {
 *   methods: ['GET'],
 *   authLevel: 'anonymous',
 *   handler: withEntraAuth({ tenantId, clientId }, (request, user) => ({ jsonBody: { oid: user.objectId } }), {
 *     scopes: 'Orders.Read',
 *   }),
 * });
 * ```
 */
export function withEntraAuth(
  optionsOrValidator: EntraValidatorOptions | EntraValidator,
  handler: EntraHttpHandler<EntraPrincipal>,
  options?: WithEntraAuthStrictOptions,
): EntraProtectedHttpHandler;
export function withEntraAuth(
  optionsOrValidator: EntraValidatorOptions | EntraValidator,
  handler: EntraHttpHandler<EntraPrincipal | undefined>,
  options?: WithEntraAuthOptions,
): EntraProtectedHttpHandler;
export function withEntraAuth(
  optionsOrValidator: EntraValidatorOptions | EntraValidator,
  // The overloads type the principal; here it is whatever authentication gave.
  handler: EntraHttpHandler<any>,
  options?: WithEntraAuthOptions,
): EntraProtectedHttpHandler {
  const opts = resolveAdapterOptions(options, 'withEntraAuth', { scopes: 'any', roles: 'any', match: 'any' });
  const check = routeRequirement(opts, 'withEntraAuth');
  if (typeof handler !== 'function') {
    throw new EntraConfigError(
      'withEntraAuth: the second argument is your handler, (request, principal, context) => HttpResponseInit',
    );
  }
  const { validator } = toValidator(optionsOrValidator, 'withEntraAuth');
  const protectedHandler = async (
    request: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> => {
    try {
      const state = await authenticateWebRequest(validator, request, opts);
      if (state.preflight === 'answer') return { status: 204 };
      if (check !== undefined) runGuard(state, check);
      return await handler(request, state.principal, context);
    } catch (error) {
      if (passesToFramework(error, undefined)) throw error;
      return toErrorResponse(error as EntraAuthError);
    }
  };
  return Object.assign(protectedHandler, { validator });
}
