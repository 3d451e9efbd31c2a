import {
  authenticateIncoming,
  type EntraAuthRequestOptions,
  type EntraPrincipal,
  type EntraValidator,
  type EntraValidatorOptions,
  resolveRequestOptions,
  toValidator,
} from '@org/entra-core';
import type { Context, Middleware, Next } from 'koa';
import { fail } from './respond.js';

/**
 * Options of {@link entraAuth}, beside the validator's.
 *
 * @example
 * ```ts
 * const options: EntraAuthOptions = { optional: true, corsPreflight: 'pass', passErrors: false };
 * ```
 */
export interface EntraAuthOptions extends EntraAuthRequestOptions {
  /**
   * `true` throws auth errors (an `EntraAuthError`: `status`, `expose`, `headers`, like `ctx.throw`)
   * for your error handling. Default `false`: the middleware answers with the RFC 6750 response
   * itself. Guards that follow answer the same way.
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
 * Koa middleware that authenticates the request's Bearer token and sets `ctx.state.auth`. Pass
 * validator options (the middleware creates and owns a validator) or a validator you share. Options
 * are checked now: a mistake throws `EntraConfigError` while the app is built.
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
  const opts = resolveRequestOptions(options, 'entraAuth', { passErrors: 'boolean' });
  const { validator } = toValidator(optionsOrValidator);
  const middleware = async (ctx: Context, next: Next): Promise<void> => {
    let principal: EntraPrincipal | undefined;
    try {
      principal = await authenticateIncoming(validator, ctx, opts, ctx.req.rawHeaders);
    } catch (error) {
      fail(error, ctx);
      return;
    }
    ctx.state.auth = principal;
    await next();
  };
  return Object.assign(middleware, { validator });
}
