/**
 * How an auth failure leaves Express: answered here (RFC 6750, as the core words it) or handed to the
 * app's error middleware (`passErrors`, or any error that is not an auth error).
 */
import { type EntraAuthError, errorResponse, isEntraAuthError } from '@org/entra-core';
import { passesToFramework } from '@org/entra-core/adapter';
import type { ErrorRequestHandler, NextFunction, Response } from 'express';

function answer(error: EntraAuthError, res: Response): void {
  const { status, headers, body } = errorResponse(error);
  res.status(status).set(headers).send(body);
}

export function fail(
  error: unknown,
  state: { readonly passErrors: boolean } | undefined,
  res: Response,
  next: NextFunction,
): void {
  if (passesToFramework(error, state) || res.headersSent) next(error);
  else answer(error as EntraAuthError, res);
}

/**
 * Error middleware that answers an `EntraAuthError` thrown by a handler (or passed to `next(err)`)
 * the way the guards answer: status, `WWW-Authenticate`, `Cache-Control: no-store` and the JSON body
 * `{ error, error_description }`. Anything else goes on to the next error middleware. Add it after
 * your routes, so that `requireRoles(req.auth, ...)` or `requireAuthContext(req.auth, 'c1')` called
 * in a handler needs no error handling of its own.
 *
 * @example
 * ```ts
 * app.use(entraAuth({ tenantId, clientId }));
 * app.post('/payments', (req, res) => {
 *   requireAuthContext(req.auth, 'c1'); // 401 with a claims challenge, or 403
 *   res.json({ paid: true });
 * });
 * app.use(entraErrorHandler());
 * ```
 */
export function entraErrorHandler(): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (isEntraAuthError(err) && !res.headersSent) answer(err, res);
    else next(err);
  };
}
