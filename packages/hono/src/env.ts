import type { EntraPrincipal } from '@org/entra-core';

/**
 * The variables `entraAuth` sets on Hono's context: `c.get('auth')` (or `c.var.auth`) is the
 * verified caller, `undefined` on routes no `entraAuth` ran for, on optional routes without a token,
 * and on CORS preflights passed on with `corsPreflight: 'pass'`. Like Hono's own `JwtVariables`,
 * combine it with your variables: `{ Variables: MyVariables & EntraVariables }`.
 *
 * @example
 * ```ts
 * type Variables = { requestId: string } & EntraVariables;
 * const app = new Hono<{ Bindings: { ORDERS: string }; Variables: Variables }>();
 * ```
 */
export interface EntraVariables {
  auth: EntraPrincipal | undefined;
}

/**
 * The Hono `Env` that types `c.get('auth')`: `new Hono<EntraEnv>()`, or `MyEnv & EntraEnv` with
 * your own bindings and variables.
 *
 * @example
 * ```ts
 * const app = new Hono<EntraEnv>();
 * app.use('/api/*', entraAuth({ tenantId: '<tenant guid>', clientId: '<api client id>' }));
 * app.get('/api/me', (c) => c.json({ oid: c.get('auth')?.objectId }));
 * ```
 */
export interface EntraEnv {
  Variables: EntraVariables;
}

/**
 * The `Env` of the middleware after which every request has a principal: the guards and a
 * non-optional `entraAuth` (that does not pass preflights on). A route's handler after one of them
 * gets `c.get('auth')` as `EntraPrincipal`, without `| undefined`.
 *
 * @example
 * ```ts
 * app.get('/orders', requireScopes('Orders.Read'), (c) => c.json({ user: c.get('auth').objectId }));
 * ```
 */
export interface EntraAuthenticatedEnv {
  Variables: { auth: EntraPrincipal };
}
