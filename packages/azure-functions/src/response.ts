import type { HttpResponseInit } from '@azure/functions';
import { type EntraAuthError, errorResponse } from '@org/entra-core';

/**
 * The RFC 6750 answer to an auth error as an Azure Functions `HttpResponseInit`:
 * `{ status, headers, jsonBody }` with `WWW-Authenticate`, `Retry-After` (503),
 * `Cache-Control: no-store` and the body `{ error, error_description }` — what every adapter sends.
 *
 * @example
 * ```ts
 * app.http('report', {
 *   handler: async (request, context) => {
 *     try {
 *       const user = await validator.authenticate(request.headers.get('authorization'));
 *       return { jsonBody: { oid: user.objectId } };
 *     } catch (error) {
 *       if (isEntraAuthError(error)) return toErrorResponse(error); // 401, WWW-Authenticate: Bearer realm="api"
 *       throw error;
 *     }
 *   },
 * });
 * ```
 */
export function toErrorResponse(error: EntraAuthError): HttpResponseInit {
  const { status, headers, body } = errorResponse(error);
  return { status, headers, jsonBody: JSON.parse(body) };
}
