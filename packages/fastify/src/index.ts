/**
 * `@org/entra-fastify`: Microsoft Entra ID access tokens in Fastify 4 and 5.
 *
 * @packageDocumentation
 */
import './augment.js';

export type {
  EntraAuthErrorCode,
  EntraPrincipal,
  EntraValidator,
  EntraValidatorOptions,
  MatchOptions,
  ScopeOrRoleRequirement,
} from '@org/entra-core';
// Re-exported so an app needs one import to share a validator or render errors itself.
export {
  createEntraValidator,
  EntraAuthError,
  EntraConfigError,
  errorResponse,
  isEntraAuthError,
} from '@org/entra-core';
export {
  requireAppOnly,
  requireDelegated,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from './guards.js';
export { type EntraFastifyOptions, type EntraPluginRequestOptions, entraAuth } from './plugin.js';
