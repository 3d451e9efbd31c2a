// One protected handler per route, made on the first request: the issuer is only known when the
// server starts (the test passes it in ENTRA_* variables to `next start`), and `next build` loads
// route modules, where a validator made at import time would have no configuration.
import { withEntraAuth } from '@org/entra-fetch';

/** @param {(request: Request, user: import('@org/entra-core').EntraPrincipal) => Response | Promise<Response>} handler */
export function protect(handler) {
  let protectedHandler;
  return (request) => {
    protectedHandler ??= withEntraAuth(
      {
        tenantId: process.env.ENTRA_TENANT_ID,
        clientId: process.env.ENTRA_CLIENT_ID,
        authority: process.env.ENTRA_AUTHORITY,
      },
      handler,
      { scopes: ['Orders.Read'] },
    );
    return protectedHandler(request);
  };
}
