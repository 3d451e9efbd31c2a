/** Scenarios about guards: scopes, roles, scope-or-role, the kind of caller. */
import { app, bare, bearer, challengeOf, insufficient, preflight, type Scenario, user } from './scenario.js';

export const GUARD_SCENARIOS: readonly Scenario[] = [
  // Guards
  {
    name: 'missing scope',
    path: '/orders',
    headers: user,
    expect: {
      status: 403,
      error: 'insufficient_scope',
      challenge: `Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="Orders.Read"`,
    },
  },
  {
    name: 'required scope present',
    path: '/orders',
    headers: bearer((k) => k.createToken({ scp: 'Orders.Read' })),
    expect: { status: 200, principal: 'token', isAppOnly: false },
  },
  {
    name: 'missing role',
    path: '/admin',
    headers: app(['access_as_application']),
    expect: { status: 403, error: 'insufficient_role', challenge: insufficient },
  },
  {
    name: 'required role present',
    path: '/admin',
    headers: app(['Orders.Admin']),
    expect: { status: 200, principal: 'token', isAppOnly: true },
  },
  {
    name: 'no token on a guarded route',
    path: '/orders',
    expect: { status: 401, error: 'missing_token', challenge: bare },
  },
  {
    name: 'scope-or-role: by scope',
    path: '/read',
    headers: bearer((k) => k.createToken({ scp: 'Orders.Read' })),
    expect: { status: 200, principal: 'token', isAppOnly: false },
  },
  {
    name: 'scope-or-role: by role',
    path: '/read',
    headers: app(['Orders.Read.All']),
    expect: { status: 200, principal: 'token', isAppOnly: true },
  },
  {
    name: 'scope-or-role: neither (user)',
    path: '/read',
    headers: user,
    expect: {
      status: 403,
      error: 'insufficient_scope',
      challenge: challengeOf('insufficient_scope', ', scope="Orders.Read"'),
    },
  },
  {
    name: 'scope-or-role: neither (app)',
    path: '/read',
    headers: app(['access_as_application']),
    expect: { status: 403, error: 'insufficient_role', challenge: insufficient },
  },
  {
    name: 'app-only token on a delegated route',
    path: '/user-only',
    headers: app(['access_as_application']),
    expect: {
      status: 403,
      error: 'insufficient_scope',
      challenge: insufficient,
      description: 'This operation needs a user (delegated) token',
    },
  },
  {
    name: 'user token on a delegated route',
    path: '/user-only',
    headers: user,
    expect: { status: 200, principal: 'token', isAppOnly: false },
  },
  {
    name: 'user token on an app-only route',
    path: '/app-only',
    headers: user,
    expect: {
      status: 403,
      error: 'insufficient_role',
      challenge: insufficient,
      description: 'This operation needs an application (app-only) token',
    },
  },
  {
    name: 'app token on an app-only route',
    path: '/app-only',
    headers: app(['access_as_application']),
    expect: { status: 200, principal: 'token', isAppOnly: true },
  },
  // Guards reached without a principal refuse, and the handler never runs.
  {
    name: 'guard without authentication before it',
    path: '/no-auth-guard',
    headers: bearer((k) => k.createToken({ scp: 'Orders.Read' })),
    expect: { status: 401, error: 'missing_token', challenge: bare },
  },
  {
    name: 'guard without authentication before it, on a preflight',
    method: 'OPTIONS',
    path: '/no-auth-guard',
    headers: () => preflight,
    expect: { status: 401, error: 'missing_token', challenge: bare },
  },
  {
    name: 'guard on an optional route, without a token',
    path: '/optional-orders',
    expect: { status: 401, error: 'missing_token', challenge: bare },
  },
  {
    name: 'guard on an optional route, with a token',
    path: '/optional-orders',
    headers: bearer((k) => k.createToken({ scp: 'Orders.Read' })),
    expect: { status: 200, principal: 'token', isAppOnly: false },
  },
];
