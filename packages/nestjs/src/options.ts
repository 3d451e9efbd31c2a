import {
  EntraConfigError,
  type EntraValidator,
  type EntraValidatorOptions,
  isEntraValidator,
} from '@org/entra-core';
import { type CorsPreflightMode, resolveAdapterOptions, toValidator } from '@org/entra-core/adapter';
import type { EntraAuthConfig } from './tokens.js';

/**
 * What the module does with requests, beside the validator's options.
 *
 * @example
 * ```ts
 * const options: EntraAuthModuleRequestOptions = { globalGuard: false, corsPreflight: 'authenticate' };
 * ```
 */
export interface EntraAuthModuleRequestOptions {
  /**
   * `true` (default): every route needs a token unless it is `@Public()` or `@OptionalAuth()`.
   * `false`: only routes with `@UseGuards(EntraAuthGuard)` or a requirement decorator are authenticated.
   */
  globalGuard?: boolean;
  /**
   * A CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) that reaches the
   * guard: `'answer'` it 204 with no body (default), `'authenticate'` it like any request, or
   * `'pass'` it to the handler unauthenticated (an explicit opt-in: the handler is open to anyone).
   */
  corsPreflight?: CorsPreflightMode;
}

/**
 * The object of `EntraAuthModule.forRoot`: validator options (the module creates a validator and
 * closes it on shutdown), or `{ validator }` to use one you share; plus `globalGuard` and `corsPreflight`.
 *
 * @example
 * ```ts
 * const options: EntraAuthModuleOptions = { tenantId: '<tenant guid>', clientId: '<api client id>' };
 * const shared: EntraAuthModuleOptions = { validator: createEntraValidator({ tenantId, clientId }), globalGuard: false };
 * ```
 */
export type EntraAuthModuleOptions = EntraAuthModuleRequestOptions &
  (EntraValidatorOptions | { validator: EntraValidator });

const MODULE_OPTIONS = ['globalGuard', 'corsPreflight'];

/** The options, own properties only, split into the module's and the validator's and checked now. */
export function readModuleOptions(options: unknown, where: string): EntraAuthConfig {
  if (typeof options !== 'object' || options === null) {
    throw new EntraConfigError(
      `${where}: pass validator options or { validator }, e.g. ${where}({ tenantId: '<tenant guid>', clientId: '<api client id>' })`,
    );
  }
  const given = options as Record<string, unknown>;
  const mine: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(given)) {
    if (MODULE_OPTIONS.includes(key)) mine[key] = given[key];
    else if (key !== 'validator') rest[key] = given[key];
  }
  const shared = Object.hasOwn(given, 'validator') ? given.validator : undefined;
  const required = resolveAdapterOptions(mine as EntraAuthModuleRequestOptions, where, {
    globalGuard: 'boolean',
  });
  if (shared !== undefined && !isEntraValidator(shared)) {
    throw new EntraConfigError(`${where}: validator must be a validator from createEntraValidator`);
  }
  if (shared !== undefined && Object.keys(rest).length > 0) {
    throw new EntraConfigError(
      `${where}: pass either { validator } or validator options, not both (got also ${Object.keys(rest).join(', ').slice(0, 200)})`,
    );
  }
  const { validator, owned } = toValidator((shared ?? rest) as EntraValidatorOptions | EntraValidator, where);
  return {
    validator,
    owned,
    required,
    optional: { ...required, optional: true },
    globalGuard: required.globalGuard !== false,
  };
}
