/**
 * The configuration both entry points read from the environment (`local.settings.json` `Values`
 * under `func start`, the app's settings on Azure, the shell for src/server.ts):
 *
 *   ENTRA_TENANT_ID       the tenant GUID (or verified domain)
 *   ENTRA_CLIENT_ID       the API's application (client) id
 *   ENTRA_AUDIENCE        optional: the accepted audience(s), comma-separated
 *                         (default: the client id and api://<client id>)
 *   ENTRA_SPA_CLIENT_ID   optional: the SPA client id Swagger UI signs in with
 *   CORS_ORIGIN           the single-page app's origin (default http://localhost:5173)
 *
 * Without ENTRA_TENANT_ID and ENTRA_CLIENT_ID, the local Entra look-alike is started instead.
 */
import type { EntraValidatorOptions } from '@org/entra-azure-functions';
import type { MockEntra } from '@org/entra-testing';
import { type AppConfig, DEFAULT_ALLOWED_ORIGIN } from './functions.js';
import { startLocalEntra } from './local-entra.js';

export interface Loaded {
  config: AppConfig & { allowedOrigin: string };
  /** The look-alike, in local mode. */
  local: MockEntra | undefined;
  /** What to print about the tenant, in real mode. */
  description: string;
}

export async function loadConfig(env: NodeJS.ProcessEnv = process.env): Promise<Loaded> {
  const tenantId = env.ENTRA_TENANT_ID?.trim();
  const clientId = env.ENTRA_CLIENT_ID?.trim();
  const audience = env.ENTRA_AUDIENCE?.split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (Boolean(tenantId) !== Boolean(clientId)) {
    throw new Error(
      'Set both ENTRA_TENANT_ID and ENTRA_CLIENT_ID (real Entra), or neither (local look-alike).',
    );
  }
  const rest = {
    allowedOrigin: env.CORS_ORIGIN || DEFAULT_ALLOWED_ORIGIN,
    docsClientId: env.ENTRA_SPA_CLIENT_ID || undefined,
  };
  if (tenantId && clientId) {
    const auth: EntraValidatorOptions = { tenantId, clientId, ...(audience?.length ? { audience } : {}) };
    return {
      config: { auth, ...rest },
      local: undefined,
      description: `Accepting Entra ID tokens of tenant ${tenantId} for ${audience?.join(', ') || `${clientId} or api://${clientId}`}`,
    };
  }
  const local = await startLocalEntra();
  return { config: { auth: local.validatorOptions(), ...rest }, local, description: '' };
}
