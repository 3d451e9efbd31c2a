/**
 * How an auth failure leaves Express: answered here (RFC 6750, as the core words it) or handed to the
 * app's error middleware. The choice is made by `entraAuth` and remembered per request, so the guards
 * that follow it answer the same way.
 */
import { errorResponse, isEntraAuthError } from '@org/entra-core';
import type { NextFunction, Request, Response } from 'express';

interface RequestState {
  readonly passErrors: boolean;
  /** A CORS preflight `entraAuth` let through: guards let it through too. */
  readonly preflight: boolean;
}

const states = new WeakMap<Request, RequestState>();

export function remember(req: Request, state: RequestState): void {
  states.set(req, state);
}

export function isPassedPreflight(req: Request): boolean {
  return states.get(req)?.preflight === true;
}

export function fail(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if (!isEntraAuthError(error) || states.get(req)?.passErrors === true) {
    next(error);
    return;
  }
  const { status, headers, body } = errorResponse(error);
  res.status(status).set(headers).send(body);
}
