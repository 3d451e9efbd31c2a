/**
 * Starts the Orders API. With ENTRA_TENANT_ID and ENTRA_CLIENT_ID set it accepts real Entra ID
 * tokens for that API; without them it starts the local Entra look-alike and prints tokens to try.
 *
 *   ENTRA_TENANT_ID       the tenant GUID (or verified domain)
 *   ENTRA_CLIENT_ID       the API's application (client) id
 *   ENTRA_AUDIENCE        optional: the accepted audience(s), comma-separated
 *                         (default: the client id and api://<client id>)
 *   ENTRA_SPA_CLIENT_ID   optional: the SPA client id Swagger UI's Authorize button signs in with
 *   CORS_ORIGIN           the single-page app's origin (default http://localhost:5173)
 *   PORT, HOST            where to listen (default 3000 on 127.0.0.1)
 */
import { createEntraValidator, type EntraValidatorOptions } from '@org/entra-nestjs';
import type { MockEntra } from '@org/entra-testing';
import { createApp, DEFAULT_ALLOWED_ORIGIN } from './app.js';
import { startLocalEntra, tryItLines } from './local-entra.js';

const env = process.env;
const tenantId = env.ENTRA_TENANT_ID?.trim();
const clientId = env.ENTRA_CLIENT_ID?.trim();
const audience = env.ENTRA_AUDIENCE?.split(',')
  .map((a) => a.trim())
  .filter(Boolean);

if (Boolean(tenantId) !== Boolean(clientId)) {
  console.error('Set both ENTRA_TENANT_ID and ENTRA_CLIENT_ID (real Entra), or neither (local look-alike).');
  process.exit(2);
}

let local: MockEntra | undefined;
let options: EntraValidatorOptions;
if (tenantId && clientId) {
  options = { tenantId, clientId, ...(audience?.length ? { audience } : {}) };
} else {
  local = await startLocalEntra();
  options = local.validatorOptions();
}

const validator = createEntraValidator(options);
try {
  await validator.warmUp(); // fetch the signing keys now, so the first request does not wait
} catch (error) {
  console.warn(
    `Could not fetch Entra's keys yet (${(error as Error).message}); will retry on the first request.`,
  );
}

const allowedOrigin = env.CORS_ORIGIN || DEFAULT_ALLOWED_ORIGIN;
const app = await createApp({
  auth: validator,
  allowedOrigin,
  docsClientId: env.ENTRA_SPA_CLIENT_ID,
  logger: ['error', 'warn'],
});
await app.listen(Number(env.PORT ?? 3000), env.HOST || '127.0.0.1');
const address = (await app.getUrl()).replace('[::1]', 'localhost');
console.log(`Orders API (NestJS) on ${address}   docs: ${address}/docs   CORS: ${allowedOrigin}`);
if (local) console.log(`\n${tryItLines(local, address).join('\n')}\n`);
else
  console.log(
    `Accepting Entra ID tokens of tenant ${tenantId} for ${audience?.join(', ') || `${clientId} or api://${clientId}`}`,
  );

async function shutdown() {
  await app.close();
  validator.close();
  await local?.close();
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
