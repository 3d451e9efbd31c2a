/**
 * `@org/entra-core/adapter`: what a framework adapter needs and an application does not. Every
 * decision about a request is made here, once; an adapter only reads the request and writes the
 * response. The steps, in every adapter:
 *
 * 1. At set-up: {@link resolveAdapterOptions} and {@link toValidator} (mistakes throw `EntraConfigError` now).
 * 2. Per request: {@link authenticateIncoming} (Express `req`, Koa `ctx`, Fastify `request`) or
 *    {@link authenticateWebRequest} (a Web `Request`) gives an {@link EntraAuthState}. When its
 *    `preflight` is `'answer'`, answer `204` with no body and stop. Otherwise store the state under
 *    {@link ENTRA_AUTH_STATE} where the framework keeps per-request data, expose `state.principal`
 *    as the framework's `auth`, and go on.
 * 3. Guards: {@link runGuard} with the stored state.
 * 4. Errors: {@link passesToFramework} says whether an error goes to the framework's own error
 *    handling; otherwise answer with `errorResponse(error)` from `@org/entra-core`.
 *
 * @example
 * ```ts
 * import { authenticateIncoming, ENTRA_AUTH_STATE, resolveAdapterOptions, toValidator } from '@org/entra-core/adapter';
 *
 * const options = resolveAdapterOptions(userOptions, 'entraAuth', { passErrors: 'boolean' });
 * const { validator } = toValidator(optionsOrValidator);
 * const state = await authenticateIncoming(validator, req, options);
 * if (state.preflight === 'answer') return res.writeHead(204).end();
 * req[ENTRA_AUTH_STATE] = state;
 * ```
 *
 * @packageDocumentation
 * @module \@org/entra-core/adapter
 */
import {
  createRoleCheck,
  createScopeCheck,
  createScopeOrRoleCheck,
  type MatchOptions,
  type PrincipalCheck,
} from './authorize.js';
import { EntraAuthError, EntraConfigError, isEntraAuthError } from './errors.js';
import type { GroupsCheck } from './groups/index.js';
import { own } from './option-checks.js';
import type { EntraValidatorOptions } from './options.js';
import type { EntraPrincipal } from './principal.js';
import { createEntraValidator, type EntraValidator, isEntraValidator } from './validator.js';

/**
 * What an adapter does with a CORS preflight (`OPTIONS` with `Origin` and
 * `Access-Control-Request-Method`, which browsers send without a token) that reaches it:
 * `'answer'` it `204` with no body, never calling the next handler (default); `'authenticate'` it
 * like any request; or `'pass'` it on unauthenticated, so that the handler and the guards run with
 * no principal (an explicit opt-in: whatever the handler does for `OPTIONS` is open to anyone).
 *
 * @example
 * ```ts
 * const mode: CorsPreflightMode = 'authenticate';
 * ```
 */
export type CorsPreflightMode = 'answer' | 'authenticate' | 'pass';

/**
 * Options every adapter's authenticating middleware accepts (beside its own, such as `passErrors`).
 *
 * @example
 * ```ts
 * const options: EntraAdapterOptions = { optional: true, corsPreflight: 'authenticate' };
 * ```
 */
export interface EntraAdapterOptions {
  /** Let requests without a token through with no principal; a token that is present and bad is still refused. Default `false`. */
  optional?: boolean;
  /** What to do with a CORS preflight that reaches the adapter (see {@link CorsPreflightMode}). Default `'answer'`. */
  corsPreflight?: CorsPreflightMode;
}

/**
 * The type an adapter's own option must have, checked at set-up like the shared ones.
 *
 * @example
 * ```ts
 * const extra: Record<string, AdapterOptionType> = { passErrors: 'boolean', onError: 'function', scopes: 'any' };
 * ```
 */
export type AdapterOptionType = 'boolean' | 'function' | 'any';

/**
 * Adapter options after {@link resolveAdapterOptions}: every option the adapter knows is an own
 * property (the value given, or `undefined`), so no read falls through to `Object.prototype`.
 *
 * @example
 * ```ts
 * const options: ResolvedAdapterOptions = resolveAdapterOptions({ optional: true }, 'entraAuth');
 * options.corsPreflight; // 'answer'
 * ```
 */
export type ResolvedAdapterOptions<T extends EntraAdapterOptions = EntraAdapterOptions> = Readonly<
  Omit<T, 'optional' | 'corsPreflight' | 'passErrors'>
> & {
  readonly optional: boolean;
  readonly corsPreflight: CorsPreflightMode;
  /** `true` when the adapter knows `passErrors` and it was set: errors go to the framework. */
  readonly passErrors: boolean;
};

const CORS_PREFLIGHT_MODES: readonly unknown[] = ['answer', 'authenticate', 'pass'];

/**
 * Checks adapter options at set-up time and returns them resolved. Only the object's own
 * properties count (a polluted `Object.prototype` configures nothing); an unknown key or a wrong
 * type is an `EntraConfigError`. `extra` names the adapter's own options and their types.
 *
 * @example
 * ```ts
 * const options = resolveAdapterOptions(userOptions, 'entraAuth', { passErrors: 'boolean' });
 * ```
 */
export function resolveAdapterOptions<T extends EntraAdapterOptions>(
  options: T | undefined,
  where: string,
  extra: Readonly<Record<string, AdapterOptionType>> = {},
): ResolvedAdapterOptions<T> {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new EntraConfigError(`${where}: the options must be an object, e.g. { optional: true }`);
  }
  const given: object = options ?? {};
  const known = ['optional', 'corsPreflight', ...Object.keys(extra)];
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      throw new EntraConfigError(
        `${where}: unknown option '${key.slice(0, 40)}'. Known options: ${known.join(', ')}`,
      );
    }
  }
  const resolved: Record<string, unknown> = {};
  for (const key of known) {
    const value = own(given, key);
    const type = key === 'optional' ? 'boolean' : own(extra, key);
    if (value !== undefined && (type === 'boolean' || type === 'function') && typeof value !== type) {
      throw new EntraConfigError(
        `${where}: ${key} must be ${type === 'boolean' ? 'true or false' : 'a function'}`,
      );
    }
    resolved[key] = value;
  }
  if (resolved.corsPreflight !== undefined && !CORS_PREFLIGHT_MODES.includes(resolved.corsPreflight)) {
    throw new EntraConfigError(
      `${where}: corsPreflight must be 'answer' (default), 'authenticate' or 'pass'`,
    );
  }
  resolved.optional = resolved.optional === true;
  resolved.corsPreflight ??= 'answer';
  resolved.passErrors = resolved.passErrors === true;
  return resolved as ResolvedAdapterOptions<T>;
}

/**
 * A validator from what the user gave an adapter: an existing validator (shared, perhaps warmed up)
 * or options (a new validator the adapter owns, and closes when its framework has a hook for it).
 *
 * @example
 * ```ts
 * const { validator, owned } = toValidator(optionsOrValidator, 'entraAuth');
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
 * How authentication went for one request: what an adapter stores (under {@link ENTRA_AUTH_STATE})
 * for the guards that follow, and the same object in every adapter.
 *
 * | `preflight` | `principal` | the adapter |
 * | --- | --- | --- |
 * | `'answer'` | `undefined` | answers `204` with no body; nothing else runs |
 * | `'pass'` | `undefined` | goes on (`corsPreflight: 'pass'`); guards let it through |
 * | `undefined` | the caller, or `undefined` on an optional route without a token | goes on; guards check the principal |
 *
 * @example
 * ```ts
 * const state: EntraAuthState = await authenticateIncoming(validator, req, options);
 * if (state.preflight === 'answer') return res.writeHead(204).end();
 * req[ENTRA_AUTH_STATE] = state;
 * req.auth = state.principal;
 * ```
 */
export interface EntraAuthState {
  /** The verified caller; `undefined` for a preflight, and on an optional route without a token. */
  readonly principal: EntraPrincipal | undefined;
  /**
   * `'answer'`: a CORS preflight the adapter answers now (`204`, no body), without calling the next
   * handler. `'pass'`: a CORS preflight passed on unauthenticated (`corsPreflight: 'pass'`); guards
   * let it through. `undefined`: not a preflight, or one authenticated like any request.
   */
  readonly preflight: 'answer' | 'pass' | undefined;
  /** Errors of the guards that follow (and of handlers) go to the framework's error handling. */
  readonly passErrors: boolean;
}

/**
 * The key under which an adapter stores a request's {@link EntraAuthState}: on Express' `req`, in
 * Koa's `ctx.state`, as a Fastify request decoration. A registered symbol, so copies of the core
 * (an ESM and a CommonJS one in the same process) agree on it.
 *
 * @example
 * ```ts
 * req[ENTRA_AUTH_STATE] = await authenticateIncoming(validator, req, options);
 * runGuard(req[ENTRA_AUTH_STATE], check);
 * ```
 */
export const ENTRA_AUTH_STATE: unique symbol = Symbol.for('@org/entra-core/adapter:state');

async function settle(
  validator: EntraValidator,
  authorization: string | readonly string[] | null | undefined,
  options: ResolvedAdapterOptions,
): Promise<EntraAuthState> {
  try {
    const principal = await validator.authenticate(authorization);
    return { principal, preflight: undefined, passErrors: options.passErrors };
  } catch (error) {
    if (options.optional && isEntraAuthError(error) && error.code === 'missing_token') {
      return { principal: undefined, preflight: undefined, passErrors: options.passErrors };
    }
    throw error;
  }
}

/**
 * The state of an `OPTIONS` request that is a CORS preflight (it has `Origin` and
 * `Access-Control-Request-Method`) the options do not authenticate; `undefined` otherwise.
 */
function preflightState(
  options: ResolvedAdapterOptions,
  origin: unknown,
  requestMethod: unknown,
): EntraAuthState | undefined {
  if (options.corsPreflight === 'authenticate' || !origin || !requestMethod) return undefined;
  return { principal: undefined, preflight: options.corsPreflight, passErrors: options.passErrors };
}

function isOptions(method: string | undefined): boolean {
  return method === 'OPTIONS' || method?.toUpperCase() === 'OPTIONS';
}

/**
 * A Node-style request: Express `req`, Koa `ctx`, Fastify `request` (headers with lower-case names).
 *
 * @example
 * ```ts
 * const request: IncomingRequestLike = { method: 'GET', headers: { authorization: `Bearer ${token}` } };
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

/**
 * Authenticates a Node-style request (Express `req`, Koa `ctx`, Fastify `request`) and says what
 * the adapter does next. Rejects with an `EntraAuthError` when the request is refused (any other
 * error is the validator's). `rawHeaders` (default `request.rawHeaders`) is Node's raw header list,
 * which reveals a second `Authorization` header (Koa: `ctx.req.rawHeaders`, Fastify:
 * `request.raw.rawHeaders`).
 *
 * @example
 * ```ts
 * const state = await authenticateIncoming(validator, ctx, options, ctx.req.rawHeaders);
 * ```
 */
export function authenticateIncoming(
  validator: EntraValidator,
  request: IncomingRequestLike,
  options: ResolvedAdapterOptions,
  rawHeaders: readonly string[] | undefined = request.rawHeaders,
): Promise<EntraAuthState> {
  const { method, headers } = request;
  const preflight = isOptions(method)
    ? preflightState(options, headers.origin, headers['access-control-request-method'])
    : undefined;
  if (preflight !== undefined) return Promise.resolve(preflight);
  return settle(validator, repeatedAuthorization(rawHeaders) ?? headers.authorization, options);
}

/**
 * A Web `Request`, or anything with its `method` and `headers.get` (Hono's `c.req.raw`, Azure
 * Functions' `HttpRequest`).
 *
 * @example
 * ```ts
 * const request: WebRequestLike = new Request('https://api.example/orders');
 * ```
 */
export interface WebRequestLike {
  readonly method: string;
  readonly headers: { get(name: string): string | null };
}

/**
 * {@link authenticateIncoming} for a Web `Request` (repeated `Authorization` headers arrive joined
 * with a comma, which the Bearer parser refuses).
 *
 * @example
 * ```ts
 * const state = await authenticateWebRequest(validator, request, options);
 * if (state.preflight === 'answer') return new Response(null, { status: 204 });
 * ```
 */
export function authenticateWebRequest(
  validator: EntraValidator,
  request: WebRequestLike,
  options: ResolvedAdapterOptions,
): Promise<EntraAuthState> {
  const { method, headers } = request;
  const preflight = isOptions(method)
    ? preflightState(options, headers.get('origin'), headers.get('access-control-request-method'))
    : undefined;
  if (preflight !== undefined) return Promise.resolve(preflight);
  return settle(validator, headers.get('authorization'), options);
}

/**
 * Runs a guard's check with the state {@link authenticateIncoming} (or
 * {@link authenticateWebRequest}) gave. A preflight passed on by `corsPreflight: 'pass'` passes;
 * otherwise a missing state (no authentication before the guard) or a missing principal (an
 * optional route without a token) is `missing_token`, and the check's own `EntraAuthError` is thrown.
 * An asynchronous check (a group check may ask Microsoft Graph) returns its promise: await it.
 *
 * @example
 * ```ts
 * runGuard(req[ENTRA_AUTH_STATE], createScopeCheck('Orders.Read'));
 * ```
 */
export function runGuard(
  state: EntraAuthState | null | undefined,
  check: PrincipalCheck | GroupsCheck,
): void | Promise<void> {
  if (state?.preflight === 'pass') return;
  const principal = state?.principal;
  if (principal === undefined) throw new EntraAuthError('missing_token');
  return check(principal);
}

/**
 * The requirement options of an adapter whose route options carry it (the third argument of
 * `withEntraAuth` in `@org/entra-fetch` and `@org/entra-azure-functions`).
 *
 * @example
 * ```ts
 * const options: RouteRequirementOptions = { scopes: ['Orders.Read', 'Orders.Write'], match: 'any' };
 * ```
 */
export interface RouteRequirementOptions extends MatchOptions {
  /** Required scopes (all, or any with `match: 'any'`). With `roles` too: any scope or any role passes. */
  scopes?: string | readonly string[];
  /** Required roles (all, or any with `match: 'any'`). With `scopes` too: any scope or any role passes. */
  roles?: string | readonly string[];
}

/**
 * The check a route's `scopes` / `roles` / `match` options ask for, built and validated at set-up
 * (`undefined` when they ask for none): `createScopeCheck`, `createRoleCheck`, or, with both,
 * `createScopeOrRoleCheck`. Combinations that cannot mean what they say (`match` alone, `match`
 * with both, a requirement on an `optional` route) are `EntraConfigError`s naming `where`.
 *
 * @example
 * ```ts
 * const options = resolveAdapterOptions(userOptions, 'withEntraAuth', { scopes: 'any', roles: 'any', match: 'any' });
 * const check = routeRequirement(options, 'withEntraAuth');
 * // per request, after authentication:
 * if (check !== undefined) runGuard(state, check);
 * ```
 */
export function routeRequirement(
  options: Readonly<RouteRequirementOptions> & { readonly optional: boolean },
  where: string,
): PrincipalCheck | undefined {
  const scopes = own(options, 'scopes') as RouteRequirementOptions['scopes'];
  const roles = own(options, 'roles') as RouteRequirementOptions['roles'];
  const match = own(options, 'match') as RouteRequirementOptions['match'];
  if (scopes === undefined && roles === undefined) {
    if (match !== undefined) throw new EntraConfigError(`${where}: match applies to scopes or roles`);
    return undefined;
  }
  if (options.optional) {
    throw new EntraConfigError(
      `${where}: optional cannot be combined with scopes or roles (anonymous requests would be refused): drop optional, or check the principal in the handler`,
    );
  }
  if (scopes === undefined) return createRoleCheck(roles as string | readonly string[], { match });
  if (roles === undefined) return createScopeCheck(scopes, { match });
  if (match !== undefined) {
    throw new EntraConfigError(`${where}: with both scopes and roles, any one passes: drop match`);
  }
  return createScopeOrRoleCheck({ scopes, roles });
}

/**
 * True when an error goes to the framework's own error handling rather than being answered by the
 * adapter: anything that is not an `EntraAuthError`, and any error when the request's state (or,
 * before there is one, the resolved options) says `passErrors`.
 *
 * @example
 * ```ts
 * if (passesToFramework(error, req[ENTRA_AUTH_STATE])) return next(error);
 * const { status, headers, body } = errorResponse(error);
 * ```
 */
export function passesToFramework(
  error: unknown,
  state: { readonly passErrors: boolean } | null | undefined,
): boolean {
  return !isEntraAuthError(error) || state?.passErrors === true;
}
