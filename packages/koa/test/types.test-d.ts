// Type-level tests, checked by `tsc -p tsconfig.test.json` (the typecheck script): what must and must not compile.
import Koa, { type Middleware, type ParameterizedContext } from 'koa';
import {
  createEntraValidator,
  type EntraAuthMiddleware,
  type EntraPrincipal,
  type EntraValidator,
  entraAuth,
  requireDelegated,
  requireRoles,
} from '../src/index.js';

declare const ctx: ParameterizedContext;
const principal: EntraPrincipal | undefined = ctx.state.auth;
// @ts-expect-error ctx.state.auth is undefined on anonymous requests: it must be checked
const certain: EntraPrincipal = ctx.state.auth;
// @ts-expect-error ctx.state.auth is a principal, not a string
const text: string | undefined = ctx.state.auth;
// @ts-expect-error only a principal can be assigned to ctx.state.auth
ctx.state.auth = 'someone';
// @ts-expect-error the principal is read-only
if (ctx.state.auth) ctx.state.auth.roles = ['Admin'];

const validator = createEntraValidator({ tenantId: 't', audience: 'api://x' });
const auth: EntraAuthMiddleware = entraAuth({ tenantId: 't', clientId: 'c' }, { passErrors: true });
const same: EntraValidator = entraAuth(validator, { optional: true }).validator;
const middleware: Middleware = requireRoles(['Orders.Admin'], { match: 'all' });

const app = new Koa();
app.use(auth);
app.use(requireDelegated());
app.use((context) => {
  context.body = { oid: context.state.auth?.objectId };
});

// @ts-expect-error a validator without audience or clientId would accept any audience
entraAuth({ tenantId: 't' });
// @ts-expect-error unknown middleware option
entraAuth(validator, { optinal: true });
// @ts-expect-error roles are names
requireRoles([1, 2]);
entraAuth(validator, { corsPreflight: 'answer' });
entraAuth(validator, { corsPreflight: 'authenticate' });
entraAuth(validator, { corsPreflight: 'pass' });
// @ts-expect-error corsPreflight is 'answer', 'authenticate' or 'pass'
entraAuth(validator, { corsPreflight: 'skip' });

export const used: unknown[] = [principal, certain, text, same, middleware];
