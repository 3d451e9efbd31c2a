/** Scenarios about requests that may come without a token: optional routes and CORS preflights. */
import { bare, challengeOf, expired, invalidToken, preflight, type Scenario, user } from './scenario.js';

export const ANONYMOUS_SCENARIOS: readonly Scenario[] = [
  // Optional authentication
  {
    name: 'optional route without a token',
    path: '/optional',
    expect: { status: 200, principal: 'anonymous' },
  },
  {
    name: 'optional route with another scheme',
    path: '/optional',
    headers: () => ({ authorization: 'Basic dXNlcjpwYXNz' }),
    expect: { status: 200, principal: 'anonymous' },
  },
  {
    name: 'optional route with a token',
    path: '/optional',
    headers: user,
    expect: { status: 200, principal: 'token', isAppOnly: false },
  },
  {
    name: 'optional route with an expired token',
    path: '/optional',
    headers: expired,
    expect: { status: 401, error: 'token_expired', challenge: invalidToken },
  },
  {
    name: 'optional route with a malformed header',
    path: '/optional',
    headers: () => ({ authorization: 'Bearer a"b' }),
    expect: { status: 400, error: 'invalid_request', challenge: challengeOf('invalid_request') },
  },
  // CORS preflights
  {
    name: 'preflight passed on',
    method: 'OPTIONS',
    path: '/me',
    headers: () => preflight,
    expect: { status: 204 },
  },
  {
    name: 'preflight passed on by guards',
    method: 'OPTIONS',
    path: '/orders',
    headers: () => preflight,
    expect: { status: 204 },
  },
  {
    name: 'preflight passed on by delegated guard',
    method: 'OPTIONS',
    path: '/user-only',
    headers: () => preflight,
    expect: { status: 204 },
  },
  {
    name: 'OPTIONS without Origin is not a preflight',
    method: 'OPTIONS',
    path: '/me',
    headers: () => ({ 'access-control-request-method': 'GET' }),
    expect: { status: 401, error: 'missing_token', challenge: bare },
  },
  {
    name: 'preflight authenticated when configured',
    app: 'authenticatePreflight',
    method: 'OPTIONS',
    path: '/me',
    headers: () => preflight,
    expect: { status: 401, error: 'missing_token', challenge: bare },
  },
  {
    name: 'preflight authenticated by guards when configured',
    app: 'authenticatePreflight',
    method: 'OPTIONS',
    path: '/orders',
    headers: (k) => ({ ...preflight, authorization: `Bearer ${k.createToken()}` }),
    expect: {
      status: 403,
      error: 'insufficient_scope',
      challenge: challengeOf('insufficient_scope', ', scope="Orders.Read"'),
    },
  },
  {
    name: 'preflight with a token when configured',
    app: 'authenticatePreflight',
    method: 'OPTIONS',
    path: '/me',
    headers: (k) => ({ ...preflight, authorization: `Bearer ${k.createToken()}` }),
    expect: { status: 204 },
  },
];
