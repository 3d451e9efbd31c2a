/**
 * How an auth failure leaves Express: answered here (RFC 6750, as the core words it) or handed to the
 * app's error middleware (`passErrors`, or any error that is not an auth error).
 */
import { errorResponse, passesToFramework } from '@org/entra-core';
import type { NextFunction, Request, Response } from 'express';

export function fail(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if (passesToFramework(req, error)) {
    next(error);
    return;
  }
  const { status, headers, body } = errorResponse(error as never);
  res.status(status).set(headers).send(body);
}
