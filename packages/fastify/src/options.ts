import {
  EntraConfigError,
  type EntraValidator,
  type EntraValidatorOptions,
  isEntraValidator,
} from '@org/entra-core';
import {
  type EntraAdapterOptions,
  type ResolvedAdapterOptions,
  resolveAdapterOptions,
  toValidator,
} from '@org/entra-core/adapter';

/**
 * What the plugin does with requests, beside the validator's options.
 *
 * @example
 * ```ts
 * const options: EntraPluginRequestOptions = { optional: true, passErrors: true };
 * ```
 */
export interface EntraPluginRequestOptions extends EntraAdapterOptions {
  /**
   * `true` throws auth errors to your `setErrorHandler` (an `EntraAuthError` with `statusCode` and
   * `headers`). Default `false`: the plugin answers with the RFC 6750 response itself, for its own
   * refusals, the guards' and `EntraAuthError`s thrown by handlers.
   */
  passErrors?: boolean;
}

/**
 * Options of the {@link entraAuth} plugin: validator options (the plugin creates a validator and
 * closes it with the app), or `{ validator }` to use one you share; plus `optional`,
 * `corsPreflight` and `passErrors`.
 *
 * @example
 * ```ts
 * const options: EntraFastifyOptions = { tenantId: '<tenant guid>', clientId: '<api client id>', optional: true };
 * const shared: EntraFastifyOptions = { validator: createEntraValidator({ tenantId, clientId }) };
 * ```
 */
export type EntraFastifyOptions = EntraPluginRequestOptions &
  (EntraValidatorOptions | { validator: EntraValidator });

const PLUGIN_OPTIONS = ['optional', 'corsPreflight', 'passErrors'];
// Fastify's own register options (as @fastify/autoload passes them) arrive here too: not ours.
const FASTIFY_OPTIONS = ['prefix', 'logLevel', 'logSerializers'];

/** The register options, own properties only, split into the plugin's and the validator's. */
export function readOptions(options: EntraFastifyOptions): {
  validator: EntraValidator;
  owned: boolean;
  opts: ResolvedAdapterOptions;
} {
  const given = options as unknown as Record<string, unknown>;
  const mine: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(given)) {
    if (PLUGIN_OPTIONS.includes(key) || key === 'validator') mine[key] = given[key];
    else if (!FASTIFY_OPTIONS.includes(key)) rest[key] = given[key];
  }
  const { validator: shared, ...request } = mine;
  const opts = resolveAdapterOptions(request, 'entraAuth', { passErrors: 'boolean' });
  if (shared !== undefined && !isEntraValidator(shared)) {
    throw new EntraConfigError('entraAuth: validator must be a validator from createEntraValidator');
  }
  if (shared !== undefined && Object.keys(rest).length > 0) {
    throw new EntraConfigError(
      `entraAuth: pass either { validator } or validator options, not both (got also ${Object.keys(rest).join(', ').slice(0, 200)})`,
    );
  }
  return { ...toValidator((shared ?? rest) as EntraValidatorOptions | EntraValidator), opts };
}
