/**
 * Scenarios about a core helper thrown inside a handler (`requireRoles`, then `requireAuthContext`):
 * answered like a guard's refusal, with the core's status, code, description and challenge.
 */
import { bearer, insufficient, type Scenario } from './scenario.js';

const admin = (claims: Record<string, unknown>) =>
  bearer((k) => k.createToken({ roles: ['Orders.Admin'], ...claims }));

export const HANDLER_SCENARIOS: readonly Scenario[] = [
  {
    name: 'role check in the handler refuses',
    path: '/in-handler',
    headers: bearer((k) => k.createToken()),
    expect: { status: 403, error: 'insufficient_role', challenge: insufficient },
  },
  {
    name: 'step-up in the handler: a claims challenge for a capable client',
    path: '/in-handler',
    headers: admin({ xms_cc: ['cp1'] }),
    expect: {
      status: 401,
      error: 'insufficient_claims',
      challenge:
        /^Bearer realm="api", authorization_uri="[^"]+", error="insufficient_claims", error_description="[^"]+", claims="[A-Za-z0-9+/=]+"$/,
    },
  },
  {
    name: 'step-up in the handler: 403 for a client without claims challenges',
    path: '/in-handler',
    headers: admin({}),
    expect: {
      status: 403,
      error: 'insufficient_scope',
      challenge: insufficient,
      description: /stronger authentication/,
    },
  },
  {
    name: 'step-up in the handler: satisfied',
    path: '/in-handler',
    headers: admin({ acrs: ['c1'] }),
    expect: { status: 200, principal: 'token', isAppOnly: false },
  },
];
