import {
  authenticateRequestView,
  type EntraPrincipal,
  type EntraValidator,
  type EntraValidatorOptions,
  isEntraAuthError,
  resolveRequestOptions,
  toValidator,
} from '@org/entra-core';
import {
  type EntraProtectedHandler,
  type EntraRequestHandler,
  requirement,
  type WithEntraAuthOptions,
  type WithEntraAuthStrictOptions,
} from './options.js';
import { toErrorResponse, viewOf } from './response.js';

/**
 * Wraps a Web handler (`Request` in, `Response` out): authenticates the Bearer token, checks
 * `scopes`/`roles`, then calls `handler(request, principal, ...rest)`. Auth errors, including
 * `EntraAuthError`s the handler throws (e.g. from `requireRoles`), become the RFC 6750 response, or
 * whatever `onError` returns. Options are checked now. The principal is `undefined` for a CORS
 * preflight passed on and, with `optional`, for anonymous requests; with `corsPreflight:
 * 'authenticate'` on a route that is not optional, it is typed `EntraPrincipal`.
 *
 * @example
 * ```ts
 * // app/api/orders/route.ts (Next.js): only GET requests reach this handler, so preflights can be authenticated.
 * export const GET = withEntraAuth({ tenantId, clientId }, (request, user) => Response.json({ oid: user.objectId }), {
 *   scopes: 'Orders.Read',
 *   corsPreflight: 'authenticate',
 * });
 * ```
 */
export function withEntraAuth<Rest extends unknown[] = []>(
  optionsOrValidator: EntraValidatorOptions | EntraValidator,
  handler: EntraRequestHandler<EntraPrincipal, Rest>,
  options: WithEntraAuthStrictOptions,
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
  const opts = resolveRequestOptions<WithEntraAuthOptions>(options, 'withEntraAuth', {
    scopes: 'any',
    roles: 'any',
    match: 'any',
    onError: 'function',
  });
  const check = requirement(opts);
  const onError = opts.onError ?? toErrorResponse;
  const { validator } = toValidator(optionsOrValidator, 'withEntraAuth');
  const protectedHandler = async (request: Request, ...rest: Rest): Promise<Response> => {
    try {
      const principal = await authenticateRequestView(validator, viewOf(request), opts);
      // No principal here means a passed preflight or an anonymous optional request: nothing to check.
      if (principal !== undefined) check?.(principal);
      return await handler(request, principal, ...rest);
    } catch (error) {
      if (!isEntraAuthError(error)) throw error;
      return onError(error, request);
    }
  };
  return Object.assign(protectedHandler, { validator });
}
