// Type-level tests, checked by `tsc -p tsconfig.test.json` (the typecheck script): what must and must not compile.
import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import {
  createEntraValidator,
  type EntraAuthMiddleware,
  type EntraPrincipal,
  type EntraValidator,
  entraAuth,
  entraErrorHandler,
  requireAppOnly,
  requireScopeOrRole,
  requireScopes,
} from '../src/index.js';

declare const req: Request;
const principal: EntraPrincipal | undefined = req.auth;
// @ts-expect-error req.auth is undefined on anonymous requests: it must be checked
const certain: EntraPrincipal = req.auth;
// @ts-expect-error req.auth is a principal, not a string
const text: string | undefined = req.auth;
// @ts-expect-error only a principal can be assigned to req.auth
req.auth = { objectId: 'forged' };
// @ts-expect-error the principal is read-only
if (req.auth) req.auth.scopes = ['Admin'];

const validator = createEntraValidator({ tenantId: 't', clientId: 'c' });
const auth: EntraAuthMiddleware = entraAuth(
  { tenantId: 't', clientId: 'c' },
  { optional: true, passErrors: true },
);
const same: EntraValidator = entraAuth(validator).validator;
const handler: RequestHandler = auth;

const app = express();
app.use(auth);
app.get('/orders', requireScopes('Orders.Read', { match: 'any' }), requireAppOnly(), (request, res) => {
  res.json({ oid: request.auth?.objectId });
});
app.get('/read', requireScopeOrRole({ scopes: ['Orders.Read'], roles: 'Orders.Read.All' }));

// @ts-expect-error a validator without audience or clientId would accept any audience
entraAuth({ tenantId: 't' });
// @ts-expect-error unknown middleware option
entraAuth(validator, { optinal: true });
entraAuth(validator, { corsPreflight: 'answer' });
entraAuth(validator, { corsPreflight: 'authenticate' });
entraAuth(validator, { corsPreflight: 'pass' });
// @ts-expect-error corsPreflight is 'answer', 'authenticate' or 'pass'
entraAuth(validator, { corsPreflight: 'skip' });
const errors: ErrorRequestHandler = entraErrorHandler();
app.use(errors);
// @ts-expect-error entraErrorHandler takes no options
entraErrorHandler({ verbose: true });
// @ts-expect-error scopes are names
requireScopes(42);
// @ts-expect-error match is 'all' or 'any'
requireScopes('Orders.Read', { match: 'some' });

export const used: unknown[] = [principal, certain, text, same, handler];
