/**
 * Local mode: without ENTRA_TENANT_ID / ENTRA_CLIENT_ID the API validates tokens of the Entra
 * look-alike from @org/entra-testing (a real issuer on 127.0.0.1, with discovery and keys at
 * Entra's paths), and prints ready-made tokens and curl commands to try it.
 */
import type { MockEntra } from '@org/entra-testing';
import { ORDERS_EXPORT, ORDERS_READ } from './orders.js';

const TOKEN_LIFETIME_SECONDS = 8 * 3600;

export async function startLocalEntra(): Promise<MockEntra> {
  // Loaded only in local mode: a real deployment never needs the test kit.
  const { createMockEntra } = await import('@org/entra-testing');
  return createMockEntra();
}

/** Lines to print at start-up: tokens for three callers, and curl commands that use them. */
export function tryItLines(entra: MockEntra, baseUrl: string): string[] {
  const expiresIn = TOKEN_LIFETIME_SECONDS;
  const user = entra.createToken({ scp: ORDERS_READ }, { expiresIn });
  const noScope = entra.createToken({ scp: 'User.Read' }, { expiresIn });
  const app = entra.createToken({ roles: [ORDERS_EXPORT] }, { kind: 'app', expiresIn });
  return [
    `Tokens from the local Entra look-alike at ${entra.authority} (valid ${TOKEN_LIFETIME_SECONDS / 3600} hours):`,
    '',
    `export USER_TOKEN=${user}`,
    `export NO_SCOPE_TOKEN=${noScope}`,
    `export APP_TOKEN=${app}`,
    '',
    `USER_TOKEN: Ada, a user, scope ${ORDERS_READ}. NO_SCOPE_TOKEN: Ada, scope User.Read only.`,
    `APP_TOKEN: a daemon (app-only, client credentials), app role ${ORDERS_EXPORT}.`,
    '',
    'Then:',
    `  curl -i ${baseUrl}/health                                              # 200, public`,
    `  curl -i ${baseUrl}/orders                                              # 401, no token`,
    `  curl -i -H "Authorization: Bearer $USER_TOKEN" ${baseUrl}/orders       # 200`,
    `  curl -i -H "Authorization: Bearer $NO_SCOPE_TOKEN" ${baseUrl}/orders   # 403, scope="${ORDERS_READ}"`,
    `  curl -i -H "Authorization: Bearer $USER_TOKEN" ${baseUrl}/me           # 200, the caller`,
    `  curl -i -X POST -H "Authorization: Bearer $APP_TOKEN" ${baseUrl}/orders/export    # 200`,
    `  curl -i -X POST -H "Authorization: Bearer $USER_TOKEN" ${baseUrl}/orders/export   # 403, not an app`,
  ];
}
