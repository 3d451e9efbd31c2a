import {
  type EntraPrincipal,
  type EntraValidator,
  type EntraValidatorOptions,
  isEntraAuthError,
} from '@org/entra-core';
import {
  authenticateWebRequest,
  resolveAdapterOptions,
  routeRequirement,
  runGuard,
  toValidator,
} from '@org/entra-core/adapter';
import type {
  EntraProtectedHandler,
  EntraRequestHandler,
  WithEntraAuthOptions,
  WithEntraAuthStrictOptions,
} from './options.js';
import { toErrorResponse } from './response.js';

/**
 * Wraps a Web handler (`Request` in, `Response` out): authenticates the Bearer token, checks
 * `scopes`/`roles`, then calls `handler(request, principal, ...rest)`. A CORS preflight is answered
 * `204` without calling the handler (see `corsPreflight`). Auth errors, including `EntraAuthError`s
 * the handler throws (e.g. from `requireRoles` or `requireAuthContext`), become the RFC 6750
 * response, or whatever `onError` returns. Options are checked now. The principal is typed
 * `EntraPrincipal` unless the route is `optional` (anonymous requests) or `corsPreflight: 'pass'`
 * (preflights passed on unauthenticated).
 *
 * @example
 * ```ts
 * // app/api/orders/route.ts (Next.js)
 * export const GET = withEntraAuth({ tenantId, clientId }, (request, user) => Response.json({ oid: user.objectId }), {
 *   scopes: 'Orders.Read',
 * });
 * ```
 */
export function withEntraAuth<Rest extends unknown[] = []>(
  optionsOrValidator: EntraValidatorOptions | EntraValidator,
  handler: EntraRequestHandler<EntraPrincipal, Rest>,
  options?: WithEntraAuthStrictOptions,
): EntraProtectedHandler<Rest>;
export function withEntraAuth<Rest extends unknown[] = []>(
  optionsOrValidator: EntraValidatorOptions | EntraValidator,
  handler: EntraRequestHandler<EntraPrincipal | undefined, Rest>,
  options?: WithEntraAuthOptions,
): EntraProtectedHandler<Rest>;
export function withEntraAuth<Rest extends unknown[]>(
  optionsOrValidator: EntraValidatorOptions | EntraValidator,
  // The overloads type the principal; here it is whatever authentication gave.
  handler: EntraRequestHandler<any, Rest>,
  options?: WithEntraAuthOptions,
): EntraProtectedHandler<Rest> {
  const opts = resolveAdapterOptions(options, 'withEntraAuth', {
    scopes: 'any',
    roles: 'any',
    match: 'any',
    onError: 'function',
  });
  const check = routeRequirement(opts, 'withEntraAuth');
  const onError = opts.onError ?? toErrorResponse;
  const { validator } = toValidator(optionsOrValidator, 'withEntraAuth');
  const protectedHandler = async (request: Request, ...rest: Rest): Promise<Response> => {
    try {
      const state = await authenticateWebRequest(validator, request, opts);
      if (state.preflight === 'answer') return new Response(null, { status: 204 });
      if (check !== undefined) runGuard(state, check);
      return await handler(request, state.principal, ...rest);
    } catch (error) {
      if (!isEntraAuthError(error)) throw error;
      return onError(error, request);
    }
  };
  return Object.assign(protectedHandler, { validator });
}
