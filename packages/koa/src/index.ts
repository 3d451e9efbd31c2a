/**
 * `@org/entra-koa`: Microsoft Entra ID access tokens in Koa 2 and 3.
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
export { type EntraAuthMiddleware, type EntraAuthOptions, entraAuth } from './middleware.js';
