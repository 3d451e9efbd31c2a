/**
 * Types `request.auth` and `app.entra`. Imported by the entry, so it ships in the `.d.ts`.
 */
import type { EntraPrincipal, EntraValidator } from '@org/entra-core';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The verified caller, set in `onRequest` on the routes in the plugin's scope. `undefined` on
     * optional routes without a token and on CORS preflights passed on.
     */
    auth: EntraPrincipal | undefined;
  }
  interface FastifyInstance {
    /** The validator of the `entraAuth` plugin registered in this scope. */
    entra: EntraValidator;
  }
}
