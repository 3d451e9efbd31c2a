import {
  createRoleCheck,
  createScopeCheck,
  createScopeOrRoleCheck,
  type EntraAuthError,
  EntraConfigError,
  type EntraValidator,
  type MatchOptions,
  type PrincipalCheck,
} from '@org/entra-core';
import type { EntraAdapterOptions, ResolvedAdapterOptions } from '@org/entra-core/adapter';

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

/** The check `scopes`/`roles`/`match` ask for, validated now. */
export function requirement(o: ResolvedAdapterOptions<WithEntraAuthOptions>): PrincipalCheck | undefined {
  const { scopes, roles, match } = o;
  if (scopes === undefined && roles === undefined) {
    if (match !== undefined) throw new EntraConfigError('withEntraAuth: match applies to scopes or roles');
    return undefined;
  }
  if (o.optional) {
    throw new EntraConfigError(
      'withEntraAuth: optional cannot be combined with scopes or roles (anonymous requests would be refused): drop optional, or check the principal in the handler',
    );
  }
  if (scopes === undefined) return createRoleCheck(roles as string | readonly string[], { match });
  if (roles === undefined) return createScopeCheck(scopes, { match });
  if (match !== undefined)
    throw new EntraConfigError('withEntraAuth: with both scopes and roles, any one passes: drop match');
  return createScopeOrRoleCheck({ scopes, roles });
}
