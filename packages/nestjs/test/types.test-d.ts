// Type-level tests, checked by `tsc -p tsconfig.test.json` (the typecheck script): what must and must not compile.
import {
  createEntraValidator,
  EntraAuthModule,
  type EntraAuthModuleOptions,
  type EntraPrincipal,
  EntraUser,
  RequireScopeOrRole,
} from '../src/index.js';

const validator = createEntraValidator({ tenantId: 't', clientId: 'c' });
export const withOptions: EntraAuthModuleOptions = {
  tenantId: 't',
  clientId: 'c',
  globalGuard: false,
  corsPreflight: 'pass',
};
export const withValidator: EntraAuthModuleOptions = { validator, corsPreflight: 'authenticate' };
// @ts-expect-error corsPreflight is 'answer', 'authenticate' or 'pass'
export const badMode: EntraAuthModuleOptions = { validator, corsPreflight: 'skip' };
// @ts-expect-error globalGuard is true or false
export const badGuard: EntraAuthModuleOptions = { validator, globalGuard: 'no' };

export function declare(): void {
  EntraAuthModule.forRootAsync({ inject: [], useFactory: async () => ({ validator }) });
  // @ts-expect-error forRootAsync needs a factory
  EntraAuthModule.forRootAsync({ inject: [] });
  // @ts-expect-error a field of the principal, or nothing
  EntraUser('notAField');
  // @ts-expect-error scopes and roles are names, not numbers
  RequireScopeOrRole({ scopes: [1] });
}

// The principal is read-only.
declare const principal: EntraPrincipal;
// @ts-expect-error tenantId cannot be reassigned
principal.tenantId = 'other';

// Express requests carry `auth` (the package augments Express.Request).
declare const req: Express.Request;
export const auth: EntraPrincipal | undefined = req.auth;
