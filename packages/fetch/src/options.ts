import type { EntraAuthError, EntraValidator, MatchOptions } from '@org/entra-core';
import type { EntraAdapterOptions } from '@org/entra-core/adapter';

/**
 * Options of {@link withEntraAuth}.
 *
 * @example
 * ```ts
 * const options: WithEntraAuthOptions = { scopes: ['Orders.Read', 'Orders.Write'], match: 'any' };
 * ```
 */
export interface WithEntraAuthOptions extends EntraAdapterOptions, MatchOptions {
  /** Required scopes (all, or any with `match: 'any'`). With `roles` too: any scope or any role passes. */
  scopes?: string | readonly string[];
  /** Required roles (all, or any with `match: 'any'`). With `scopes` too: any scope or any role passes. */
  roles?: string | readonly string[];
  /** Renders auth errors instead of the default RFC 6750 response (see `toErrorResponse`). */
  onError?: (error: EntraAuthError, request: Request) => Response | Promise<Response>;
}

/**
 * A handler {@link withEntraAuth} wraps: the request, the principal, and whatever else the platform
 * passes (Next.js' context, Workers' env and ctx...).
 *
 * @example
 * ```ts
 * const handler: EntraRequestHandler<EntraPrincipal, [Env]> = (request, user, env) => Response.json({ oid: user.objectId });
 * ```
 */
export type EntraRequestHandler<P, Rest extends unknown[]> = (
  request: Request,
  principal: P,
  ...rest: Rest
) => Response | Promise<Response>;

/**
 * Options under which every request that reaches the handler has a principal: the route is not
 * optional and preflights are not passed on (they are answered, the default, or authenticated).
 * With these (or none), the handler's principal is `EntraPrincipal`.
 *
 * @example
 * ```ts
 * const options: WithEntraAuthStrictOptions = { scopes: 'Orders.Read' };
 * ```
 */
export type WithEntraAuthStrictOptions = WithEntraAuthOptions & {
  corsPreflight?: 'answer' | 'authenticate';
  optional?: false;
};

/**
 * What {@link withEntraAuth} returns: a `(request, ...rest) => Promise<Response>` handler, with the
 * validator it uses.
 *
 * @example
 * ```ts
 * export const GET: EntraProtectedHandler<[]> = withEntraAuth(options, (request, user) => Response.json(user));
 * ```
 */
export interface EntraProtectedHandler<Rest extends unknown[]> {
  (request: Request, ...rest: Rest): Promise<Response>;
  readonly validator: EntraValidator;
}
