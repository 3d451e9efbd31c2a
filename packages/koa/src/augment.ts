/**
 * Types `ctx.state.auth` in every Koa app. Imported by the entry, so it ships in the `.d.ts`.
 */
import type { EntraPrincipal } from '@org/entra-core';

declare module 'koa' {
  interface DefaultState {
    /**
     * The verified caller, set by `entraAuth`. `undefined` on optional routes without a token and on
     * CORS preflights passed on.
     */
    auth?: EntraPrincipal;
  }
}
