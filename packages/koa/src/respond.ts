/**
 * How an auth failure leaves Koa: answered here (RFC 6750, as the core words it) or thrown for the
 * app's error handling (an `EntraAuthError` is ctx.throw-compatible: `status`, `expose`, `headers`).
 * The choice is made by `entraAuth` and remembered per context, so the guards after it follow it.
 */
import { errorResponse, isEntraAuthError } from '@org/entra-core';
import type { Context } from 'koa';

interface ContextState {
  readonly passErrors: boolean;
  /** A CORS preflight `entraAuth` let through: guards let it through too. */
  readonly preflight: boolean;
}

const states = new WeakMap<Context, ContextState>();

export function remember(ctx: Context, state: ContextState): void {
  states.set(ctx, state);
}

export function isPassedPreflight(ctx: Context): boolean {
  return states.get(ctx)?.preflight === true;
}

export function fail(error: unknown, ctx: Context): void {
  if (!isEntraAuthError(error) || states.get(ctx)?.passErrors === true) throw error;
  const { status, headers, body } = errorResponse(error);
  ctx.status = status;
  ctx.set(headers);
  ctx.body = body;
}
