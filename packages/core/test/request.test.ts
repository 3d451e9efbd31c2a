import { describe, expect, test } from 'vitest';
import {
  authenticateIncoming,
  authenticateRequestView,
  createEntraValidator,
  createScopeCheck,
  EntraConfigError,
  type EntraRequestView,
  isCorsPreflight,
  passesToFramework,
  resolveRequestOptions,
  runGuard,
  toValidator,
} from '../src/index.js';
import { codeOf, useMockEntra, validatorFor } from './helpers.js';

const { entra, clock } = useMockEntra();

function view(method: string, headers: Record<string, string>): EntraRequestView {
  return { method, header: (name) => headers[name] };
}

describe('isCorsPreflight', () => {
  test.each([
    ['OPTIONS', { origin: 'https://spa', 'access-control-request-method': 'GET' }, true],
    ['options', { origin: 'https://spa', 'access-control-request-method': 'GET' }, true],
    ['OPTIONS', { origin: 'https://spa' }, false],
    ['OPTIONS', { 'access-control-request-method': 'GET' }, false],
    ['GET', { origin: 'https://spa', 'access-control-request-method': 'GET' }, false],
  ])('%s %j → %s', (method, headers, expected) => {
    expect(isCorsPreflight(view(method, headers))).toBe(expected);
  });
});

describe('resolveRequestOptions', () => {
  test('defaults', () => {
    expect(resolveRequestOptions(undefined, 'entraAuth')).toEqual({ optional: false, corsPreflight: 'pass' });
  });
  test('keeps the adapter’s own options', () => {
    expect(
      resolveRequestOptions({ optional: true, passErrors: true } as never, 'entraAuth', {
        passErrors: 'boolean',
      }),
    ).toEqual({
      optional: true,
      corsPreflight: 'pass',
      passErrors: true,
    });
  });
  test.each([
    [5, /must be an object/],
    [{ optinal: true }, /unknown option 'optinal'/],
    [{ optional: 'yes' }, /optional must be true or false/],
    [{ corsPreflight: 'skip' }, /corsPreflight must be/],
    [{ passErrors: 'yes' }, /passErrors must be true or false/],
    [{ onError: 'render' }, /onError must be a function/],
  ])('%j is a configuration error', (options, message) => {
    expect(() =>
      resolveRequestOptions(options as never, 'entraAuth', { passErrors: 'boolean', onError: 'function' }),
    ).toThrow(message);
  });
});

describe('toValidator', () => {
  test('options make a validator the adapter owns', () => {
    const { validator, owned } = toValidator(entra().validatorOptions() as never);
    expect(owned).toBe(true);
    expect(validator.config.clientId).toBe(entra().clientId);
  });
  test('a validator is used as is', () => {
    const v = createEntraValidator(entra().validatorOptions() as never);
    expect(toValidator(v)).toEqual({ validator: v, owned: false });
  });
  test('anything else is a configuration error naming both forms', () => {
    expect(() => toValidator(undefined as never)).toThrow(EntraConfigError);
    expect(() => toValidator('tenant' as never)).toThrow(/createEntraValidator/);
    expect(() => toValidator(undefined as never, 'withEntraAuth')).toThrow(
      /^withEntraAuth: .* withEntraAuth\(\{/,
    );
  });
});

describe('authenticateRequestView', () => {
  const strict = { optional: false, corsPreflight: 'pass' } as const;
  test('a valid token gives the principal', async () => {
    const { validator } = validatorFor(entra(), clock);
    const p = await authenticateRequestView(
      validator,
      view('GET', { authorization: `Bearer ${entra().createToken()}` }),
      strict,
    );
    expect(p?.tenantId).toBe(entra().tenantId);
  });
  test('a preflight passes without a principal, unless authenticated', async () => {
    const { validator } = validatorFor(entra(), clock);
    const preflight = view('OPTIONS', { origin: 'https://spa', 'access-control-request-method': 'GET' });
    expect(await authenticateRequestView(validator, preflight, strict)).toBeUndefined();
    expect(
      await codeOf(
        authenticateRequestView(validator, preflight, { ...strict, corsPreflight: 'authenticate' }) as never,
      ),
    ).toBe('missing_token');
  });
  test('optional: no token passes, a bad token does not', async () => {
    const { validator } = validatorFor(entra(), clock);
    const optional = { optional: true, corsPreflight: 'pass' } as const;
    expect(await authenticateRequestView(validator, view('GET', {}), optional)).toBeUndefined();
    expect(
      await authenticateRequestView(validator, view('GET', { authorization: 'Basic eDp5' }), optional),
    ).toBeUndefined();
    expect(
      await codeOf(
        authenticateRequestView(validator, view('GET', { authorization: 'Bearer x.y.z' }), optional) as never,
      ),
    ).toBe('malformed_token');
    expect(await codeOf(authenticateRequestView(validator, view('GET', {}), strict) as never)).toBe(
      'missing_token',
    );
  });
});

describe('authenticateIncoming, runGuard, passesToFramework', () => {
  const opts = { optional: false, corsPreflight: 'pass' } as const;
  const node = (method: string, headers: Record<string, string>) => ({ method, headers });

  test('a preflight let through passes guards too; a normal request is checked', async () => {
    const { validator } = validatorFor(entra(), clock);
    const needsAdmin = createScopeCheck('Admin');
    const preflight = node('OPTIONS', { origin: 'https://spa', 'access-control-request-method': 'GET' });
    expect(await authenticateIncoming(validator, preflight, opts)).toBeUndefined();
    expect(() => runGuard(preflight, needsAdmin, undefined)).not.toThrow();
    const request = node('GET', { authorization: `Bearer ${entra().createToken()}` });
    const principal = await authenticateIncoming(validator, request, opts);
    expect(() => runGuard(request, needsAdmin, principal)).toThrow(/lacks a required scope/);
    // A request never seen by authenticateIncoming is checked like any other.
    expect(() => runGuard({}, needsAdmin, undefined)).toThrow(/Authentication required/);
  });

  test('a second Authorization header in the raw list is refused, whatever the parsed headers kept', async () => {
    const { validator } = validatorFor(entra(), clock);
    const token = entra().createToken();
    const twice = {
      method: 'GET',
      headers: { authorization: `Bearer ${token}` },
      rawHeaders: ['Host', 'api', 'Authorization', `Bearer ${token}`, 'AUTHORIZATION', `Bearer ${token}`],
    };
    expect(await codeOf(authenticateIncoming(validator, twice, opts) as never)).toBe('invalid_request');
    // Passed explicitly (Koa's ctx.req.rawHeaders, Fastify's request.raw.rawHeaders).
    const { rawHeaders, ...parsed } = twice;
    expect(await codeOf(authenticateIncoming(validator, parsed, opts, rawHeaders) as never)).toBe(
      'invalid_request',
    );
    const once = { ...parsed, rawHeaders: ['Authorization', `Bearer ${token}`, 'Authorizatio', 'x'] };
    expect((await authenticateIncoming(validator, once, opts))?.claims.oid).toBeTypeOf('string');
  });

  test('errors go to the framework when passErrors is set, or when they are not auth errors', async () => {
    const { validator } = validatorFor(entra(), clock);
    const answered = node('GET', {});
    const passed = node('GET', {});
    const authError = await authenticateIncoming(validator, answered, opts).catch((e: unknown) => e);
    await authenticateIncoming(validator, passed, { ...opts, passErrors: true } as never).catch(
      () => undefined,
    );
    expect(passesToFramework(answered, authError)).toBe(false);
    expect(passesToFramework(passed, authError)).toBe(true);
    expect(passesToFramework(answered, new Error('database down'))).toBe(true);
  });
});
