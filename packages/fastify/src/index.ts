/**
 * `@org/entra-fastify`: Microsoft Entra ID access tokens in Fastify 4 and 5.
 *
 * @packageDocumentation
 * @module \@org/entra-fastify
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
// (the create*Check helpers; the guards below have the core's require* names), read or require
// group membership (resolveGroups, createGroupsCheck; requireGroups below is the guard), require a step-up,
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
  requireAuthContext,
  resolveGroups,
} from '@org/entra-core';
export type { CorsPreflightMode } from '@org/entra-core/adapter';
export {
  requireAppOnly,
  requireDelegated,
  requireGroups,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from './guards.js';
export type { EntraFastifyOptions, EntraPluginRequestOptions } from './options.js';
export { entraAuth } from './plugin.js';
