/**
 * `@org/entra-core`: verify Microsoft Entra ID access tokens, on any runtime with `fetch` and WebCrypto.
 *
 * @packageDocumentation
 * @module \@org/entra-core
 */
export type {
  AuthContextOptions,
  MatchOptions,
  PrincipalCheck,
  ScopeOrRoleRequirement,
} from './authorize.js';
export {
  createRoleCheck,
  createScopeCheck,
  createScopeOrRoleCheck,
  requireAppOnly,
  requireAuthContext,
  requireDelegated,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from './authorize.js';
export { extractBearerToken } from './bearer.js';
export type { EntraAuthErrorCode, EntraAuthErrorOptions, EntraErrorResponse } from './errors.js';
export {
  ENTRA_AUTH_ERROR_CODES,
  EntraAuthError,
  EntraConfigError,
  errorResponse,
  isEntraAuthError,
} from './errors.js';
export type { EntraEvent, FetchFailureReason, KeyFetchTrigger } from './events.js';
export type {
  GraphTokenProvider,
  GraphTokenRequest,
  GroupsCheck,
  GroupsOptions,
  RequireGroupsOptions,
} from './groups.js';
export { createGroupsCheck, requireGroups, resolveGroups } from './groups.js';
export type { DecodedToken, TokenKind } from './inspect.js';
export { classifyToken, decodeTokenUnverified, microsoftServiceOf } from './inspect.js';
export type { EntraOpenApiOptions, OpenApiOAuth2Scheme } from './openapi.js';
export { entraSecurityRequirement, entraSecurityScheme } from './openapi.js';
export type {
  EntraAllowedTenants,
  EntraCloud,
  EntraJwksOptions,
  EntraSigningAlgorithm,
  EntraTokenVersion,
  EntraValidatorBaseOptions,
  EntraValidatorOptions,
} from './options.js';
export type { EntraPrincipal } from './principal.js';
export type {
  EntraAuthRequestOptions,
  EntraRequestView,
  ExtraOptionType,
  IncomingRequestLike,
} from './request.js';
export {
  authenticateIncoming,
  authenticateRequestView,
  isCorsPreflight,
  passesToFramework,
  resolveRequestOptions,
  runGuard,
  toValidator,
} from './request.js';
export type { EntraValidator, EntraValidatorConfig } from './validator.js';
export { createEntraValidator, isEntraValidator } from './validator.js';
