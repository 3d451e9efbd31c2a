/**
 * Scenarios about the group guard: the `groups` claim, the overage answered by Microsoft Graph, Graph
 * unreachable (503, never a pass), and no token.
 */
import { GROUP, OVERAGE_MEMBER } from './routes.js';
import { bare, bearer, insufficient, type Scenario } from './scenario.js';

const NOT_A_MEMBER = /not a member of a required group/;

export const GROUP_SCENARIOS: readonly Scenario[] = [
  {
    name: 'group guard: a member named in the groups claim',
    path: '/group',
    headers: bearer((k) => k.createToken({ groups: [GROUP] })),
    expect: { status: 200, principal: 'token', isAppOnly: false },
  },
  {
    name: 'group guard: not a member',
    path: '/group',
    headers: bearer((k) => k.createToken({ groups: ['0f0e0d0c-0b0a-4908-8706-050403020100'] })),
    expect: { status: 403, error: 'insufficient_role', challenge: insufficient, description: NOT_A_MEMBER },
  },
  {
    name: 'group guard: an overage, answered by Microsoft Graph',
    path: '/group',
    headers: bearer((k) => k.createToken({ oid: OVERAGE_MEMBER, hasgroups: true })),
    expect: { status: 200, principal: 'token', isAppOnly: false },
  },
  {
    name: 'group guard: an overage while Microsoft Graph is unreachable',
    path: '/group-graph-down',
    headers: bearer((k) => k.createToken({ oid: OVERAGE_MEMBER, hasgroups: true })),
    expect: {
      status: 503,
      error: 'groups_unavailable',
      challenge: null,
      description: /Microsoft Graph could not be reached/,
    },
  },
  {
    name: 'group guard: no token',
    path: '/group',
    expect: { status: 401, error: 'missing_token', challenge: bare },
  },
];
