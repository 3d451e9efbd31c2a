import {
  type EntraAuthError,
  type EntraPrincipal,
  type EntraValidator,
  errorResponse,
} from '@org/entra-core';

/**
 * Authenticates a Web `Request` by its `Authorization` header, whatever its method: for those who
 * compose their own handler. Rejects with an `EntraAuthError` (turn it into a response with
 * {@link toErrorResponse}).
 *
 * @example
 * ```ts
 * try {
 *   const principal = await authenticateRequest(validator, request);
 *   return Response.json({ oid: principal.objectId });
 * } catch (error) {
 *   if (isEntraAuthError(error)) return toErrorResponse(error);
 *   throw error;
 * }
 * ```
 */
export function authenticateRequest(validator: EntraValidator, request: Request): Promise<EntraPrincipal> {
  return validator.authenticate(request.headers.get('authorization'));
}

/**
 * The RFC 6750 answer to an auth error as a Web `Response`: status, `WWW-Authenticate`,
 * `Retry-After` (503), `Cache-Control: no-store` and the JSON body `{ error, error_description }`.
 *
 * @example
 * ```ts
 * const response = toErrorResponse(new EntraAuthError('missing_token')); // 401, WWW-Authenticate: Bearer realm="api"
 * ```
 */
export function toErrorResponse(error: EntraAuthError): Response {
  const { status, headers, body } = errorResponse(error);
  return new Response(body, { status, headers });
}
