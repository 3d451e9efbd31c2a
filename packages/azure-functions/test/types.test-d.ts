// Type-level tests, checked by `tsc -p tsconfig.test.json` (the typecheck script): what must and must not compile.
import {
  app,
  type HttpHandler,
  type HttpRequest,
  HttpResponse,
  type InvocationContext,
} from '@azure/functions';
import {
  createEntraValidator,
  type EntraPrincipal,
  type EntraProtectedHttpHandler,
  type EntraValidator,
  type WithEntraAuthOptions,
  type WithEntraAuthStrictOptions,
  withEntraAuth,
} from '../src/index.js';

const validator = createEntraValidator({ tenantId: 't', clientId: 'c' });

// Default: preflights are answered before the handler, so every request it sees has a principal.
const me = withEntraAuth(validator, (request: HttpRequest, principal, context: InvocationContext) => {
  const certain: EntraPrincipal = principal;
  context.log(request.url);
  return { jsonBody: { oid: certain.objectId } };
});
// What app.http takes.
const asHandler: HttpHandler = me;
app.http('me', { methods: ['GET'], authLevel: 'anonymous', handler: me });
const shared: EntraValidator = me.validator;

// An HttpResponse, sync or async, is an HttpResponseInit too.
withEntraAuth(validator, async () => new HttpResponse({ status: 202 }), { roles: 'Jobs.Run' });
// A handler that accepts undefined anyway still fits.
withEntraAuth(validator, (_request, principal: EntraPrincipal | undefined) => ({
  jsonBody: principal ?? {},
}));

// Preflights authenticated and the route not optional: the principal is always there.
withEntraAuth(
  validator,
  (_request, principal) => {
    const certain: EntraPrincipal = principal;
    // @ts-expect-error the principal is read-only
    principal.scopes = [];
    return { jsonBody: certain.objectId };
  },
  { corsPreflight: 'authenticate', scopes: 'Orders.Read' },
);

// Optional: may be undefined.
withEntraAuth(
  validator,
  (_request, principal) => {
    // @ts-expect-error optional routes may be anonymous
    const certain: EntraPrincipal = principal;
    return { jsonBody: certain };
  },
  { optional: true },
);

// Explicit 'pass', and options widened to the general type: the principal may be undefined.
withEntraAuth(
  validator,
  (_request, principal) => {
    // @ts-expect-error a passed preflight has no principal
    const certain: EntraPrincipal = principal;
    return { jsonBody: certain };
  },
  { corsPreflight: 'pass' },
);
const widened: WithEntraAuthOptions = { corsPreflight: 'authenticate' };
withEntraAuth(
  validator,
  (_request, principal) => {
    // @ts-expect-error options typed as WithEntraAuthOptions may be optional
    const certain: EntraPrincipal = principal;
    return { jsonBody: certain };
  },
  widened,
);
const strictOptions: WithEntraAuthStrictOptions = { corsPreflight: 'answer', roles: 'Jobs.Run' };
const strict: EntraProtectedHttpHandler = withEntraAuth(
  validator,
  (_request, principal) => ({ jsonBody: principal.roles }),
  strictOptions,
);

// @ts-expect-error a validator without audience or clientId would accept any audience
withEntraAuth({ tenantId: 't' }, () => ({}));
// @ts-expect-error unknown option
withEntraAuth(validator, () => ({}), { scope: 'x' });
// @ts-expect-error corsPreflight is 'answer', 'authenticate' or 'pass'
withEntraAuth(validator, () => ({}), { corsPreflight: 'skip' });
// @ts-expect-error the handler must return an HttpResponseInit
withEntraAuth(validator, () => 'ok');
// @ts-expect-error the handler gets the context third, not second
withEntraAuth(validator, (_request, context: InvocationContext) => ({ body: context.functionName }));

export const used: unknown[] = [shared, asHandler, strict];
