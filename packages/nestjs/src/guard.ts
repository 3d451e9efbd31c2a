import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { GroupsCheck, PrincipalCheck } from '@org/entra-core';
import {
  authenticateIncoming,
  ENTRA_AUTH_STATE,
  type EntraAuthState,
  type IncomingRequestLike,
  runGuard,
} from '@org/entra-core/adapter';
import { AUTH_MODE, ENTRA_AUTH_CONFIG, type EntraAuthConfig, REQUIREMENT_KEYS } from './tokens.js';

/** Thrown by the guard for a CORS preflight it answers; the module's filter sends the 204. */
export class PreflightAnswered {}

/** The platform's own request: Express' `req` or Fastify's `request` (whose Node request is `raw`). */
type PlatformRequest = IncomingRequestLike & {
  raw?: { rawHeaders?: readonly string[] };
  auth?: unknown;
  [ENTRA_AUTH_STATE]?: EntraAuthState;
};

/**
 * The guard: authenticates the request's Bearer token (unless the route is `@Public()`; without a
 * token an `@OptionalAuth()` route goes on with no principal), sets `request.auth` on the
 * platform's request, then checks the route's requirements (`@RequireScopes` & co., the handler's
 * replacing the controller's kind by kind). `EntraAuthModule` registers it globally; with
 * `globalGuard: false`, apply it yourself. Refusals are answered by the module's exception filter.
 *
 * @example
 * ```ts
 * @Controller('orders')
 * @UseGuards(EntraAuthGuard) // with EntraAuthModule.forRoot({ ..., globalGuard: false })
 * export class OrdersController {}
 * ```
 */
export class EntraAuthGuard implements CanActivate {
  // Stateless, and constructed here rather than injected: the guard then works with whichever
  // copy of @nestjs/core the application has.
  private readonly reflector = new Reflector();

  constructor(private readonly config: EntraAuthConfig) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const mode = this.reflector.getAllAndOverride<'public' | 'optional' | undefined>(AUTH_MODE, targets);
    const request = context.switchToHttp().getRequest<PlatformRequest>();
    let state = request[ENTRA_AUTH_STATE];
    if (state === undefined && mode !== 'public') {
      const { validator, required, optional } = this.config;
      const options = mode === 'optional' ? optional : required;
      const rawHeaders = request.raw?.rawHeaders ?? request.rawHeaders;
      state = await authenticateIncoming(validator, request, options, rawHeaders);
      request[ENTRA_AUTH_STATE] = state;
      request.auth = state.principal;
      if (state.preflight === 'answer') throw new PreflightAnswered();
    }
    // A handler made @Public() leaves its controller's requirements behind (its own still refuse).
    const scope = this.reflector.get(AUTH_MODE, targets[0]!) === 'public' ? targets.slice(0, 1) : targets;
    for (const key of Object.values(REQUIREMENT_KEYS)) {
      const checks = this.reflector.getAllAndOverride<Array<PrincipalCheck | GroupsCheck> | undefined>(
        key,
        scope,
      );
      for (const check of checks ?? []) await runGuard(state, check);
    }
    return true;
  }
}

// Nest's decorators are applied as calls rather than with `@`: the source then compiles under any
// decorator setting of a tsconfig, and every dependency names its token, so nothing relies on
// emitDecoratorMetadata.
Injectable()(EntraAuthGuard);
Inject(ENTRA_AUTH_CONFIG)(EntraAuthGuard, undefined, 0);
