/**
 * `@org/entra-koa`: Microsoft Entra ID access tokens in Koa 2 and 3.
 *
 * @packageDocumentation
 * @module \@org/entra-koa
 */
import './augment.js';

export type {
  AuthContextOptions,
  EntraAuthErrorCode,
  EntraErrorResponse,
  EntraEvent,
  EntraOpenApiOptions,
  EntraPrincipal,
  EntraValidator,
  EntraValidatorOptions,
  MatchOptions,
  OpenApiOAuth2Scheme,
  PrincipalCheck,
  ScopeOrRoleRequirement,
} from '@org/entra-core';
// Re-exported so an app needs one import: to share a validator, check a principal inside a handler
// (the create*Check helpers; the guards below have the core's require* names), require a step-up,
// render errors itself, or describe its security in OpenAPI.
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
  requireAuthContext,
} from '@org/entra-core';
export type { CorsPreflightMode } from '@org/entra-core/adapter';
export {
  requireAppOnly,
  requireDelegated,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from './guards.js';
export { type EntraAuthMiddleware, type EntraAuthOptions, entraAuth } from './middleware.js';
