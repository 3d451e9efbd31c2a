/**
 * The checks every reader of options shares: own properties only (a polluted `Object.prototype`
 * configures nothing), and an `EntraConfigError` whose message says the fix.
 */
import { EntraConfigError } from './errors.js';
import { isTrustedUrl } from './urls.js';

/** A DNS name such as `contoso.onmicrosoft.com` (lower case). */
export const DOMAIN_RE = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function fail(message: string): never {
  throw new EntraConfigError(message);
}

/** An own property's value; an inherited one counts as absent. */
export function own<T extends object, K extends string>(
  object: T,
  key: K,
): (K extends keyof T ? T[K] : unknown) | undefined {
  return Object.hasOwn(object, key) ? (object as Record<string, never>)[key] : undefined;
}

export function checkUrl(name: string, value: unknown, example: string): URL {
  if (typeof value !== 'string' || value === '') fail(`${name} must be a URL string, for example ${example}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(`${name} is not a valid URL: use an absolute URL such as ${example}`);
  }
  if (!isTrustedUrl(url)) {
    fail(
      `${name} must use https: (http: is accepted only for loopback hosts such as 127.0.0.1, for tests); got a ${url.protocol} URL on a non-loopback host`,
    );
  }
  if (url.username || url.password || url.hash) fail(`${name} must not contain credentials or a #fragment`);
  return url;
}

export function positive(name: string, value: unknown, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    fail(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} finite number`);
  }
  return value;
}

export function boolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(`${name} must be true or false`);
  return value;
}

export function nonEmptyStrings(name: string, value: unknown, hint: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) fail(`${name} must not be empty: ${hint}`);
  for (const item of list) {
    if (typeof item !== 'string' || item.trim() === '')
      fail(`${name} must contain only non-empty strings: ${hint}`);
  }
  return list as string[];
}

/**
 * The own enumerable properties of an options object, on an object with no prototype: a polluted
 * `Object.prototype` (`Object.prototype.authority = ...`) must configure nothing.
 */
export function ownProperties(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) out[key] = (value as Record<string, unknown>)[key];
  return out;
}
