/**
 * What every framework adapter does with a request, decided once: CORS preflights pass, optional
 * routes let anonymous requests through, everything else is authenticated. Adapters only read
 * headers and write responses.
 */
import type { PrincipalCheck } from './authorize.js';
import { EntraConfigError, isEntraAuthError } from './errors.js';
import type { EntraValidatorOptions } from './options.js';
import type { EntraPrincipal } from './principal.js';
import { createEntraValidator, type EntraValidator, isEntraValidator } from './validator.js';

/**
 * Options every adapter's authenticating middleware accepts.
 *
 * @example
 * ```ts
 * const options: EntraAuthRequestOptions = { optional: true, corsPreflight: 'pass' };
 * const principal = await authenticateIncoming(validator, req, resolveRequestOptions(options, 'myAdapter'));
 * ```
 */
export interface EntraAuthRequestOptions {
  /** Let requests without a token through with no principal; a token that is present and bad is still refused. Default `false`. */
  optional?: boolean;
  /**
   * What to do with a CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`,
   * which browsers send without a token): `'pass'` it on to the next handler (default) or
   * `'authenticate'` it like any request.
   */
  corsPreflight?: 'pass' | 'authenticate';
}

/**
 * The parts of an HTTP request authentication reads. Header names are given in lower case.
 *
 * @example
 * ```ts
 * const view: EntraRequestView = { method: request.method, header: (name) => request.headers.get(name) };
 * const principal = await authenticateRequestView(validator, view, { optional: false, corsPreflight: 'pass' });
 * ```
 */
export interface EntraRequestView {
  readonly method: string | undefined;
  header(
    name: 'authorization' | 'origin' | 'access-control-request-method',
  ): string | readonly string[] | null | undefined;
}

/**
 * True for a CORS preflight request: `OPTIONS` with an `Origin` and an `Access-Control-Request-Method`.
 *
 * @example
 * ```ts
 * isCorsPreflight({ method: req.method, header: (n) => req.headers[n] });
 * ```
 */
export function isCorsPreflight(request: EntraRequestView): boolean {
  return (
    request.method?.toUpperCase() === 'OPTIONS' &&
    !!request.header('origin') &&
    !!request.header('access-control-request-method')
  );
}

/**
 * The type an adapter's own option must have: checked at set-up like the shared ones.
 *
 * @example
 * ```ts
 * const extra: Record<string, ExtraOptionType> = { passErrors: 'boolean', onError: 'function' };
 * const opts = resolveRequestOptions(options, 'myAdapter', extra);
 * ```
 */
export type ExtraOptionType = 'boolean' | 'function' | 'any';

/**
 * Checks adapter options at set-up time (unknown keys and wrong types are configuration errors) and
 * returns them normalised. `extra` names the adapter's own options and their types.
 *
 * @example
 * ```ts
 * const opts = resolveRequestOptions(options, 'entraAuth', { passErrors: 'boolean' });
 * ```
 */
export function resolveRequestOptions<T extends EntraAuthRequestOptions>(
  options: T | undefined,
  where: string,
  extra: Readonly<Record<string, ExtraOptionType>> = {},
): T & Required<EntraAuthRequestOptions> {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new EntraConfigError(`${where}: the options must be an object, e.g. { optional: true }`);
  }
  const known = ['optional', 'corsPreflight', ...Object.keys(extra)];
  for (const [key, value] of Object.entries(options ?? {})) {
    if (!known.includes(key)) {
      throw new EntraConfigError(
        `${where}: unknown option '${key.slice(0, 40)}'. Known options: ${known.join(', ')}`,
      );
    }
    const type = extra[key];
    if (value !== undefined && (type === 'boolean' || type === 'function') && typeof value !== type) {
      throw new EntraConfigError(
        `${where}: ${key} must be ${type === 'boolean' ? 'true or false' : 'a function'}`,
      );
    }
  }
  const optional = options?.optional ?? false;
  if (typeof optional !== 'boolean') throw new EntraConfigError(`${where}: optional must be true or false`);
  const corsPreflight = options?.corsPreflight ?? 'pass';
  if (corsPreflight !== 'pass' && corsPreflight !== 'authenticate') {
    throw new EntraConfigError(`${where}: corsPreflight must be 'pass' or 'authenticate'`);
  }
  return { ...(options as T), optional, corsPreflight };
}

/**
 * A validator from what the user gave an adapter: an existing validator (shared, perhaps warmed up)
 * or options (a new validator the adapter owns).
 *
 * @example
 * ```ts
 * const { validator, owned } = toValidator(optionsOrValidator);
 * ```
 */
export function toValidator(
  input: EntraValidatorOptions | EntraValidator,
  where = 'entraAuth',
): { validator: EntraValidator; owned: boolean } {
  if (isEntraValidator(input)) return { validator: input, owned: false };
  if (typeof input !== 'object' || input === null) {
    throw new EntraConfigError(
      `${where}: pass validator options ({ tenantId, clientId }) or a validator from createEntraValidator, e.g. ${where}({ tenantId: '<tenant guid>', clientId: '<api client id>' })`,
    );
  }
  return { validator: createEntraValidator(input), owned: true };
}

/**
 * Authenticates one request as an adapter should: a CORS preflight (when passed) and, on optional
 * routes, a request without credentials resolve to `undefined`; any other failure rejects with an
 * `EntraAuthError`.
 *
 * @example
 * ```ts
 * const principal = await authenticateRequestView(validator, { method: req.method, header: (n) => req.headers[n] }, { optional: false, corsPreflight: 'pass' });
 * ```
 */
export async function authenticateRequestView(
  validator: EntraValidator,
  request: EntraRequestView,
  options: Required<EntraAuthRequestOptions>,
): Promise<EntraPrincipal | undefined> {
  if (options.corsPreflight === 'pass' && isCorsPreflight(request)) return undefined;
  try {
    return await validator.authenticate(request.header('authorization'));
  } catch (error) {
    if (options.optional && isEntraAuthError(error) && error.code === 'missing_token') return undefined;
    throw error;
  }
}

/**
 * A Node-style request: Express `req`, Koa `ctx`, Fastify `request` (headers with lower-case names).
 *
 * @example
 * ```ts
 * const request: IncomingRequestLike = { method: 'GET', headers: { authorization: `Bearer ${token}` } };
 * const principal = await authenticateIncoming(validator, request, resolveRequestOptions({}, 'script'));
 * ```
 */
export interface IncomingRequestLike {
  readonly method?: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /**
   * Node's raw header list (`IncomingMessage.rawHeaders`). Node keeps only the first of several
   * `Authorization` headers in `headers`; with the raw list, two credentials are refused
   * (`invalid_request`) as RFC 6750 asks, instead of the first one being silently used.
   */
  readonly rawHeaders?: readonly string[];
}

/** Every `Authorization` value when a raw header list holds more than one; otherwise `undefined`. */
function repeatedAuthorization(raw: readonly string[] | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  let found: string[] | undefined;
  let first: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length !== 13 || name.toLowerCase() !== 'authorization') continue;
    const value = raw[i + 1] as string;
    if (first === undefined) first = value;
    else if (found === undefined) found = [first, value];
    else found.push(value);
  }
  return found;
}

/** How authentication went for one request, remembered for the guards that follow it. */
interface RequestAuthState {
  readonly preflight: boolean;
  readonly passErrors: boolean;
}

const states = new WeakMap<object, RequestAuthState>();

/**
 * Authenticates a Node-style request for a framework adapter, and remembers for the guards that
 * follow (keyed by `request`) whether it was a CORS preflight let through and whether errors go to
 * the framework (`passErrors`). `rawHeaders` (default `request.rawHeaders`) is Node's raw header
 * list, which reveals a second `Authorization` header (Koa: `ctx.req.rawHeaders`, Fastify:
 * `request.raw.rawHeaders`).
 *
 * @example
 * ```ts
 * req.auth = await authenticateIncoming(validator, req, resolveRequestOptions(options, 'entraAuth', { passErrors: 'boolean' }));
 * ```
 */
export function authenticateIncoming(
  validator: EntraValidator,
  request: IncomingRequestLike,
  options: Required<EntraAuthRequestOptions> & { passErrors?: boolean },
  rawHeaders: readonly string[] | undefined = request.rawHeaders,
): Promise<EntraPrincipal | undefined> {
  const repeated = repeatedAuthorization(rawHeaders);
  const view: EntraRequestView = {
    method: request.method,
    header: (name) => (name === 'authorization' && repeated !== undefined ? repeated : request.headers[name]),
  };
  states.set(request, {
    preflight: options.corsPreflight === 'pass' && isCorsPreflight(view),
    passErrors: options.passErrors === true,
  });
  return authenticateRequestView(validator, view, options);
}

/**
 * Runs a guard's check on a request authenticated by {@link authenticateIncoming}: a CORS preflight
 * that authentication let through passes every guard too. Throws the check's `EntraAuthError`.
 *
 * @example
 * ```ts
 * runGuard(req, createScopeCheck('Orders.Read'), req.auth);
 * ```
 */
export function runGuard(
  request: object,
  check: PrincipalCheck,
  principal: EntraPrincipal | undefined,
): void {
  if (states.get(request)?.preflight !== true) check(principal);
}

/**
 * True when an error should go to the framework's own error handling rather than be answered by the
 * adapter: anything that is not an `EntraAuthError`, or any error when the request's `entraAuth` was
 * set up with `passErrors: true`.
 *
 * @example
 * ```ts
 * if (passesToFramework(req, error)) return next(error);
 * ```
 */
export function passesToFramework(request: object, error: unknown): boolean {
  return !isEntraAuthError(error) || states.get(request)?.passErrors === true;
}
