/**
 * `@org/entra-koa`: Microsoft Entra ID access tokens in Koa 2 and 3.
 *
 * @packageDocumentation
 * @module \@org/entra-koa
 */
import './augment.js';

export type {
  EntraAuthErrorCode,
  EntraOpenApiOptions,
  EntraPrincipal,
  EntraValidator,
  EntraValidatorOptions,
  MatchOptions,
  OpenApiOAuth2Scheme,
  ScopeOrRoleRequirement,
} from '@org/entra-core';
// Re-exported so an app needs one import to share a validator, render errors itself, or describe
// its security in OpenAPI.
export {
  createEntraValidator,
  EntraAuthError,
  EntraConfigError,
  entraSecurityRequirement,
  entraSecurityScheme,
  errorResponse,
  isEntraAuthError,
  isEntraValidator,
} from '@org/entra-core';
export {
  requireAppOnly,
  requireDelegated,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from './guards.js';
export { type EntraAuthMiddleware, type EntraAuthOptions, entraAuth } from './middleware.js';
