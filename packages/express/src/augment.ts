/**
 * Types `req.auth` on every Express request. Imported by the entry, so it ships in the `.d.ts`.
 */
import type { EntraPrincipal } from '@org/entra-core';

declare global {
  namespace Express {
    interface Request {
      /**
       * The verified caller, set by `entraAuth`. `undefined` on optional routes without a token
       * and on CORS preflights passed on.
       */
      auth?: EntraPrincipal;
    }
  }
}
