/**
 * `@org/entra-azure-functions`: Microsoft Entra ID access tokens in Azure Functions HTTP triggers
 * (v4 programming model), without App Service Authentication (EasyAuth).
 *
 * @packageDocumentation
 * @module \@org/entra-azure-functions
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
  GroupsOptions,
  MatchOptions,
  OpenApiClientCredentialsScheme,
  OpenApiOAuth2Scheme,
  PrincipalCheck,
  RequireGroupsOptions,
  ScopeOrRoleRequirement,
} from '@org/entra-core';
// Re-exported so an app needs one import: to share a validator, check a principal inside a handler
// (an EntraAuthError it throws is answered like the wrapper's own), require a step-up or groups,
// render errors itself, or describe its security in OpenAPI.
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
  requireAppOnly,
  requireAuthContext,
  requireDelegated,
  requireGroups,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
  resolveGroups,
} from '@org/entra-core';
export type { CorsPreflightMode } from '@org/entra-core/adapter';
export { withEntraAuth } from './handler.js';
export type {
  EntraHttpHandler,
  EntraProtectedHttpHandler,
  WithEntraAuthOptions,
  WithEntraAuthStrictOptions,
} from './options.js';
export { toErrorResponse } from './response.js';
