/**
 * `@org/entra-hono`: Microsoft Entra ID access tokens in Hono, on every runtime Hono runs on.
 *
 * @packageDocumentation
 * @module \@org/entra-hono
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
  GraphTokenProvider,
  GraphTokenRequest,
  GroupsCheck,
  GroupsOptions,
  MatchOptions,
  OpenApiClientCredentialsScheme,
  OpenApiOAuth2Scheme,
  PrincipalCheck,
  RequireGroupsOptions,
  ScopeOrRoleRequirement,
} from '@org/entra-core';
// Re-exported so an app needs one import: to share a validator, check a principal inside a handler
// (the create*Check helpers; the guards below have the core's require* names), require a step-up,
// read groups, render errors itself, or describe its security in OpenAPI.
export {
  combineValidators,
  createEntraValidator,
  createGroupsCheck,
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
  resolveGroups,
} from '@org/entra-core';
export type { CorsPreflightMode } from '@org/entra-core/adapter';
export type { EntraAuthenticatedEnv, EntraEnv, EntraVariables } from './env.js';
export {
  type EntraGuard,
  requireAppOnly,
  requireDelegated,
  requireGroups,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from './guards.js';
export {
  type EntraAuthMiddleware,
  type EntraAuthOptions,
  type EntraAuthStrictOptions,
  entraAuth,
} from './middleware.js';
