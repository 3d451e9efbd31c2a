/**
 * `@org/entra-fetch`: Microsoft Entra ID access tokens in Web `Request`/`Response` handlers (Next.js
 * route handlers, Hono, Bun, Deno, Cloudflare Workers).
 *
 * @packageDocumentation
 * @module \@org/entra-fetch
 */
export type {
  EntraAuthErrorCode,
  EntraOpenApiOptions,
  EntraPrincipal,
  EntraValidator,
  EntraValidatorOptions,
  MatchOptions,
  OpenApiOAuth2Scheme,
} from '@org/entra-core';
// Re-exported so an app needs one import to share a validator, check inside a handler, or describe
// its security in OpenAPI.
export {
  createEntraValidator,
  EntraAuthError,
  EntraConfigError,
  entraSecurityRequirement,
  entraSecurityScheme,
  isEntraAuthError,
  isEntraValidator,
  requireAppOnly,
  requireDelegated,
  requireRoles,
  requireScopes,
} from '@org/entra-core';
export { withEntraAuth } from './handler.js';
export type {
  EntraProtectedHandler,
  EntraRequestHandler,
  WithEntraAuthOptions,
  WithEntraAuthStrictOptions,
} from './options.js';
export { authenticateRequest, toErrorResponse } from './response.js';
