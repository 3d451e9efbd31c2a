/** Scenarios about the token itself: valid ones, and every way one can be refused. */
import {
  app,
  bearer,
  expired,
  insufficient,
  invalidToken,
  OTHER_TENANT,
  type Scenario,
  user,
} from './scenario.js';

export const TOKEN_SCENARIOS: readonly Scenario[] = [
  // Valid tokens
  {
    name: 'valid v2 token',
    path: '/me',
    headers: user,
    expect: { status: 200, principal: 'token', isAppOnly: false },
  },
  {
    name: 'valid v1 token',
    path: '/me',
    headers: bearer((k) => k.createToken({}, { version: '1.0' })),
    expect: { status: 200, principal: 'token', isAppOnly: false },
  },
  {
    name: 'valid app-only token',
    path: '/me',
    headers: app(['access_as_application']),
    expect: { status: 200, principal: 'token', isAppOnly: true },
  },
  // Invalid tokens
  {
    name: 'expired token',
    path: '/me',
    headers: expired,
    expect: { status: 401, error: 'token_expired', challenge: invalidToken },
  },
  {
    name: 'wrong audience',
    path: '/me',
    headers: bearer((k) => k.createToken({ aud: 'api://another-api' })),
    expect: { status: 401, error: 'invalid_audience', challenge: invalidToken },
  },
  {
    name: 'wrong tenant',
    path: '/me',
    headers: bearer((k) => k.createToken({}, { tenantId: OTHER_TENANT })),
    expect: { status: 401, error: 'invalid_issuer', challenge: invalidToken },
  },
  {
    name: 'unpublished signing key',
    path: '/me',
    headers: bearer((k) => k.createToken({}, { signWith: 'unpublished' })),
    expect: { status: 401, error: 'unknown_signing_key', challenge: invalidToken },
  },
  {
    name: 'not a JWT',
    path: '/me',
    headers: () => ({ authorization: 'Bearer not-a.jwt.token' }),
    expect: { status: 401, error: 'malformed_token', challenge: invalidToken },
  },
  {
    name: 'Microsoft Graph token',
    path: '/me',
    headers: bearer((k) => k.createToken({}, { kind: 'graph' })),
    expect: {
      status: 401,
      error: 'foreign_token',
      challenge: invalidToken,
      description: /Microsoft Graph token/,
    },
  },
  {
    name: 'ID token',
    path: '/me',
    headers: bearer((k) => k.createToken({}, { kind: 'id' })),
    expect: { status: 401, error: 'foreign_token', challenge: invalidToken, description: /ID token/ },
  },
  {
    name: 'token without scopes or roles',
    path: '/me',
    headers: bearer((k) => k.createToken({ scp: undefined })),
    expect: { status: 403, error: 'missing_permissions', challenge: insufficient },
  },
];
