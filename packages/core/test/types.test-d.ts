// Type-level tests, checked by `tsc -p tsconfig.test.json` (the typecheck script): what must not compile.
import { createEntraValidator, type EntraPrincipal, type EntraValidatorOptions } from '../src/index.js';

// @ts-expect-error a validator without audience or clientId would accept any audience
createEntraValidator({ tenantId: 'contoso.onmicrosoft.com' });

// @ts-expect-error audience must be a string or a list of strings
createEntraValidator({ tenantId: 'contoso.onmicrosoft.com', audience: 42 });

// @ts-expect-error tokenVersions only knows '1.0' and '2.0'
createEntraValidator({ tenantId: 't', clientId: 'c', tokenVersions: ['3.0'] });

// @ts-expect-error HMAC is never accepted
createEntraValidator({ tenantId: 't', clientId: 'c', algorithms: ['HS256'] });

createEntraValidator({ tenantId: 't', audience: 'api://x' });
createEntraValidator({ tenantId: 't', clientId: 'c' });
createEntraValidator({ tenantId: 't', audience: ['a', 'b'], clientId: 'c' });

declare const principal: EntraPrincipal;
// @ts-expect-error the principal is read-only
principal.scopes = [];
// @ts-expect-error scopes cannot be pushed to
principal.scopes.push('Admin');
const tenant: string = principal.tenantId;
// @ts-expect-error clientId may be undefined
const client: string = principal.clientId;

export const used: unknown[] = [tenant, client, {} as EntraValidatorOptions];
