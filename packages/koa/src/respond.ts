/**
 * How an auth failure leaves Koa: answered here (RFC 6750, as the core words it) or thrown for the
 * app's error handling (`passErrors`, or any error that is not an auth error). An `EntraAuthError`
 * is `ctx.throw`-compatible: `status`, `expose` and `headers`.
 */
import { errorResponse, passesToFramework } from '@org/entra-core';
import type { Context } from 'koa';

export function fail(error: unknown, ctx: Context): void {
  if (passesToFramework(ctx, error)) throw error;
  const { status, headers, body } = errorResponse(error as never);
  ctx.status = status;
  ctx.set(headers);
  ctx.body = body;
}
