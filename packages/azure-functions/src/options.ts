import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { EntraValidator } from '@org/entra-core';
import type { EntraAdapterOptions, RouteRequirementOptions } from '@org/entra-core/adapter';

/**
 * Options of {@link withEntraAuth}: `scopes`, `roles` and `match` (what the route requires),
 * `optional` and `corsPreflight`.
 *
 * @example
 * ```ts
 * const options: WithEntraAuthOptions = { scopes: ['Orders.Read', 'Orders.Write'], match: 'any' };
 * ```
 */
export interface WithEntraAuthOptions extends EntraAdapterOptions, RouteRequirementOptions {}

/**
 * Options under which every request that reaches the handler has a principal: the route is not
 * optional and preflights are not passed on (they are answered, the default, or authenticated).
 * With these (or none), the handler's principal is `EntraPrincipal`.
 *
 * @example
 * ```ts
 * const options: WithEntraAuthStrictOptions = { roles: 'Orders.Export' };
 * ```
 */
export type WithEntraAuthStrictOptions = WithEntraAuthOptions & {
  corsPreflight?: 'answer' | 'authenticate';
  optional?: false;
};

/**
 * A handler {@link withEntraAuth} wraps: an Azure Functions `HttpHandler` with the principal between
 * the request and the `InvocationContext`. What it returns (an `HttpResponseInit`, or an
 * `HttpResponse`) is returned as it is.
 *
 * @example
 * ```ts
 * const me: EntraHttpHandler<EntraPrincipal> = (request, user, context) => ({ jsonBody: { oid: user.objectId } });
 * ```
 */
export type EntraHttpHandler<P> = (
  request: HttpRequest,
  principal: P,
  context: InvocationContext,
) => HttpResponseInit | Promise<HttpResponseInit>;

/**
 * What {@link withEntraAuth} returns: an Azure Functions HTTP handler, `(request, context) =>
 * Promise<HttpResponseInit>`, for `app.http(name, { handler })`, with the validator it uses.
 *
 * @example
 * ```ts
 * const handler: EntraProtectedHttpHandler = withEntraAuth(validator, (request, user) => ({ jsonBody: user }));
 * app.http('me', { methods: ['GET'], authLevel: 'anonymous', handler });
 * ```
 */
export interface EntraProtectedHttpHandler {
  (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit>;
  readonly validator: EntraValidator;
}
