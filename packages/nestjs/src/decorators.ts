import {
  applyDecorators,
  type CustomDecorator,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import {
  createGroupsCheck,
  createRoleCheck,
  createScopeCheck,
  createScopeOrRoleCheck,
  type EntraPrincipal,
  type GroupsCheck,
  type PrincipalCheck,
  type RequireGroupsOptions,
  requireAppOnly,
  requireDelegated,
  type ScopeOrRoleRequirement,
} from '@org/entra-core';
import { EntraAuthGuard } from './guard.js';
import { AUTH_MODE, REQUIREMENT_KEYS } from './tokens.js';

type RouteDecorator = ClassDecorator & MethodDecorator;

/**
 * A requirement on a handler or a controller. Several of one kind on the same target all apply;
 * the decorator also applies `EntraAuthGuard`, so a requirement is enforced with `globalGuard: false` too.
 */
function requirement(key: symbol, check: PrincipalCheck | GroupsCheck): RouteDecorator {
  const add = (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const where: object = descriptor?.value ?? target;
    const checks: Array<PrincipalCheck | GroupsCheck> = Reflect.getOwnMetadata(key, where) ?? [];
    Reflect.defineMetadata(key, [...checks, check], where);
  };
  return applyDecorators(add as RouteDecorator, UseGuards(EntraAuthGuard));
}

/**
 * The route needs no token: the guard does not authenticate it (a requirement on it then refuses
 * with 401 `missing_token`). On a handler or a controller; the handler's wins.
 *
 * @example
 * ```ts
 * @Public()
 * @Get('health')
 * health() { return { status: 'ok' }; }
 * ```
 */
export function Public(): CustomDecorator<symbol> {
  return SetMetadata(AUTH_MODE, 'public');
}

/**
 * A token is optional: without one (or with another scheme) the handler runs with no principal; a
 * Bearer token that is present and bad is still refused.
 *
 * @example
 * ```ts
 * @OptionalAuth()
 * @Get('catalog')
 * catalog(@EntraUser() user: EntraPrincipal | undefined) { return user ? 'personal' : 'public'; }
 * ```
 */
export function OptionalAuth(): CustomDecorator<symbol> {
  return SetMetadata(AUTH_MODE, 'optional');
}

/**
 * Requires every listed scope (delegated permission, `scp`); refuses with 403 `insufficient_scope`
 * naming them. An empty list or a bad name throws `EntraConfigError` when the class is declared.
 *
 * @example
 * ```ts
 * @RequireScopes('Orders.Read')
 * @Get('orders')
 * list() { return []; }
 * ```
 */
export function RequireScopes(...scopes: string[]): RouteDecorator {
  return requirement(REQUIREMENT_KEYS.scopes, createScopeCheck(scopes));
}

/**
 * Requires every listed role (app roles, or application permissions of a daemon); refuses with 403
 * `insufficient_role`.
 *
 * @example
 * ```ts
 * @RequireRoles('Orders.Admin')
 * @Delete('orders/:id')
 * remove() {}
 * ```
 */
export function RequireRoles(...roles: string[]): RouteDecorator {
  return requirement(REQUIREMENT_KEYS.roles, createRoleCheck(roles));
}

/**
 * Passes when any listed scope (a user's delegated permission) or any listed role (an app's
 * application permission) is present: one route for users and daemons.
 *
 * @example
 * ```ts
 * @RequireScopeOrRole({ scopes: 'Orders.Read', roles: 'Orders.Read.All' })
 * @Get('orders')
 * list() { return []; }
 * ```
 */
export function RequireScopeOrRole(requirementOf: ScopeOrRoleRequirement): RouteDecorator {
  return requirement(REQUIREMENT_KEYS.scopeOrRole, createScopeOrRoleCheck(requirementOf));
}

/**
 * Requires membership of Entra ID security groups (all, or any with `{ match: 'any' }`), read from the
 * token's `groups` claim or, for a user in too many groups (the overage), from Microsoft Graph with
 * `options.getGraphToken` (cached per user for `cacheSeconds`). Refuses with 403 `insufficient_role`;
 * when Graph cannot be asked, 503 `groups_unavailable`. Options are checked when the class is declared.
 *
 * @example
 * ```ts
 * @RequireGroups('5b2d6c1e-8f3a-4e7b-9c0d-1a2b3c4d5e6f', { getGraphToken })
 * @Delete('orders/:id')
 * remove() {}
 * ```
 */
export function RequireGroups(
  groups: string | readonly string[],
  options: RequireGroupsOptions,
): RouteDecorator {
  return requirement(REQUIREMENT_KEYS.groups, createGroupsCheck(groups, options));
}

/**
 * Requires an application acting as itself (client credentials); a user token gets 403 with
 * `error="insufficient_scope"` in the challenge.
 *
 * @example
 * ```ts
 * @AppOnly()
 * @RequireRoles('Orders.Export')
 * @Post('orders/export')
 * export() {}
 * ```
 */
export function AppOnly(): RouteDecorator {
  return requirement(REQUIREMENT_KEYS.caller, requireAppOnly);
}

/**
 * Requires a user (delegated) token; an app-only token gets 403 `insufficient_scope`.
 *
 * @example
 * ```ts
 * @Delegated()
 * @Get('me/orders')
 * mine(@EntraUser() user: EntraPrincipal) { return user.objectId; }
 * ```
 */
export function Delegated(): RouteDecorator {
  return requirement(REQUIREMENT_KEYS.caller, requireDelegated);
}

/**
 * A handler parameter: the verified caller (`request.auth`), or one of its fields. `undefined` on
 * an `@OptionalAuth()` route without a token.
 *
 * @example
 * ```ts
 * @Get('me')
 * me(@EntraUser() user: EntraPrincipal, @EntraUser('tenantId') tenant: string) {
 *   return { oid: user.objectId, tenant };
 * }
 * ```
 */
export const EntraUser: (field?: keyof EntraPrincipal) => ParameterDecorator = createParamDecorator(
  (field: keyof EntraPrincipal | undefined, context: ExecutionContext) => {
    const principal = context.switchToHttp().getRequest<{ auth?: EntraPrincipal }>().auth;
    return field === undefined ? principal : principal?.[field];
  },
);
