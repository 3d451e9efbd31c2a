import type { EntraValidator, EntraValidatorOptions } from '@org/entra-core';
import {
  authenticateIncoming,
  ENTRA_AUTH_STATE,
  type EntraAdapterOptions,
  resolveAdapterOptions,
  toValidator,
} from '@org/entra-core/adapter';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
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
   * `true` hands auth errors to `next(err)` so your error middleware renders them (each is an
   * `EntraAuthError` with `status`, `headers` and `wwwAuthenticate`). Default `false`: the middleware
   * answers with the RFC 6750 response itself. Guards that follow answer the same way.
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
export interface EntraAuthMiddleware extends RequestHandler {
  readonly validator: EntraValidator;
}

/**
 * Express middleware that authenticates the request's Bearer token and sets `req.auth`. A CORS
 * preflight that reaches it is answered `204` (see `corsPreflight`). Pass validator options (the
 * middleware creates and owns a validator) or a validator you share. Options are checked now: a
 * mistake throws `EntraConfigError` while the app is built.
 *
 * @example
 * ```ts
 * app.use(entraAuth({ tenantId: '<tenant guid>', clientId: '<api client id>' }));
 * app.get('/me', (req, res) => res.json({ oid: req.auth?.objectId }));
 * ```
 */
export function entraAuth(
  optionsOrValidator: EntraValidatorOptions | EntraValidator,
  options?: EntraAuthOptions,
): EntraAuthMiddleware {
  const opts = resolveAdapterOptions(options, 'entraAuth', { passErrors: 'boolean' });
  const { validator } = toValidator(optionsOrValidator);
  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    // Express 4 ignores returned promises: every outcome is settled here, none is left unhandled.
    authenticateIncoming(validator, req, opts)
      .then(
        (state) => {
          req[ENTRA_AUTH_STATE] = state;
          req.auth = state.principal;
          if (state.preflight === 'answer') res.status(204).end();
          else next();
        },
        (error: unknown) => fail(error, opts, res, next),
      )
      .catch(next);
  };
  return Object.assign(middleware, { validator });
}
