// `@org/entra-core/adapter`: option resolution, the per-request state, guards and error routing.
// The adapters' own tests run the same decisions over HTTP in each framework.
import { describe, expect, it, test } from 'vitest';
import * as adapterEntry from '../src/adapter.js';
import {
  authenticateIncoming,
  authenticateWebRequest,
  ENTRA_AUTH_STATE,
  type EntraAdapterOptions,
  type EntraAuthState,
  passesToFramework,
  resolveAdapterOptions,
  routeRequirement,
  runGuard,
  toValidator,
} from '../src/adapter.js';
import { createEntraValidator, createScopeCheck, EntraAuthError, EntraConfigError } from '../src/index.js';
import { codeOf, useMockEntra, validatorFor } from './helpers.js';

const { entra, clock } = useMockEntra();

const PREFLIGHT = { origin: 'https://spa.example', 'access-control-request-method': 'GET' };
const node = (method: string, headers: Record<string, string> = {}) => ({ method, headers });
const web = (method: string, headers: Record<string, string> = {}) =>
  new Request('https://api.example/orders', { method, headers });
const principalOf = (state: Promise<EntraAuthState>) =>
  state.then((s) => s.principal) as Promise<NonNullable<EntraAuthState['principal']>>;

describe('resolveAdapterOptions', () => {
  test('defaults: required, preflights answered, errors answered', () => {
    expect(resolveAdapterOptions(undefined, 'entraAuth')).toEqual({
      optional: false,
      corsPreflight: 'answer',
      passErrors: false,
    });
  });
  test('keeps the adapter’s own options, every known one as an own property', () => {
    const resolved = resolveAdapterOptions({ optional: true, passErrors: true, scopes: 'A' } as never, 'x', {
      passErrors: 'boolean',
      scopes: 'any',
      onError: 'function',
    });
    expect(resolved).toEqual({
      optional: true,
      corsPreflight: 'answer',
      passErrors: true,
      scopes: 'A',
      onError: undefined,
    });
    expect(Object.hasOwn(resolved, 'onError')).toBe(true);
  });
  test.each(['answer', 'authenticate', 'pass'] as const)('corsPreflight: %s', (mode) => {
    expect(resolveAdapterOptions({ corsPreflight: mode }, 'entraAuth').corsPreflight).toBe(mode);
  });
  test.each([
    [5, /must be an object/],
    [null, /must be an object/],
    [{ optinal: true }, /unknown option 'optinal'/],
    [{ optional: 'yes' }, /optional must be true or false/],
    [{ corsPreflight: 'skip' }, /corsPreflight must be 'answer' \(default\), 'authenticate' or 'pass'/],
    [{ passErrors: 'yes' }, /passErrors must be true or false/],
    [{ onError: 'render' }, /onError must be a function/],
  ])('%j is a configuration error', (options, message) => {
    expect(() =>
      resolveAdapterOptions(options as never, 'entraAuth', { passErrors: 'boolean', onError: 'function' }),
    ).toThrow(message);
  });
  test('passErrors is unknown to an adapter that does not declare it', () => {
    expect(() => resolveAdapterOptions({ passErrors: true } as never, 'withEntraAuth')).toThrow(
      /unknown option 'passErrors'/,
    );
  });
  test('reads own properties only: a polluted Object.prototype configures nothing', () => {
    const inherited = { optional: true, corsPreflight: 'pass', passErrors: true, onError: () => 1 };
    try {
      Object.assign(Object.prototype, inherited);
      const resolved = resolveAdapterOptions<EntraAdapterOptions & { onError?: () => number }>(
        {},
        'entraAuth',
        {
          passErrors: 'boolean',
          onError: 'function',
        },
      );
      expect({ ...resolved }).toEqual({
        optional: false,
        corsPreflight: 'answer',
        passErrors: false,
        onError: undefined,
      });
      expect(resolved.onError).toBeUndefined();
      expect(resolveAdapterOptions(undefined, 'entraAuth').corsPreflight).toBe('answer');
    } finally {
      for (const key of Object.keys(inherited)) delete (Object.prototype as Record<string, unknown>)[key];
    }
  });
});

describe('toValidator', () => {
  test('options make a validator the adapter owns', () => {
    const { validator, owned } = toValidator(entra().validatorOptions() as never);
    expect(owned).toBe(true);
    expect(validator.config.clientId).toBe(entra().clientId);
    validator.close();
  });
  test('a validator is used as is', () => {
    const v = createEntraValidator(entra().validatorOptions() as never);
    expect(toValidator(v)).toEqual({ validator: v, owned: false });
    v.close();
  });
  test('anything else is a configuration error naming both forms', () => {
    expect(() => toValidator(undefined as never)).toThrow(EntraConfigError);
    expect(() => toValidator('tenant' as never)).toThrow(/createEntraValidator/);
    expect(() => toValidator(undefined as never, 'withEntraAuth')).toThrow(
      /^withEntraAuth: .* withEntraAuth\(\{/,
    );
  });
});

describe.each([
  ['authenticateIncoming (Node-style)', authenticateIncoming, node],
  ['authenticateWebRequest (Web Request)', authenticateWebRequest, web],
] as const)('%s', (_name, authenticate, request) => {
  const run = (
    req: ReturnType<typeof request>,
    options: EntraAdapterOptions & { passErrors?: boolean } = {},
  ) => {
    const { validator } = validatorFor(entra(), clock);
    return (authenticate as typeof authenticateWebRequest)(
      validator,
      req as Request,
      resolveAdapterOptions(options, 'test', { passErrors: 'boolean' }),
    );
  };

  test('a valid token: the principal, not a preflight', async () => {
    const state = await run(request('GET', { authorization: `Bearer ${entra().createToken()}` }));
    expect(state.principal?.tenantId).toBe(entra().tenantId);
    expect(state.preflight).toBeUndefined();
    expect(state.passErrors).toBe(false);
  });

  test.each(['OPTIONS', 'options'])(
    'a preflight (%s) is answered by default, with no principal',
    async (m) => {
      expect(await run(request(m, PREFLIGHT))).toEqual({
        principal: undefined,
        preflight: 'answer',
        passErrors: false,
      });
      expect(await run(request(m, PREFLIGHT), { corsPreflight: 'answer', passErrors: true })).toEqual({
        principal: undefined,
        preflight: 'answer',
        passErrors: true,
      });
    },
  );

  test("corsPreflight: 'pass' passes it on with no principal (even with a token)", async () => {
    const token = `Bearer ${entra().createToken()}`;
    const state = await run(request('OPTIONS', { ...PREFLIGHT, authorization: token }), {
      corsPreflight: 'pass',
    });
    expect(state).toEqual({ principal: undefined, preflight: 'pass', passErrors: false });
  });

  test("corsPreflight: 'authenticate' makes it an ordinary request", async () => {
    const options = { corsPreflight: 'authenticate' } as const;
    expect(await codeOf(principalOf(run(request('OPTIONS', PREFLIGHT), options)))).toBe('missing_token');
    const token = `Bearer ${entra().createToken()}`;
    const state = await run(request('OPTIONS', { ...PREFLIGHT, authorization: token }), options);
    expect(state.principal?.tenantId).toBe(entra().tenantId);
    expect(state.preflight).toBeUndefined();
  });

  test.each([
    ['OPTIONS without Origin', 'OPTIONS', { 'access-control-request-method': 'GET' }],
    ['OPTIONS without Access-Control-Request-Method', 'OPTIONS', { origin: 'https://spa.example' }],
    ['GET with both', 'GET', PREFLIGHT],
  ])('%s is not a preflight: authenticated like any request', async (_label, method, headers) => {
    for (const corsPreflight of ['answer', 'pass'] as const) {
      expect(await codeOf(principalOf(run(request(method, headers), { corsPreflight })))).toBe(
        'missing_token',
      );
    }
  });

  test('optional: no token gives no principal; a bad token is still refused', async () => {
    const optional = { optional: true } as const;
    expect(await run(request('GET'), optional)).toEqual({
      principal: undefined,
      preflight: undefined,
      passErrors: false,
    });
    expect((await run(request('GET', { authorization: 'Basic eDp5' }), optional)).principal).toBeUndefined();
    expect(await codeOf(principalOf(run(request('GET', { authorization: 'Bearer x.y.z' }), optional)))).toBe(
      'malformed_token',
    );
    expect(await codeOf(principalOf(run(request('GET'))))).toBe('missing_token');
  });
});

describe('authenticateIncoming and the raw header list', () => {
  test('a second Authorization header in the raw list is refused, whatever the parsed headers kept', async () => {
    const { validator } = validatorFor(entra(), clock);
    const opts = resolveAdapterOptions({}, 'test');
    const token = entra().createToken();
    const twice = {
      method: 'GET',
      headers: { authorization: `Bearer ${token}` },
      rawHeaders: ['Host', 'api', 'Authorization', `Bearer ${token}`, 'AUTHORIZATION', `Bearer ${token}`],
    };
    expect(await codeOf(principalOf(authenticateIncoming(validator, twice, opts)))).toBe('invalid_request');
    // Passed explicitly (Koa's ctx.req.rawHeaders, Fastify's request.raw.rawHeaders).
    const { rawHeaders, ...parsed } = twice;
    expect(await codeOf(principalOf(authenticateIncoming(validator, parsed, opts, rawHeaders)))).toBe(
      'invalid_request',
    );
    const once = { ...parsed, rawHeaders: ['Authorization', `Bearer ${token}`, 'Authorizatio', 'x'] };
    expect((await authenticateIncoming(validator, once, opts)).principal?.claims.oid).toBeTypeOf('string');
  });
});

describe('runGuard', () => {
  const needsRead = createScopeCheck('Orders.Read');
  const stateWith = async (scp: string): Promise<EntraAuthState> => {
    const { validator } = validatorFor(entra(), clock);
    const req = node('GET', { authorization: `Bearer ${entra().createToken({ scp })}` });
    return authenticateIncoming(validator, req, resolveAdapterOptions({}, 'test'));
  };

  test('runs the check on the principal', async () => {
    expect(() => runGuard(undefined, needsRead)).toThrow(EntraAuthError);
    const allowed = await stateWith('Orders.Read');
    expect(() => runGuard(allowed, needsRead)).not.toThrow();
    const refused = await stateWith('User.Read');
    expect(() => runGuard(refused, needsRead)).toThrow(/lacks a required scope/);
  });

  test('no state (no authentication before the guard) or no principal is missing_token', () => {
    const codeOfThrow = (fn: () => void) => {
      try {
        fn();
        return 'ok';
      } catch (error) {
        return (error as EntraAuthError).code;
      }
    };
    const anything = () => undefined;
    expect(codeOfThrow(() => runGuard(undefined, anything))).toBe('missing_token');
    expect(codeOfThrow(() => runGuard(null, anything))).toBe('missing_token');
    const anonymous = { principal: undefined, preflight: undefined, passErrors: false };
    expect(codeOfThrow(() => runGuard(anonymous, anything))).toBe('missing_token');
    // A preflight that should have been answered never reaches a guard; if it does, it is refused.
    expect(codeOfThrow(() => runGuard({ ...anonymous, preflight: 'answer' }, anything))).toBe(
      'missing_token',
    );
  });

  test("a preflight passed on with corsPreflight: 'pass' passes every guard", () => {
    const passed: EntraAuthState = { principal: undefined, preflight: 'pass', passErrors: false };
    expect(() => runGuard(passed, needsRead)).not.toThrow();
  });
});

describe('routeRequirement', () => {
  const resolve = (options: object) =>
    resolveAdapterOptions(options, 'withEntraAuth', { scopes: 'any', roles: 'any', match: 'any' });
  const codeFor = async (
    check: ReturnType<typeof routeRequirement>,
    claims: Record<string, unknown>,
    kind?: 'app',
  ) => {
    const { validator } = validatorFor(entra(), clock);
    const principal = await validator.verify(entra().createToken(claims, kind ? { kind } : {}));
    try {
      check?.(principal);
      return 'ok';
    } catch (error) {
      return (error as EntraAuthError).code;
    }
  };

  test('none asked: no check', () => {
    expect(routeRequirement(resolve({}), 'withEntraAuth')).toBeUndefined();
    expect(routeRequirement(resolve({ optional: true }), 'withEntraAuth')).toBeUndefined();
  });

  test('scopes, roles (all or any), and scopes with roles (any one)', async () => {
    const both = routeRequirement(resolve({ scopes: ['A', 'B'] }), 'x');
    expect(await codeFor(both, { scp: 'A B' })).toBe('ok');
    expect(await codeFor(both, { scp: 'A' })).toBe('insufficient_scope');
    const either = routeRequirement(resolve({ scopes: ['A', 'B'], match: 'any' }), 'x');
    expect(await codeFor(either, { scp: 'B' })).toBe('ok');
    const role = routeRequirement(resolve({ roles: 'Jobs.Run' }), 'x');
    expect(await codeFor(role, { roles: ['Jobs.Run'] }, 'app')).toBe('ok');
    expect(await codeFor(role, { roles: ['Other'] }, 'app')).toBe('insufficient_role');
    const scopeOrRole = routeRequirement(resolve({ scopes: 'A', roles: 'A.All' }), 'x');
    expect(await codeFor(scopeOrRole, { scp: 'A' })).toBe('ok');
    expect(await codeFor(scopeOrRole, { roles: ['A.All'] }, 'app')).toBe('ok');
    expect(await codeFor(scopeOrRole, { scp: 'B' })).toBe('insufficient_scope');
  });

  test.each([
    [{ match: 'any' }, /withEntraAuth: match applies to scopes or roles/],
    [{ optional: true, scopes: 'A' }, /withEntraAuth: optional cannot be combined/],
    [{ scopes: 'A', roles: 'B', match: 'all' }, /withEntraAuth: with both scopes and roles, any one passes/],
    [{ scopes: [] }, EntraConfigError],
  ])('%o is a configuration error naming where', (options, message) => {
    expect(() => routeRequirement(resolve(options), 'withEntraAuth')).toThrow(message);
  });

  test('reads own properties only', () => {
    const inherited = { scopes: 'A', roles: 'B', match: 'any' };
    try {
      Object.assign(Object.prototype, inherited);
      expect(routeRequirement({ optional: false }, 'x')).toBeUndefined();
    } finally {
      for (const key of Object.keys(inherited)) delete (Object.prototype as Record<string, unknown>)[key];
    }
  });
});

describe('passesToFramework', () => {
  const authError = new EntraAuthError('missing_token');
  test('auth errors are answered unless passErrors', () => {
    expect(passesToFramework(authError, undefined)).toBe(false);
    expect(passesToFramework(authError, { passErrors: false })).toBe(false);
    expect(passesToFramework(authError, { passErrors: true })).toBe(true);
  });
  test('anything else always goes to the framework', () => {
    expect(passesToFramework(new Error('database down'), undefined)).toBe(true);
    expect(passesToFramework(new Error('database down'), { passErrors: false })).toBe(true);
  });
});

it('ENTRA_AUTH_STATE is a registered symbol: every copy of the core agrees on it', () => {
  expect(ENTRA_AUTH_STATE).toBe(Symbol.for('@org/entra-core/adapter:state'));
});

it('exports exactly the adapter API', () => {
  expect(Object.keys(adapterEntry).sort()).toMatchInlineSnapshot(`
    [
      "ENTRA_AUTH_STATE",
      "authenticateIncoming",
      "authenticateWebRequest",
      "passesToFramework",
      "resolveAdapterOptions",
      "routeRequirement",
      "runGuard",
      "toValidator",
    ]
  `);
});
