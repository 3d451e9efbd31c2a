/**
 * `@org/entra-nestjs`: Microsoft Entra ID access tokens in NestJS 10, 11 and 12, on platform-express
 * and platform-fastify.
 *
 * @packageDocumentation
 * @module \@org/entra-nestjs
 */
import './augment.js';

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
// (thrown there, the module's filter answers like the guard), require a step-up or groups, render
// errors itself, or describe its security in OpenAPI.
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
export {
  AppOnly,
  Delegated,
  EntraUser,
  OptionalAuth,
  Public,
  RequireGroups,
  RequireRoles,
  RequireScopeOrRole,
  RequireScopes,
} from './decorators.js';
export { EntraAuthExceptionFilter } from './filter.js';
export { EntraAuthGuard } from './guard.js';
export { EntraAuthModule, type EntraAuthModuleAsyncOptions } from './module.js';
export type { EntraAuthModuleOptions, EntraAuthModuleRequestOptions } from './options.js';
export { addEntraSecurity, type EntraSwaggerOptions, type EntraSwaggerTarget } from './swagger.js';
export { ENTRA_VALIDATOR } from './tokens.js';
