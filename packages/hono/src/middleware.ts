import { type EntraValidator, type EntraValidatorOptions, isEntraAuthError } from '@org/entra-core';
import {
  authenticateWebRequest,
  type EntraAdapterOptions,
  type EntraAuthState,
  passesToFramework,
  resolveAdapterOptions,
  toValidator,
} from '@org/entra-core/adapter';
import type { Env, MiddlewareHandler } from 'hono';
import type { EntraAuthenticatedEnv, EntraEnv } from './env.js';
import { fail, keepState, refuse, stateOf } from './respond.js';

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
   * `true` throws auth errors (the `EntraAuthError`) to your `app.onError`: the middleware's own
   * refusals, the guards' and those of the handlers after it. Default `false`: they are answered
   * with the RFC 6750 response the core words.
   */
  passErrors?: boolean;
}

/**
 * Options under which every request that gets past `entraAuth` has a principal: not optional, and
 * preflights answered (the default) or authenticated, never passed on.
 *
 * @example
 * ```ts
 * const options: EntraAuthStrictOptions = { corsPreflight: 'authenticate' };
 * ```
 */
export type EntraAuthStrictOptions = EntraAuthOptions & {
  optional?: false;
  corsPreflight?: 'answer' | 'authenticate';
};

/**
 * The middleware {@link entraAuth} returns, with the validator it uses (to share it, warm it up or
 * close it). `E` is what it tells Hono about `c.get('auth')`: {@link EntraAuthenticatedEnv}, or
 * {@link EntraEnv} when the principal may be absent (optional routes, preflights passed on).
 *
 * @example
 * ```ts
 * const auth: EntraAuthMiddleware = entraAuth({ tenantId: '<tenant guid>', clientId: '<api client id>' });
 * await auth.validator.warmUp();
 * ```
 */
export type EntraAuthMiddleware<E extends Env = any> = MiddlewareHandler<E> & {
  readonly validator: EntraValidator;
};

/**
 * Hono middleware that authenticates the request's Bearer token and sets `c.get('auth')`. A CORS
 * preflight that reaches it is answered `204` (see `corsPreflight`); an `EntraAuthError` thrown by a
 * handler after it (`requireAuthContext`, a `createRoleCheck` check) is answered like its own
 * refusals, whatever `app.onError` does with other errors. Pass validator options (the middleware
 * creates and owns a validator) or a validator you share. Options are checked now: a mistake throws
 * `EntraConfigError` while the app is built. Unless the route is `optional` or preflights are
 * passed on, the handlers after it see `c.get('auth')` typed as always present.
 *
 * @example
 * ```ts
 * const app = new Hono<EntraEnv>();
 * app.use('/api/*', entraAuth({ tenantId: '<tenant guid>', clientId: '<api client id>' }));
 * app.get('/api/me', (c) => c.json({ oid: c.get('auth')?.objectId }));
 * ```
 */
export function entraAuth(
  optionsOrValidator: EntraValidatorOptions | EntraValidator,
  options?: EntraAuthStrictOptions,
): EntraAuthMiddleware<EntraAuthenticatedEnv>;
export function entraAuth(
  optionsOrValidator: EntraValidatorOptions | EntraValidator,
  options?: EntraAuthOptions,
): EntraAuthMiddleware<EntraEnv>;
export function entraAuth(
  optionsOrValidator: EntraValidatorOptions | EntraValidator,
  options?: EntraAuthOptions,
): EntraAuthMiddleware<EntraEnv> | EntraAuthMiddleware<EntraAuthenticatedEnv> {
  const opts = resolveAdapterOptions(options, 'entraAuth', { passErrors: 'boolean' });
  const { validator } = toValidator(optionsOrValidator);
  const middleware: MiddlewareHandler<EntraEnv> = async (c, next) => {
    let state: EntraAuthState;
    try {
      state = await authenticateWebRequest(validator, c.req.raw, opts);
    } catch (error) {
      return fail(c, error, opts);
    }
    keepState(c, state);
    if (state.preflight === 'answer') return c.body(null, 204);
    const before = c.error;
    try {
      await next();
    } catch (error) {
      // Only what the app's onError threw again gets here.
      return fail(c, error, stateOf(c));
    }
    // Hono hands a handler's error to app.onError before next() returns: c.error says what it was.
    // The innermost entraAuth's passErrors decides.
    const thrown = c.error;
    if (thrown !== before && isEntraAuthError(thrown) && !passesToFramework(thrown, stateOf(c))) {
      refuse(c, thrown);
    }
  };
  return Object.assign(middleware, { validator });
}
