/**
 * The injection tokens and metadata keys of the module. Registered symbols, so that two copies of
 * the package (an ESM and a CommonJS one) agree on them.
 */
import type { EntraValidator } from '@org/entra-core';
import type { ResolvedAdapterOptions } from '@org/entra-core/adapter';

/** What `forRoot` / `forRootAsync` resolve to, read by the guard. */
export interface EntraAuthConfig {
  readonly validator: EntraValidator;
  /** The module created the validator (from options), so it closes it on shutdown. */
  readonly owned: boolean;
  /** The options of routes that need a token, and of `@OptionalAuth()` routes. */
  readonly required: ResolvedAdapterOptions;
  readonly optional: ResolvedAdapterOptions;
  readonly globalGuard: boolean;
}

export const ENTRA_AUTH_CONFIG: unique symbol = Symbol.for('@org/entra-nestjs:config');

/**
 * The injection token of the module's validator: inject it (`@Inject(ENTRA_VALIDATOR)`) to verify a
 * token yourself or describe the API in OpenAPI, or read it with `app.get(ENTRA_VALIDATOR)`.
 *
 * @example
 * ```ts
 * const validator = app.get<EntraValidator>(ENTRA_VALIDATOR);
 * await validator.warmUp();
 * ```
 */
export const ENTRA_VALIDATOR: unique symbol = Symbol.for('@org/entra-nestjs:validator');

/** `'public'` (`@Public()`) or `'optional'` (`@OptionalAuth()`); absent: a token is required. */
export const AUTH_MODE = Symbol.for('@org/entra-nestjs:mode');

/** One key per kind of requirement: a handler's list replaces its controller's, kind by kind. */
export const REQUIREMENT_KEYS = {
  scopes: Symbol.for('@org/entra-nestjs:scopes'),
  roles: Symbol.for('@org/entra-nestjs:roles'),
  scopeOrRole: Symbol.for('@org/entra-nestjs:scope-or-role'),
  caller: Symbol.for('@org/entra-nestjs:caller'),
  groups: Symbol.for('@org/entra-nestjs:groups'),
} as const;
