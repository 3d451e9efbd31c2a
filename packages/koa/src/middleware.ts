import type { EntraValidator, EntraValidatorOptions } from '@org/entra-core';
import {
  authenticateIncoming,
  ENTRA_AUTH_STATE,
  type EntraAdapterOptions,
  type EntraAuthState,
  resolveAdapterOptions,
  toValidator,
} from '@org/entra-core/adapter';
import type { Context, Middleware, Next } from 'koa';
import { fail } from './respond.js';

/**
 * Options of {@link entraAuth}, beside the validator's.
 *
 * @example
 * ```ts
 * const options: EntraAuthOptions = { optional: true, corsPreflight: 'authenticate', passErrors: false };
 * ```
 */
export interface EntraAuthOptions extends EntraAdapterOptions {
  /**
   * `true` throws auth errors (an `EntraAuthError`: `status`, `expose`, `headers`, like `ctx.throw`)
   * for your error handling. Default `false`: the middleware answers with the RFC 6750 response
   * itself, for its own refusals, the guards' and `EntraAuthError`s thrown downstream.
   */
  passErrors?: boolean;
}

/**
 * The middleware {@link entraAuth} returns, with the validator it uses (to share it, warm it up or
 * close it).
 *
 * @example
 * ```ts
 * const auth = entraAuth({ tenantId, clientId });
 * await auth.validator.warmUp();
 * ```
 */
export interface EntraAuthMiddleware extends Middleware {
  readonly validator: EntraValidator;
}

/**
 * Koa middleware that authenticates the request's Bearer token and sets `ctx.state.auth`. A CORS
 * preflight that reaches it is answered `204` (see `corsPreflight`); an `EntraAuthError` thrown
 * downstream (a guard's, or `requireAuthContext` in a handler) is answered like its own refusals.
 * Pass validator options (the middleware creates and owns a validator) or a validator you share.
 * Options are checked now: a mistake throws `EntraConfigError` while the app is built.
 *
 * @example
 * ```ts
 * app.use(entraAuth({ tenantId: '<tenant guid>', clientId: '<api client id>' }));
 * app.use((ctx) => { ctx.body = { oid: ctx.state.auth?.objectId }; });
 * ```
 */
export function entraAuth(
  optionsOrValidator: EntraValidatorOptions | EntraValidator,
  options?: EntraAuthOptions,
): EntraAuthMiddleware {
  const opts = resolveAdapterOptions(options, 'entraAuth', { passErrors: 'boolean' });
  const { validator } = toValidator(optionsOrValidator);
  const middleware = async (ctx: Context, next: Next): Promise<void> => {
    let state: EntraAuthState;
    try {
      state = await authenticateIncoming(validator, ctx, opts, ctx.req.rawHeaders);
    } catch (error) {
      fail(error, opts, ctx);
      return;
    }
    ctx.state[ENTRA_AUTH_STATE] = state;
    ctx.state.auth = state.principal;
    if (state.preflight === 'answer') {
      ctx.status = 204;
      return;
    }
    try {
      await next();
    } catch (error) {
      // The state downstream is the innermost entraAuth's: its passErrors decides.
      fail(error, ctx.state[ENTRA_AUTH_STATE] ?? state, ctx);
    }
  };
  return Object.assign(middleware, { validator });
}
