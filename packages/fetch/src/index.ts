/**
 * `@org/entra-fetch`: Microsoft Entra ID access tokens in Web `Request`/`Response` handlers (Next.js
 * route handlers, Hono, Bun, Deno, Cloudflare Workers).
 *
 * @packageDocumentation
 * @module \@org/entra-fetch
 */
export type {
  AuthContextOptions,
  EntraAuthErrorCode,
  EntraClientCredentialsOpenApiOptions,
  EntraErrorResponse,
  EntraEvent,
  EntraOpenApiOptions,
  EntraPrincipal,
  EntraSecurityRequirementOptions,
  EntraValidator,
  EntraValidatorOptions,
  MatchOptions,
  OpenApiClientCredentialsScheme,
  OpenApiOAuth2Scheme,
  PrincipalCheck,
  ScopeOrRoleRequirement,
} from '@org/entra-core';
// Re-exported so an app needs one import: to share a validator, check a principal inside a handler
// (an EntraAuthError it throws is answered like the wrapper's own), require a step-up, render errors
// itself, or describe its security in OpenAPI.
export {
  combineValidators,
  createEntraValidator,
  createRoleCheck,
  createScopeCheck,
  createScopeOrRoleCheck,
  EntraAuthError,
  EntraConfigError,
  entraSecurityRequirement,
  entraSecurityScheme,
  errorResponse,
  isEntraAuthError,
  isEntraValidator,
  requireAppOnly,
  requireAuthContext,
  requireDelegated,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from '@org/entra-core';
export type { CorsPreflightMode } from '@org/entra-core/adapter';
export { withEntraAuth } from './handler.js';
export type {
  EntraProtectedHandler,
  EntraRequestHandler,
  WithEntraAuthOptions,
  WithEntraAuthStrictOptions,
} from './options.js';
export { authenticateRequest, toErrorResponse } from './response.js';
