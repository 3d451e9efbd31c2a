/**
 * Types `req.auth` on Express requests (Nest's platform-express). Imported by the entry, so it ships
 * in the `.d.ts`. On platform-fastify the guard sets `request.auth` too; read it with `@EntraUser()`.
 */
import type { EntraPrincipal } from '@org/entra-core';

declare global {
  namespace Express {
    interface Request {
      /**
       * The verified caller, set by the guard. `undefined` on `@Public()` routes, on `@OptionalAuth()`
       * routes without a token and on CORS preflights passed on with `corsPreflight: 'pass'`.
       */
      auth?: EntraPrincipal;
    }
  }
}
