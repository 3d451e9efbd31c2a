/**
 * Types `req.auth` on every Express request. Imported by the entry, so it ships in the `.d.ts`.
 */
import type { EntraPrincipal } from '@org/entra-core';
import type { ENTRA_AUTH_STATE, EntraAuthState } from '@org/entra-core/adapter';

declare global {
  namespace Express {
    interface Request {
      /**
       * The verified caller, set by `entraAuth`. `undefined` on optional routes without a token and
       * on CORS preflights passed on with `corsPreflight: 'pass'`.
       */
      auth?: EntraPrincipal;
      /** How `entraAuth` authenticated this request, read by the guards that follow it. */
      [ENTRA_AUTH_STATE]?: EntraAuthState;
    }
  }
}
