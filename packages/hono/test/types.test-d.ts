// Type-level tests, checked by `tsc -p tsconfig.test.json` (the typecheck script): what must and must not compile.
import { Hono, type MiddlewareHandler } from 'hono';
import {
  createEntraValidator,
  type EntraAuthMiddleware,
  type EntraEnv,
  type EntraGuard,
  type EntraPrincipal,
  type EntraValidator,
  type EntraVariables,
  entraAuth,
  requireAppOnly,
  requireRoles,
  requireScopes,
} from '../src/index.js';

const validator = createEntraValidator({ tenantId: 't', audience: 'api://x' });

// new Hono<EntraEnv>(): c.get('auth') and c.var.auth are typed, and may be undefined (public routes).
const app = new Hono<EntraEnv>();
app.use('/api/*', entraAuth(validator));
app.get('/api/me', (c) => {
  const principal: EntraPrincipal | undefined = c.get('auth');
  const same: EntraPrincipal | undefined = c.var.auth;
  // @ts-expect-error without a guard or entraAuth on the route, auth may be undefined: check it
  const certain: EntraPrincipal = c.get('auth');
  // @ts-expect-error the principal is read-only
  if (principal) principal.roles = ['Admin'];
  return c.json({ oid: principal?.objectId, same: same === principal, certain });
});

// After a guard, or a non-optional entraAuth on the route, the principal is there.
app.get('/orders/:id', requireScopes('Orders.Read'), (c) => {
  const principal: EntraPrincipal = c.get('auth');
  const id: string = c.req.param('id');
  return c.json({ oid: principal.objectId, id });
});
app.get('/me', entraAuth(validator), (c) => c.json({ oid: c.get('auth').objectId }));
app.get('/authenticated-preflights', entraAuth(validator, { corsPreflight: 'authenticate' }), (c) =>
  c.json({ oid: c.get('auth').objectId }),
);
app.get('/optional', entraAuth(validator, { optional: true }), (c) => {
  // @ts-expect-error an optional route lets anonymous requests through
  const certain: EntraPrincipal = c.get('auth');
  return c.json({ certain });
});
app.get('/pass', entraAuth(validator, { corsPreflight: 'pass' }), (c) => {
  // @ts-expect-error with corsPreflight: 'pass' a preflight reaches the handler without a principal
  const certain: EntraPrincipal = c.get('auth');
  return c.json({ certain });
});

// Composes with the app's own Env, like Hono's own middlewares' Variables.
type AppEnv = { Bindings: { ORDERS_TABLE: string }; Variables: { requestId: string } };
const composed = new Hono<AppEnv & EntraEnv>();
composed.use(entraAuth(validator));
composed.get('/orders', requireRoles('Orders.Admin'), (c) => {
  const table: string = c.env.ORDERS_TABLE;
  const requestId: string = c.get('requestId');
  const principal: EntraPrincipal = c.get('auth');
  return c.json({ table, requestId, oid: principal.objectId });
});
const variables = new Hono<{ Variables: { requestId: string } & EntraVariables }>();
variables.get('/', (c) => c.json({ oid: c.get('auth')?.objectId, id: c.get('requestId') }));

// Chained, the middleware's Env flows into the app's type.
const chained = new Hono().use(entraAuth(validator)).get('/', (c) => c.json({ oid: c.get('auth').objectId }));
// @ts-expect-error a plain Hono app without EntraEnv or the middleware has no auth variable
new Hono().get('/', (c) => c.json({ oid: c.get('auth') }));

const auth: EntraAuthMiddleware = entraAuth({ tenantId: 't', clientId: 'c' }, { passErrors: true });
const shared: EntraValidator = entraAuth(validator, { optional: true }).validator;
const guard: EntraGuard = requireAppOnly();
const middleware: MiddlewareHandler = requireRoles(['Orders.Admin'], { match: 'all' });

// @ts-expect-error a validator without audience or clientId would accept any audience
entraAuth({ tenantId: 't' });
// @ts-expect-error unknown middleware option
entraAuth(validator, { optinal: true });
// @ts-expect-error roles are names
requireRoles([1, 2]);
// @ts-expect-error corsPreflight is 'answer', 'authenticate' or 'pass'
entraAuth(validator, { corsPreflight: 'skip' });

export const used: unknown[] = [chained, auth, shared, guard, middleware];
