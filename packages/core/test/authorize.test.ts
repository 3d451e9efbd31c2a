import { describe, expect, test } from 'vitest';
import {
  createRoleCheck,
  createScopeCheck,
  createScopeOrRoleCheck,
  EntraConfigError,
  type EntraPrincipal,
  isEntraAuthError,
  requireAppOnly,
  requireAuthContext,
  requireDelegated,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from '../src/index.js';

function principal(p: Partial<EntraPrincipal>): EntraPrincipal {
  return {
    tenantId: 't',
    objectId: 'o',
    subject: 's',
    clientId: 'c',
    scopes: [],
    roles: [],
    isAppOnly: false,
    isGuest: false,
    tokenVersion: '2.0',
    username: undefined,
    name: undefined,
    expiresAt: new Date(0),
    claims: {},
    ...p,
  };
}

function outcome(fn: () => void): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (isEntraAuthError(e)) return `${e.code} ${e.status}`;
    if (e instanceof EntraConfigError) return 'config';
    throw e;
  }
}

const user = principal({ scopes: ['Orders.Read', 'Profile.Read'], roles: ['Approver'] });
const app = principal({ isAppOnly: true, roles: ['Orders.Read.All'] });

describe('requireScopes', () => {
  test.each([
    ['Orders.Read', undefined, 'ok'],
    [['Orders.Read', 'Profile.Read'], undefined, 'ok'],
    [['Orders.Read', 'Orders.Write'], undefined, 'insufficient_scope 403'],
    [['Orders.Read', 'Orders.Write'], { match: 'any' as const }, 'ok'],
    [['Orders.Write', 'Orders.Delete'], { match: 'any' as const }, 'insufficient_scope 403'],
    ['orders.read', undefined, 'insufficient_scope 403'],
    ['Orders', undefined, 'insufficient_scope 403'],
    ['Orders.Read.All', undefined, 'insufficient_scope 403'],
    ['Read', undefined, 'insufficient_scope 403'],
  ])('%j %j → %s', (scopes, options, expected) => {
    expect(outcome(() => requireScopes(user, scopes, options))).toBe(expected);
  });

  test('the challenge lists the required scopes', () => {
    try {
      requireScopes(user, ['Orders.Write', 'Orders.Admin']);
    } catch (e) {
      expect(isEntraAuthError(e) && e.wwwAuthenticate).toMatch(/, scope="Orders.Write Orders.Admin"$/);
      return;
    }
    throw new Error('unreachable');
  });

  test('an app-only token has no scopes', () => {
    expect(outcome(() => requireScopes(app, 'Orders.Read'))).toBe('insufficient_scope 403');
  });

  test('no principal means no token', () => {
    expect(outcome(() => requireScopes(undefined, 'Orders.Read'))).toBe('missing_token 401');
  });

  test.each([[[]], [''], ['a b'], ['a"b'], ['a\\b'], [[1]], [undefined], [{}]])(
    'requirement %j is a configuration error',
    (scopes) => {
      expect(outcome(() => createScopeCheck(scopes as never))).toBe('config');
    },
  );

  test('match must be all or any', () => {
    expect(outcome(() => createScopeCheck('a', { match: 'some' as never }))).toBe('config');
  });
});

describe('requireRoles', () => {
  test.each([
    ['Approver', undefined, 'ok'],
    [['Approver', 'Admin'], undefined, 'insufficient_role 403'],
    [['Approver', 'Admin'], { match: 'any' as const }, 'ok'],
    ['approver', undefined, 'insufficient_role 403'],
  ])('%j %j → %s', (roles, options, expected) => {
    expect(outcome(() => requireRoles(user, roles, options))).toBe(expected);
  });

  test('insufficient_role has no scope attribute', () => {
    expect(outcome(() => createRoleCheck('Admin')(app))).toBe('insufficient_role 403');
  });

  test('an empty requirement is a configuration error', () => {
    expect(outcome(() => createRoleCheck([]))).toBe('config');
  });
});

describe('requireScopeOrRole', () => {
  const need = { scopes: ['Orders.Read'], roles: ['Orders.Read.All'] };
  test('a user with the scope passes', () =>
    expect(outcome(() => requireScopeOrRole(user, need))).toBe('ok'));
  test('an app with the role passes', () => expect(outcome(() => requireScopeOrRole(app, need))).toBe('ok'));
  test('a user without either gets insufficient_scope', () =>
    expect(outcome(() => requireScopeOrRole(principal({ scopes: ['X'] }), need))).toBe(
      'insufficient_scope 403',
    ));
  test('an app without either gets insufficient_role', () =>
    expect(outcome(() => requireScopeOrRole(principal({ isAppOnly: true, roles: ['X'] }), need))).toBe(
      'insufficient_role 403',
    ));
  test('roles only', () =>
    expect(outcome(() => createScopeOrRoleCheck({ roles: 'Approver' })(user))).toBe('ok'));
  test('an empty requirement is a configuration error', () => {
    expect(outcome(() => createScopeOrRoleCheck({}))).toBe('config');
    expect(outcome(() => createScopeOrRoleCheck({ scopes: [], roles: [] }))).toBe('config');
    expect(outcome(() => createScopeOrRoleCheck(null as never))).toBe('config');
  });
});

describe('requireAppOnly / requireDelegated', () => {
  test('app-only', () => {
    expect(outcome(() => requireAppOnly(app))).toBe('ok');
    expect(outcome(() => requireAppOnly(user))).toBe('insufficient_role 403');
  });
  test('delegated', () => {
    expect(outcome(() => requireDelegated(user))).toBe('ok');
    expect(outcome(() => requireDelegated(app))).toBe('insufficient_scope 403');
  });
});

describe('requireAuthContext (claims challenge)', () => {
  test('passes when acrs has the context', () => {
    expect(outcome(() => requireAuthContext(principal({ claims: { acrs: ['c1', 'c2'] } }), 'c2'))).toBe('ok');
  });
  test('a CAE-capable client gets a 401 claims challenge', () => {
    try {
      requireAuthContext(principal({ claims: { xms_cc: ['cp1'] } }), 'c1');
    } catch (e) {
      if (!isEntraAuthError(e)) throw e;
      expect(e.code).toBe('insufficient_claims');
      expect(e.status).toBe(401);
      const claims = /claims="([^"]+)"/.exec(e.wwwAuthenticate ?? '')?.[1] ?? '';
      expect(JSON.parse(atob(claims))).toEqual({ access_token: { acrs: { essential: true, value: 'c1' } } });
      expect(e.wwwAuthenticate).toContain(
        'authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"',
      );
      return;
    }
    throw new Error('unreachable');
  });
  test('other clients get 403', () => {
    expect(outcome(() => requireAuthContext(principal({ claims: {} }), 'c1'))).toBe('insufficient_scope 403');
  });
  test('a bad context id is a configuration error', () => {
    expect(outcome(() => requireAuthContext(user, 'x1'))).toBe('config');
  });
});
