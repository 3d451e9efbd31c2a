/**
 * Types `request.auth` and `app.entra`. Imported by the entry, so it ships in the `.d.ts`.
 */
import type { EntraPrincipal, EntraValidator } from '@org/entra-core';
import type { ENTRA_AUTH_STATE, EntraAuthState } from '@org/entra-core/adapter';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The verified caller, set in `onRequest` on the routes in the plugin's scope. `undefined` on
     * optional routes without a token and on CORS preflights passed on with `corsPreflight: 'pass'`.
     */
    auth: EntraPrincipal | undefined;
    /** How the plugin authenticated this request, read by the guards (`null` outside its scope). */
    [ENTRA_AUTH_STATE]: EntraAuthState | null;
  }
  interface FastifyInstance {
    /** The validator of the `entraAuth` plugin registered in this scope. */
    entra: EntraValidator;
  }
}
