import { describe, expect, test } from 'vitest';
import { sanitizeHeaderValue } from '../src/errors.js';
import {
  ENTRA_AUTH_ERROR_CODES,
  EntraAuthError,
  EntraConfigError,
  errorResponse,
  isEntraAuthError,
} from '../src/index.js';

// The table of DESIGN.md, "Errors": code → status and challenge shape.
const TABLE: [string, number, RegExp | undefined][] = [
  ['missing_token', 401, /^Bearer realm="api"$/],
  ['invalid_request', 400, /^Bearer realm="api", error="invalid_request", error_description="[^"]+"$/],
  ['malformed_token', 401, /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/],
  ['unsupported_algorithm', 401, /error="invalid_token"/],
  ['unknown_signing_key', 401, /error="invalid_token"/],
  ['invalid_signature', 401, /error="invalid_token"/],
  ['token_expired', 401, /error="invalid_token"/],
  ['token_not_yet_valid', 401, /error="invalid_token"/],
  ['token_too_old', 401, /error="invalid_token"/],
  ['invalid_issuer', 401, /error="invalid_token"/],
  ['invalid_audience', 401, /error="invalid_token"/],
  ['tenant_not_allowed', 401, /error="invalid_token"/],
  ['unsupported_token_version', 401, /error="invalid_token"/],
  ['foreign_token', 401, /error="invalid_token", error_description="[^"]*request[^"]*"$/],
  ['missing_permissions', 403, /^Bearer realm="api", error="insufficient_scope", error_description="[^"]+"$/],
  ['insufficient_scope', 403, /error="insufficient_scope"/],
  ['insufficient_role', 403, /error="insufficient_scope"/],
  ['client_not_allowed', 403, /error="insufficient_scope"/],
  ['guest_not_allowed', 403, /error="insufficient_scope"/],
  ['insufficient_claims', 401, /error="insufficient_claims"/],
  ['keys_unavailable', 503, undefined],
  ['tenant_check_failed', 503, undefined],
  ['groups_unavailable', 503, undefined],
];

// RFC 6750 §3: quoted values are %x20-21 / %x23-5B / %x5D-7E.
const CHALLENGE_CHARS = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;
// A whole challenge: `Bearer` then comma-separated attributes whose quoted values use only those characters.
const CHALLENGE_SHAPE =
  /^Bearer [a-z_]+="[\x20-\x21\x23-\x5b\x5d-\x7e]*"(, [a-z_]+="[\x20-\x21\x23-\x5b\x5d-\x7e]*")*$/;

describe('EntraAuthError', () => {
  test.each(TABLE)('%s answers %i with the right challenge', (code, status, challenge) => {
    const e = new EntraAuthError(code as never);
    expect(e.status).toBe(status);
    expect(e.check).toMatch(
      /^(header|length|format|alg|typ|kid|keys|signature|exp|nbf|iat|iss|aud|tid|ver|azp|acct|scp|roles|policy|foreign)$/,
    );
    expect(new EntraAuthError(code as never, { check: 'policy' }).check).toBe('policy');
    expect(e.name).toBe('EntraAuthError');
    expect(e.expose).toBe(true);
    if (challenge === undefined) expect(e.wwwAuthenticate).toBeUndefined();
    else {
      expect(e.wwwAuthenticate).toMatch(challenge);
      expect(e.wwwAuthenticate).toMatch(CHALLENGE_SHAPE);
    }
    expect(e.message).toMatch(CHALLENGE_CHARS);
  });

  test('the table covers every code', () => {
    expect(ENTRA_AUTH_ERROR_CODES).toEqual(TABLE.map(([c]) => c));
  });

  test('insufficient_scope lists the required scopes', () => {
    const e = new EntraAuthError('insufficient_scope', { scopes: ['Orders.Read', 'Orders.Write'] });
    expect(e.wwwAuthenticate).toBe(
      `Bearer realm="api", error="insufficient_scope", error_description="${e.message}", scope="Orders.Read Orders.Write"`,
    );
    expect(e.requiredScopes).toEqual(['Orders.Read', 'Orders.Write']);
    expect(Object.isFrozen(e.requiredScopes)).toBe(true);
  });

  test('keys_unavailable carries Retry-After, at least one second, rounded up', () => {
    expect(new EntraAuthError('keys_unavailable', { retryAfterSeconds: 0.2 }).headers).toEqual({
      'retry-after': '1',
    });
    expect(new EntraAuthError('keys_unavailable', { retryAfterSeconds: 12.1 }).retryAfterSeconds).toBe(13);
    expect(new EntraAuthError('keys_unavailable').retryAfterSeconds).toBe(30);
    expect(new EntraAuthError('token_expired').retryAfterSeconds).toBeUndefined();
  });

  test('messages are stripped of quotes, backslashes and control characters', () => {
    const e = new EntraAuthError('malformed_token', { message: 'bad "token"\\\r\nSet-Cookie: x=1\u0000é' });
    expect(e.message).toBe('bad tokenSet-Cookie: x=1');
    expect(e.wwwAuthenticate).toMatch(CHALLENGE_SHAPE);
    expect(sanitizeHeaderValue('a'.repeat(1000)).length).toBe(300);
  });

  test('keeps the cause for logs', () => {
    const cause = new Error('socket hang up');
    expect(new EntraAuthError('keys_unavailable', { cause }).cause).toBe(cause);
  });

  test('insufficient_claims carries the claims challenge', () => {
    const e = new EntraAuthError('insufficient_claims', {
      claims: 'eyJ4Ijox',
      authorizationUri: 'https://login.microsoftonline.com/common/oauth2/authorize',
    });
    expect(e.wwwAuthenticate).toBe(
      `Bearer realm="api", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", error_description="${e.message}", claims="eyJ4Ijox"`,
    );
  });
});

describe('isEntraAuthError', () => {
  test('recognises the brand, not the class', () => {
    expect(isEntraAuthError(new EntraAuthError('token_expired'))).toBe(true);
    // A copy from another module instance: same brand, different class.
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@org/entra-core.EntraAuthError')]: true });
    expect(isEntraAuthError(foreign)).toBe(true);
    expect(isEntraAuthError(Object.assign(new Error('x'), { code: 'token_expired', status: 401 }))).toBe(
      false,
    );
    expect(isEntraAuthError(null)).toBe(false);
    expect(isEntraAuthError('token_expired')).toBe(false);
    expect(isEntraAuthError(new EntraConfigError('x'))).toBe(false);
  });
});

describe('errorResponse', () => {
  test('401 with challenge, no-store and a JSON body', () => {
    const r = errorResponse(new EntraAuthError('token_expired'));
    expect(r.status).toBe(401);
    expect(r.headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'www-authenticate':
        'Bearer realm="api", error="invalid_token", error_description="The access token has expired"',
    });
    expect(JSON.parse(r.body)).toEqual({
      error: 'token_expired',
      error_description: 'The access token has expired',
    });
  });

  test('503 with Retry-After and no challenge', () => {
    const r = errorResponse(new EntraAuthError('keys_unavailable', { retryAfterSeconds: 5 }));
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('5');
    expect(r.headers['www-authenticate']).toBeUndefined();
    expect(JSON.parse(r.body).error).toBe('keys_unavailable');
  });
});

test('EntraConfigError is named and coded', () => {
  const e = new EntraConfigError('fix it');
  expect(e.name).toBe('EntraConfigError');
  expect(e.code).toBe('invalid_configuration');
  expect(e).toBeInstanceOf(Error);
});
