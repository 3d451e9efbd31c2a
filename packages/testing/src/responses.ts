/**
 * Writing JSON answers the way Entra does: `application/json; charset=utf-8` with a length.
 */
import type { ServerResponse } from 'node:http';

export const JSON_TYPE = 'application/json; charset=utf-8';

/** Headers Entra sends with its discovery documents and key sets. */
export const DOCUMENT_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'max-age=86400, private',
  'access-control-allow-origin': '*',
  'x-content-type-options': 'nosniff',
};

/** Headers of error answers, which must not be cached. */
export const ERROR_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store, no-cache',
  'x-content-type-options': 'nosniff',
};

/** A complete answer with `content-length`. Statuses that may not carry a body get none. */
export function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Readonly<Record<string, string>>,
): void {
  const bytes = status === 204 || status === 304 ? Buffer.alloc(0) : Buffer.from(body);
  res.writeHead(status, { ...headers, 'content-type': JSON_TYPE, 'content-length': bytes.length });
  res.end(bytes);
}
