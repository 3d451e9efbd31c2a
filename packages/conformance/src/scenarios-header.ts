/** Scenarios about the Authorization header, and an issuer whose keys cannot be fetched. */
import { bare, challengeOf, type Scenario, user } from './scenario.js';

export const HEADER_SCENARIOS: readonly Scenario[] = [
  // The Authorization header
  { name: 'no token', path: '/me', expect: { status: 401, error: 'missing_token', challenge: bare } },
  {
    name: 'another scheme',
    path: '/me',
    headers: () => ({ authorization: 'Basic dXNlcjpwYXNz' }),
    expect: { status: 401, error: 'missing_token', challenge: bare },
  },
  {
    name: 'malformed header',
    path: '/me',
    headers: () => ({ authorization: 'Bearer two tokens' }),
    expect: { status: 400, error: 'invalid_request', challenge: challengeOf('invalid_request') },
  },
  {
    name: 'Bearer without a token',
    path: '/me',
    headers: () => ({ authorization: 'Bearer' }),
    expect: {
      status: 400,
      error: 'invalid_request',
      challenge: challengeOf('invalid_request'),
      description: 'The Bearer scheme needs a token',
    },
  },
  {
    // Node keeps only the first of repeated Authorization headers in req.headers: the adapters read
    // the raw header list so that a second credential is refused, not silently ignored.
    name: 'two Authorization headers',
    path: '/me',
    headers: (kit) => ({ authorization: [`Bearer ${kit.createToken()}`, `Bearer ${kit.createToken()}`] }),
    expect: {
      status: 400,
      error: 'invalid_request',
      challenge: challengeOf('invalid_request'),
      description: 'Send exactly one Authorization header',
    },
  },
  // The issuer
  {
    name: 'keys unavailable',
    app: 'keysDown',
    path: '/me',
    headers: user,
    expect: { status: 503, error: 'keys_unavailable', challenge: null },
  },
];
