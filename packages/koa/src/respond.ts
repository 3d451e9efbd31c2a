/**
 * How an auth failure leaves Koa: answered here (RFC 6750, as the core words it) or thrown for the
 * app's error handling (`passErrors`, or any error that is not an auth error). An `EntraAuthError`
 * is `ctx.throw`-compatible: `status`, `expose` and `headers`.
 */
import { type EntraAuthError, errorResponse } from '@org/entra-core';
import { passesToFramework } from '@org/entra-core/adapter';
import type { Context } from 'koa';

export function fail(
  error: unknown,
  state: { readonly passErrors: boolean } | undefined,
  ctx: Context,
): void {
  if (passesToFramework(error, state) || ctx.headerSent) throw error;
  const { status, headers, body } = errorResponse(error as EntraAuthError);
  ctx.status = status;
  ctx.set(headers);
  ctx.body = body;
}
