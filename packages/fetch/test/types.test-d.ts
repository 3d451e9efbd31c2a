// Type-level tests, checked by `tsc -p tsconfig.test.json` (the typecheck script): what must and must not compile.
import {
  createEntraValidator,
  type EntraPrincipal,
  type EntraProtectedHandler,
  type EntraValidator,
  type WithEntraAuthOptions,
  type WithEntraAuthStrictOptions,
  withEntraAuth,
} from '../src/index.js';

const validator = createEntraValidator({ tenantId: 't', clientId: 'c' });

// Default: preflights are answered before the handler, so every request it sees has a principal.
withEntraAuth(validator, (_request, principal) => {
  const certain: EntraPrincipal = principal;
  return Response.json({ oid: certain.objectId });
});
withEntraAuth(validator, (_request, principal) => Response.json({ oid: principal.objectId }), {
  corsPreflight: 'answer',
  roles: 'Jobs.Run',
});
// A handler that accepts undefined anyway still fits.
withEntraAuth(validator, (_request, principal: EntraPrincipal | undefined) => Response.json(principal ?? {}));

// Preflights authenticated and the route not optional: the principal is always there.
withEntraAuth(
  validator,
  (_request, principal) => {
    const certain: EntraPrincipal = principal;
    // @ts-expect-error the principal is read-only
    principal.scopes = [];
    return Response.json({ oid: certain.objectId });
  },
  {
    corsPreflight: 'authenticate',
    scopes: 'Orders.Read',
    onError: (error, request) => new Response(`${error.code} ${request.url}`),
  },
);

// Optional: may be undefined even when preflights are authenticated.
withEntraAuth(
  validator,
  (_request, principal) => {
    // @ts-expect-error optional routes may be anonymous
    const certain: EntraPrincipal = principal;
    return Response.json({ certain });
  },
  { corsPreflight: 'authenticate', optional: true },
);

// Extra arguments (Next.js context, Workers env and ctx) are typed from the handler.
const route: EntraProtectedHandler<[{ params: Promise<{ id: string }> }]> = withEntraAuth(
  { tenantId: 't', audience: 'api://x' },
  async (_request, _principal, context: { params: Promise<{ id: string }> }) =>
    Response.json(await context.params),
);
route(new Request('https://x.test'), { params: Promise.resolve({ id: '1' }) });
// @ts-expect-error the context is required by the handler
route(new Request('https://x.test'));
const shared: EntraValidator = route.validator;

// Explicit 'pass', and options widened to the general type: the principal may be undefined.
withEntraAuth(
  validator,
  (_request, principal) => {
    // @ts-expect-error a passed preflight has no principal
    const certain: EntraPrincipal = principal;
    return Response.json({ certain });
  },
  { corsPreflight: 'pass', onError: (error) => new Response(error.code) },
);
const widened: WithEntraAuthOptions = { corsPreflight: 'authenticate' };
withEntraAuth(
  validator,
  (_request, principal) => {
    // @ts-expect-error options typed as WithEntraAuthOptions may be optional
    const certain: EntraPrincipal = principal;
    return Response.json({ certain });
  },
  widened,
);
const strictOptions: WithEntraAuthStrictOptions = { corsPreflight: 'authenticate', roles: 'Jobs.Run' };
withEntraAuth(validator, (_request, principal) => Response.json(principal.roles), strictOptions);

// @ts-expect-error a validator without audience or clientId would accept any audience
withEntraAuth({ tenantId: 't' }, () => new Response());
// @ts-expect-error unknown option
withEntraAuth(validator, () => new Response(), { scope: 'x' });
// @ts-expect-error corsPreflight is 'answer', 'authenticate' or 'pass'
withEntraAuth(validator, () => new Response(), { corsPreflight: 'skip' });
// @ts-expect-error the handler must return a Response
withEntraAuth(validator, () => 'ok');

export const used: unknown[] = [shared];
