/**
 * `@org/entra-core`: verify Microsoft Entra ID access tokens, on any runtime with `fetch` and WebCrypto.
 * This entry is the user API (validator, authorization helpers, errors, types); what framework
 * adapters need beside it is in `@org/entra-core/adapter`.
 *
 * @packageDocumentation
 * @module \@org/entra-core
 */
export type { CloudHosts as EntraCloudHosts } from './authority/clouds.js';
export { CLOUDS as ENTRA_CLOUDS } from './authority/clouds.js';
export type { CombinedEntraValidator } from './authority/combine.js';
export { combineValidators } from './authority/combine.js';
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
export { readPermissions } from './claims.js';
export type {
  EntraAuthCheck,
  EntraAuthErrorCode,
  EntraAuthErrorOptions,
  EntraErrorResponse,
} from './errors.js';
export {
  ENTRA_AUTH_ERROR_CODES,
  EntraAuthError,
  EntraConfigError,
  errorResponse,
  isEntraAuthError,
} from './errors.js';
export type {
  EntraEvent,
  EntraEventListener,
  FetchFailureReason,
  KeyFetchTrigger,
  KeyStoreDocument,
  KeyStoreFailureReason,
} from './events.js';
export type {
  GraphTokenProvider,
  GraphTokenRequest,
  GroupsCheck,
  GroupsOptions,
  RequireGroupsOptions,
} from './groups/index.js';
export { createGroupsCheck, requireGroups, resolveGroups } from './groups/index.js';
export { CONSUMERS_TENANT_ID, isGuid } from './ids.js';
export type { DecodedToken, TokenKind } from './inspect.js';
export { b2cPolicyOf, classifyToken, decodeTokenUnverified } from './inspect.js';
export { microsoftServiceName } from './microsoft.js';
export type {
  EntraClientCredentialsOpenApiOptions,
  EntraOpenApiOptions,
  EntraSecurityRequirementOptions,
  OpenApiClientCredentialsScheme,
  OpenApiOAuth2Scheme,
} from './openapi.js';
export { entraSecurityRequirement, entraSecurityScheme } from './openapi.js';
export type {
  EntraAllowedTenants,
  EntraB2COptions,
  EntraB2CValidatorBaseOptions,
  EntraCloud,
  EntraExternalIdOptions,
  EntraExternalIdValidatorBaseOptions,
  EntraJwksOptions,
  EntraJwksPreload,
  EntraKeyStore,
  EntraSigningAlgorithm,
  EntraTokenVersion,
  EntraValidatorBaseOptions,
  EntraValidatorOptions,
} from './options.js';
export type { EntraPrincipal } from './principal.js';
export { MAX_KID_LENGTH } from './token.js';
export type { EntraValidator, EntraValidatorConfig } from './validator.js';
export { createEntraValidator, isEntraValidator } from './validator.js';
