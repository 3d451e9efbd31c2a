/**
 * `@org/entra-fetch`: Microsoft Entra ID access tokens in Web `Request`/`Response` handlers (Next.js
 * route handlers, Hono, Bun, Deno, Cloudflare Workers).
 *
 * @packageDocumentation
 */
export type {
  EntraAuthErrorCode,
  EntraPrincipal,
  EntraValidator,
  EntraValidatorOptions,
  MatchOptions,
} from '@org/entra-core';
// Re-exported so an app needs one import to share a validator or check inside a handler.
export {
  createEntraValidator,
  EntraAuthError,
  EntraConfigError,
  isEntraAuthError,
  requireAppOnly,
  requireDelegated,
  requireRoles,
  requireScopes,
} from '@org/entra-core';
export { withEntraAuth } from './handler.js';
export type {
  EntraProtectedHandler,
  EntraRequestHandler,
  WithEntraAuthOptions,
  WithEntraAuthStrictOptions,
} from './options.js';
export { authenticateRequest, toErrorResponse } from './response.js';
