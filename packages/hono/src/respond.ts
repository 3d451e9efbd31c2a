/**
 * How a request's authentication state is kept on Hono's context, and how an auth failure leaves
 * Hono: answered here (RFC 6750, as the core words it) or thrown to the app's `onError`
 * (`passErrors`, or any error that is not an auth error).
 */
import { type EntraAuthError, errorResponse } from '@org/entra-core';
import { ENTRA_AUTH_STATE, type EntraAuthState, passesToFramework } from '@org/entra-core/adapter';
import type { Context } from 'hono';

type WithState = { [ENTRA_AUTH_STATE]?: EntraAuthState };
type StatusCode = Parameters<Context['status']>[0];

/** On the context object itself, under the core's registered symbol: not a variable `c.var` lists. */
export function stateOf(c: Context): EntraAuthState | undefined {
  return (c as WithState)[ENTRA_AUTH_STATE];
}

export function keepState(c: Context, state: EntraAuthState): void {
  (c as WithState)[ENTRA_AUTH_STATE] = state;
  c.set('auth', state.principal);
}

/**
 * The core's answer as the context's response. Headers set earlier (CORS) are kept; the answer's own
 * (status, `WWW-Authenticate`, `Cache-Control`, content type) win over them, and over whatever
 * response an error handler made before.
 */
export function refuse(c: Context, error: EntraAuthError): Response {
  const { status, headers, body } = errorResponse(error);
  const response = c.newResponse(body, status as StatusCode, headers);
  c.res = undefined;
  c.res = response;
  return response;
}

export function fail(
  c: Context,
  error: unknown,
  state: { readonly passErrors: boolean } | undefined,
): Response {
  if (passesToFramework(error, state)) throw error;
  return refuse(c, error as EntraAuthError);
}
