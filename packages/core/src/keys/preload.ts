/**
 * `jwks.preload`: keys given at start-up, so the first tokens verify without a key-set request.
 * Checked here, at start-up, with the rules of a fetched JWKS; imported on first use.
 */
import { EntraConfigError } from '../errors.js';
import { type ParsedJwk, parseJwks } from './jwks.js';

/** `jwks.preload` checked: its usable keys, and how many entries were ignored. */
export interface Preload {
  readonly keys: readonly ParsedJwk[];
  readonly ignored: number;
}

/** The usable keys of `jwks.preload`; throws `EntraConfigError` when there is none to use. */
export function resolvePreload(value: unknown, algorithms: ReadonlySet<string>): Preload | undefined {
  if (value === undefined) return undefined;
  const parsed = parseJwks(value, algorithms);
  if (parsed === undefined) {
    throw new EntraConfigError(
      'jwks.preload must be a JWKS document, { keys: [...] }, as served at the key set URL (jwks_uri)',
    );
  }
  if (parsed.keys.length === 0) {
    throw new EntraConfigError(
      `jwks.preload has no usable key (${parsed.ignored} ignored): it needs RSA signing keys of at least 2048 bits (kty RSA, use sig or absent, an alg among the accepted algorithms), as Entra publishes them`,
    );
  }
  return parsed;
}
