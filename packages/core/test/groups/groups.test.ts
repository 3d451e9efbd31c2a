// Groups overage: the groups claim when the token has it, Microsoft Graph's getMemberObjects (a
// loopback mock from the test kit) when the token signals an overage. Requests are counted: one per
// user per cache period, one for concurrent lookups, none derived from token content; failures are
// bounded, explained, not cached, and never let a requirement pass.
import { randomUUID } from 'node:crypto';
import { createMockGraph, type MockGraph } from '@org/entra-testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createEntraValidator,
  createGroupsCheck,
  EntraConfigError,
  type EntraPrincipal,
  type GroupsOptions,
  isEntraAuthError,
  requireGroups,
  resolveGroups,
} from '../../src/index.js';
import { errorOf, OTHER_TENANT, useMockEntra } from '../helpers.js';

const { entra, clock } = useMockEntra();
const GRAPH_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.graph-token-for-tests.signature';
const ADMINS = '5b2d6c1e-8f3a-4e7b-9c0d-1a2b3c4d5e6f';
const READERS = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const OTHERS = 'c0ffee00-1234-4abc-8def-0123456789ab';
let graph: MockGraph;

beforeAll(async () => {
  graph = await createMockGraph({ token: GRAPH_TOKEN });
});
afterAll(() => graph.close());
beforeEach(() => {
  graph.setFault(null);
  graph.resetCounts();
});

/** Options pointing at the mock Graph, with the test's clock and a log of token requests. */
function options(extra: Partial<GroupsOptions> = {}): GroupsOptions & { tokenRequests: unknown[] } {
  const tokenRequests: unknown[] = [];
  return {
    getGraphToken: (request) => {
      tokenRequests.push(request);
      return GRAPH_TOKEN;
    },
    graphUrl: graph.url,
    clock: clock.fn,
    timeoutMs: 2000,
    ...extra,
    tokenRequests,
  } as GroupsOptions & { tokenRequests: unknown[] };
}

/** Options without the test-only log (unknown options are refused). */
function plain(o: GroupsOptions & { tokenRequests?: unknown }): GroupsOptions {
  const { tokenRequests: _, ...rest } = o;
  return rest;
}

/** A verified principal for a fresh user (so the process-wide cache starts empty for it). */
async function user(claims: Record<string, unknown> = {}, kind: 'delegated' | 'app' = 'delegated') {
  const oid = randomUUID();
  const validator = createEntraValidator(entra().validatorOptions({ clock: clock.fn }));
  const principal = await validator.verify(entra().createToken({ oid, ...claims }, { kind }));
  validator.close();
  return { oid, principal };
}

/** A user whose token signals an overage, with groups known to Graph. */
async function overageUser(groups: string[] = [ADMINS, READERS], claims: Record<string, unknown> = {}) {
  const u = await user({ hasgroups: true, ...claims });
  graph.setGroups(u.oid, groups);
  return u;
}

describe('resolveGroups', () => {
  it("returns the token's groups claim (GUIDs in lower case) without asking Graph", async () => {
    const { principal } = await user({ groups: [ADMINS.toUpperCase(), 'contoso\\sales'] });
    const o = plain(options());
    expect(await resolveGroups(principal, o)).toEqual([ADMINS, 'contoso\\sales']);
    expect(graph.requestCount()).toBe(0);
  });

  it('returns no groups, without asking Graph, when the token has neither groups nor an overage', async () => {
    const { principal } = await user();
    expect(await resolveGroups(principal, plain(options()))).toEqual([]);
    expect(graph.requestCount()).toBe(0);
  });

  it('hasgroups: asks Graph getMemberObjects for the user, as Graph documents it', async () => {
    const { oid, principal } = await overageUser();
    const o = options();
    const groups = await resolveGroups(principal, plain(o));
    expect(groups).toEqual([ADMINS, READERS]);
    expect(Object.isFrozen(groups)).toBe(true);
    expect(graph.requests()).toEqual([
      {
        method: 'POST',
        path: `/v1.0/users/${oid}/getMemberObjects`,
        authorization: `Bearer ${GRAPH_TOKEN}`,
        body: { securityEnabledOnly: true },
      },
    ]);
    expect(o.tokenRequests).toEqual([{ tenantId: entra().tenantId, scope: `${graph.url}/.default` }]);
  });

  it('_claim_names.groups: asks the configured Graph, never the endpoint named in _claim_sources', async () => {
    const elsewhere = await createMockGraph();
    try {
      const u = await user({
        _claim_names: { groups: 'src1' },
        _claim_sources: { src1: { endpoint: `${elsewhere.url}/v1.0/users/x/getMemberObjects` } },
      });
      graph.setGroups(u.oid, [READERS]);
      elsewhere.setGroups(u.oid, [ADMINS]);
      expect(await resolveGroups(u.principal, plain(options()))).toEqual([READERS]);
      expect(graph.requestCount()).toBe(1);
      expect(elsewhere.requestCount()).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('securityEnabledOnly: false is sent as such, and cached apart from security groups only', async () => {
    const { principal } = await overageUser([ADMINS, OTHERS]);
    const o = plain(options({ securityEnabledOnly: false }));
    expect(await resolveGroups(principal, o)).toEqual([ADMINS, OTHERS]);
    expect(graph.requests()[0]?.body).toEqual({ securityEnabledOnly: false });
    await resolveGroups(principal, plain(options()));
    expect(graph.requestCount()).toBe(2);
  });

  it('an app-only token: asks for the service principal, and says which permission that needs', async () => {
    const oid = randomUUID();
    const validator = createEntraValidator(entra().validatorOptions({ clock: clock.fn }));
    const principal = await validator.verify(
      entra().createToken({ oid, sub: oid, hasgroups: true, roles: ['Orders.Read.All'] }, { kind: 'app' }),
    );
    validator.close();
    expect(principal.isAppOnly).toBe(true);
    graph.setGroups(oid, [OTHERS]);
    expect(await resolveGroups(principal, plain(options()))).toEqual([OTHERS]);
    expect(graph.requests()[0]?.path).toBe(`/v1.0/servicePrincipals/${oid}/getMemberObjects`);

    graph.setFault('status', { status: 403 });
    const e = await errorOf(resolveGroups(principal, plain(options({ cacheSeconds: 0 }))));
    expect(e.message).toContain('Application.Read.All');
  });

  it('accepts a token object as @azure/identity gives it ({ token, expiresOnTimestamp })', async () => {
    const { principal } = await overageUser([READERS]);
    const o = plain(options({ getGraphToken: async () => ({ token: GRAPH_TOKEN, expiresOnTimestamp: 0 }) }));
    expect(await resolveGroups(principal, o)).toEqual([READERS]);
  });

  it('no principal: missing_token', async () => {
    expect((await errorOf(resolveGroups(undefined, plain(options())))).code).toBe('missing_token');
  });
});

describe('the cache', () => {
  it('one Graph request per user per cache period, whoever asks and with whatever options object', async () => {
    const first = await overageUser();
    const second = await overageUser([READERS]);
    for (let i = 0; i < 5; i++) {
      expect(await resolveGroups(first.principal, plain(options()))).toEqual([ADMINS, READERS]);
    }
    expect(graph.requestCount()).toBe(1);
    expect(await resolveGroups(second.principal, plain(options()))).toEqual([READERS]);
    expect(graph.requestCount()).toBe(2);
  });

  it('expires after cacheSeconds (default 300) on the injected clock', async () => {
    const { oid, principal } = await overageUser([ADMINS]);
    await resolveGroups(principal, plain(options()));
    graph.setGroups(oid, [READERS]); // removed from admins, added to readers
    clock.advance(299);
    expect(await resolveGroups(principal, plain(options()))).toEqual([ADMINS]);
    expect(graph.requestCount()).toBe(1);
    clock.advance(1);
    expect(await resolveGroups(principal, plain(options()))).toEqual([READERS]);
    expect(graph.requestCount()).toBe(2);
    // A shorter cacheSeconds on a later call applies to what is cached.
    clock.advance(30);
    expect(await resolveGroups(principal, plain(options({ cacheSeconds: 20 })))).toEqual([READERS]);
    expect(graph.requestCount()).toBe(3);
    // cacheSeconds: 0 always asks.
    await resolveGroups(principal, plain(options({ cacheSeconds: 0 })));
    expect(graph.requestCount()).toBe(4);
  });

  it('is keyed by tenant and object id: the same oid in another tenant is another lookup', async () => {
    const oid = randomUUID();
    const validator = createEntraValidator(
      entra().validatorOptions({
        tenantId: 'organizations',
        allowedTenants: [entra().tenantId, OTHER_TENANT],
        clock: clock.fn,
      }),
    );
    const home = await validator.verify(entra().createToken({ oid, hasgroups: true }));
    const other = await validator.verify(
      entra().createToken({ oid, hasgroups: true }, { tenantId: OTHER_TENANT }),
    );
    validator.close();
    graph.setGroups(oid, [ADMINS]);
    const o = options();
    await resolveGroups(home, plain(o));
    await resolveGroups(other, plain(o));
    await resolveGroups(home, plain(o));
    expect(graph.requestCount()).toBe(2);
    // The token for Graph is asked for the caller's tenant.
    expect(o.tokenRequests.map((r) => (r as { tenantId: string }).tenantId)).toEqual([
      entra().tenantId,
      OTHER_TENANT,
    ]);
  });

  it('concurrent lookups of one user share one request', async () => {
    const { principal } = await overageUser([READERS]);
    graph.setFault('slow', { delayMs: 50 });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => resolveGroups(principal, plain(options()))),
    );
    for (const groups of results) expect(groups).toEqual([READERS]);
    expect(graph.requestCount()).toBe(1);
  });

  it('failures are not cached: the next lookup asks again, and concurrent ones share the failure', async () => {
    const { principal } = await overageUser([READERS]);
    graph.setFault('status', { status: 503 });
    const failures = await Promise.all(
      Array.from({ length: 5 }, () => errorOf(resolveGroups(principal, plain(options())))),
    );
    for (const e of failures) expect(e.status).toBe(503);
    expect(graph.requestCount()).toBe(1);
    graph.setFault(null);
    expect(await resolveGroups(principal, plain(options()))).toEqual([READERS]);
    expect(graph.requestCount()).toBe(2);
  });
});

describe('Graph failures: refused as unavailable (503), with what to fix', () => {
  it('403: names the application permissions to grant', async () => {
    const { principal } = await overageUser();
    graph.setFault('status', { status: 403 });
    const e = await errorOf(resolveGroups(principal, plain(options())));
    expect(e.status).toBe(503);
    expect(e.code).toBe('groups_unavailable');
    expect(e.retryAfterSeconds).toBeGreaterThan(0);
    expect(e.message).toContain('GroupMember.Read.All');
    expect(e.message).toContain('User.ReadBasic.All');
    expect(e.message).toContain('Authorization_RequestDenied');
    expect(e.message).toContain('admin consent');
    expect(e.wwwAuthenticate).toBeUndefined();
  });

  it('401: the Graph token is not accepted', async () => {
    const { principal } = await overageUser();
    const e = await errorOf(
      resolveGroups(principal, plain(options({ getGraphToken: () => 'not-the-token' }))),
    );
    expect(e.message).toContain('InvalidAuthenticationToken');
    expect(e.message).toContain('app-only Graph token');
  });

  it('404: Graph does not know the user', async () => {
    const { principal } = await user({ hasgroups: true }); // no memberships set: unknown to the mock
    const e = await errorOf(resolveGroups(principal, plain(options())));
    expect(e.message).toContain('404 Request_ResourceNotFound');
  });

  it("429 and 5xx: retry later, with Graph's Retry-After", async () => {
    const { principal } = await overageUser();
    graph.setFault('status', { status: 429, retryAfter: 7 });
    const e = await errorOf(resolveGroups(principal, plain(options())));
    expect(e.message).toContain('throttling');
    expect(e.retryAfterSeconds).toBe(7);
    expect(e.headers['retry-after']).toBe('7');
  });

  it('other statuses and redirects are refused, a redirect never followed', async () => {
    const { principal } = await overageUser();
    graph.setFault('status', { status: 400, code: 'Directory_ResultSizeLimitExceeded' });
    expect((await errorOf(resolveGroups(principal, plain(options())))).message).toContain(
      '400 Directory_ResultSizeLimitExceeded',
    );
    graph.setFault('status', { status: 302 });
    expect((await errorOf(resolveGroups(principal, plain(options())))).message).toContain('redirect');
  });

  it('Graph unreachable (connection dropped): retry later', async () => {
    const { principal } = await overageUser();
    graph.setFault('down');
    const e = await errorOf(resolveGroups(principal, plain(options())));
    expect(e.message).toContain('could not be reached');
    expect(e.cause).toBeDefined();
  });

  it('a Graph that never answers: refused at timeoutMs', async () => {
    const { principal } = await overageUser();
    graph.setFault('slow');
    const started = performance.now();
    const e = await errorOf(resolveGroups(principal, plain(options({ timeoutMs: 150 }))));
    expect(performance.now() - started).toBeLessThan(1500);
    expect(e.message).toContain('did not answer within timeoutMs (150 ms)');
  });

  it('a very long timeoutMs is not taken for an overflowed timer', async () => {
    const { principal } = await overageUser([READERS]);
    expect(await resolveGroups(principal, plain(options({ timeoutMs: 1e12 })))).toEqual([READERS]);
  });

  it('a token provider or an injected fetch that never settles: refused at timeoutMs too', async () => {
    const { principal } = await overageUser();
    const never = () => new Promise<never>(() => undefined);
    for (const extra of [{ getGraphToken: never }, { fetch: never }] as Partial<GroupsOptions>[]) {
      const started = performance.now();
      const e = await errorOf(
        resolveGroups(principal, plain(options({ timeoutMs: 100, cacheSeconds: 0, ...extra }))),
      );
      expect(performance.now() - started).toBeLessThan(1500);
      expect(e.message).toContain('timeoutMs');
    }
  });

  it('a token provider that fails or gives no token: refused, the error kept as the cause', async () => {
    const { principal } = await overageUser();
    const boom = new Error('AADSTS7000215: Invalid client secret provided.');
    const failing = await errorOf(
      resolveGroups(
        principal,
        plain(
          options({
            getGraphToken: () => {
              throw boom;
            },
          }),
        ),
      ),
    );
    expect(failing.message).toContain('getGraphToken did not give a Microsoft Graph token');
    expect(failing.cause).toBe(boom);
    for (const bad of ['', 'two\nlines', 42, { token: '' }, null]) {
      const e = await errorOf(
        resolveGroups(principal, plain(options({ getGraphToken: () => bad as string }))),
      );
      expect(e.message).toContain('getGraphToken');
    }
    expect(graph.requestCount()).toBe(0);
  });

  it('garbage, huge, paged or non-GUID answers are refused, never half-used', async () => {
    const { principal } = await overageUser();
    const o = plain(options({ cacheSeconds: 0 }));
    graph.setFault('garbage');
    expect((await errorOf(resolveGroups(principal, o))).message).toContain('not JSON');
    graph.setFault('huge');
    expect((await errorOf(resolveGroups(principal, o))).message).toContain(
      'maxResponseBytes (1048576 bytes)',
    );
    graph.setFault('body', { body: { value: [ADMINS], '@odata.nextLink': `${graph.url}/v1.0/next` } });
    expect((await errorOf(resolveGroups(principal, o))).message).toContain('paged');
    graph.setFault('body', { body: { value: [ADMINS, 'admins'] } });
    expect((await errorOf(resolveGroups(principal, o))).message).toContain('not a GUID');
    graph.setFault('body', { body: [ADMINS] });
    expect((await errorOf(resolveGroups(principal, o))).message).toContain('not an object');
    graph.setFault('body', { body: { groups: [ADMINS] } });
    expect((await errorOf(resolveGroups(principal, o))).message).toContain('no value array');
    // A smaller cap applies to the declared length and to what is read.
    graph.setFault(null);
    expect(
      (await errorOf(resolveGroups(principal, plain(options({ maxResponseBytes: 50 }))))).message,
    ).toContain('maxResponseBytes (50 bytes)');
    // Nothing was cached along the way.
    expect(await resolveGroups(principal, plain(options()))).toEqual([ADMINS, READERS]);
  });

  it('through an injected fetch: streamed bodies are capped as read, bytes must be UTF-8, error pages need no JSON', async () => {
    const { principal } = await overageUser();
    const answer = (response: Response) =>
      resolveGroups(principal, plain(options({ cacheSeconds: 0, fetch: async () => response })));
    const chunk = new TextEncoder().encode(`"${ADMINS}",`.repeat(100));
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent++;
        controller.enqueue(sent === 1 ? new TextEncoder().encode('{"value":[') : chunk);
      },
    });
    expect((await errorOf(answer(new Response(endless)))).message).toContain('maxResponseBytes');
    expect(sent).toBeLessThan(1000); // stopped at the cap (1 MiB is about 250 chunks), not at the end
    expect((await errorOf(answer(new Response(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))))).message).toContain(
      'not JSON',
    );
    const proxyPage = await errorOf(answer(new Response('<html>Bad gateway</html>', { status: 502 })));
    expect(proxyPage.message).toContain('(502)');
    expect((await errorOf(answer(new Response(null, { status: 200 })))).message).toContain('not JSON');
  });

  it('an oid that is not a GUID never reaches a URL', async () => {
    const validator = createEntraValidator(entra().validatorOptions({ clock: clock.fn }));
    const principal = await validator.verify(entra().createToken({ oid: '../../groups/x', hasgroups: true }));
    validator.close();
    const e = await errorOf(resolveGroups(principal, plain(options())));
    expect(e.message).toContain('(tid, oid)');
    expect(graph.requestCount()).toBe(0);
  });
});

describe('requireGroups and createGroupsCheck', () => {
  let member: EntraPrincipal;
  beforeEach(async () => {
    member = (await overageUser([ADMINS, READERS])).principal;
  });

  it('passes for every listed group (match all, the default) or any (match any)', async () => {
    await expect(requireGroups(member, ADMINS, plain(options()))).resolves.toBeUndefined();
    await expect(requireGroups(member, [ADMINS, READERS], plain(options()))).resolves.toBeUndefined();
    await expect(
      requireGroups(member, [OTHERS, READERS], { ...plain(options()), match: 'any' }),
    ).resolves.toBe(undefined);
    // Group ids compare without case.
    await expect(requireGroups(member, ADMINS.toUpperCase(), plain(options()))).resolves.toBeUndefined();
    expect(graph.requestCount()).toBe(1);
  });

  it('refuses a caller outside the groups with insufficient_role (403)', async () => {
    const e = await errorOf(requireGroups(member, [ADMINS, OTHERS], plain(options())));
    expect(e.code).toBe('insufficient_role');
    expect(e.status).toBe(403);
    expect(e.message).toBe('The caller is not a member of a required group');
    expect(e.wwwAuthenticate).toContain('error="insufficient_scope"');
    const viaClaim = (await user({ groups: [READERS] })).principal;
    expect((await errorOf(requireGroups(viaClaim, ADMINS, plain(options())))).code).toBe('insufficient_role');
    const none = (await user()).principal;
    expect((await errorOf(requireGroups(none, ADMINS, plain(options())))).code).toBe('insufficient_role');
  });

  it('never passes when Graph fails: unavailable (503), not a pass and not a 403', async () => {
    graph.setFault('status', { status: 500 });
    const check = createGroupsCheck([ADMINS], { ...plain(options()), match: 'any' });
    const e = await errorOf(check(member));
    expect(e.status).toBe(503);
    graph.setFault(null);
    await expect(check(member)).resolves.toBeUndefined();
  });

  it('no principal: missing_token', async () => {
    expect((await errorOf(createGroupsCheck(ADMINS, plain(options()))(undefined))).code).toBe(
      'missing_token',
    );
  });

  it('an empty or malformed requirement is a configuration error when the check is made', async () => {
    const o = plain(options());
    expect(() => createGroupsCheck([], o)).toThrow(EntraConfigError);
    expect(() => createGroupsCheck([], o)).toThrow(/empty requirement would allow every token/);
    expect(() => createGroupsCheck([''], o)).toThrow(EntraConfigError);
    expect(() => createGroupsCheck(['a\nb'], o)).toThrow(EntraConfigError);
    expect(() => createGroupsCheck(42 as never, o)).toThrow(EntraConfigError);
    expect(() => createGroupsCheck(ADMINS, { ...o, match: 'some' as never })).toThrow(EntraConfigError);
    await expect(requireGroups(member, [], o)).rejects.toBeInstanceOf(EntraConfigError);
  });
});

describe('options', () => {
  const getGraphToken = () => GRAPH_TOKEN;

  it('are checked, each mistake with its fix', () => {
    const bad: [unknown, RegExp][] = [
      [undefined, /getGraphToken/],
      [{}, /getGraphToken is required/],
      [{ getGraphToken: 'token' }, /getGraphToken is required/],
      [{ getGraphToken, graphUrl: 'http://graph.example.com' }, /https/],
      [{ getGraphToken, graphUrl: 'not a url' }, /not a valid URL/],
      [{ getGraphToken, graphUrl: '' }, /URL string/],
      [{ getGraphToken, graphUrl: 'https://user:pw@graph.microsoft.com' }, /credentials/],
      [{ getGraphToken, graphUrl: 'https://graph.microsoft.com?x=1' }, /query/],
      [{ getGraphToken, cloud: 'public', graphUrl: 'https://graph.microsoft.com' }, /not both/],
      [{ getGraphToken, cloud: 'germany' }, /cloud must be/],
      [{ getGraphToken, cacheSeconds: -1 }, /cacheSeconds/],
      [{ getGraphToken, timeoutMs: 0 }, /timeoutMs/],
      [{ getGraphToken, maxResponseBytes: Number.NaN }, /maxResponseBytes/],
      [{ getGraphToken, securityEnabledOnly: 'yes' }, /securityEnabledOnly/],
      [{ getGraphToken, fetch: {} }, /fetch/],
      [{ getGraphToken, clock: 0 }, /clock/],
      [{ getGraphToken, graphTokenProvider: getGraphToken }, /Unknown groups option 'graphTokenProvider'/],
      // Inherited properties configure nothing.
      [Object.create({ getGraphToken }), /getGraphToken is required/],
    ];
    for (const [o, message] of bad) {
      expect(() => createGroupsCheck(ADMINS, o as GroupsOptions), String(message)).toThrow(message);
    }
  });

  it('resolveGroups rejects with the configuration error', async () => {
    const { principal } = await user({ groups: [ADMINS] });
    await expect(resolveGroups(principal, {} as GroupsOptions)).rejects.toBeInstanceOf(EntraConfigError);
  });

  it("pick the cloud's Graph host and token scope; graphUrl may carry a path", async () => {
    const { principal } = await overageUser();
    const seen: { url: string; scope: string }[] = [];
    const fake = (scopeOf: { scope?: string }) =>
      ({
        getGraphToken: (r: { scope: string }) => {
          scopeOf.scope = r.scope;
          return GRAPH_TOKEN;
        },
        fetch: async (url: string) => {
          seen.push({ url, scope: scopeOf.scope ?? '' });
          return Response.json({ value: [ADMINS] });
        },
        cacheSeconds: 0,
      }) as Partial<GroupsOptions>;
    const oid = principal.claims.oid as string;
    await resolveGroups(principal, fake({}) as GroupsOptions);
    await resolveGroups(principal, { ...fake({}), cloud: 'usgov' } as GroupsOptions);
    await resolveGroups(principal, { ...fake({}), cloud: 'china' } as GroupsOptions);
    await resolveGroups(principal, {
      ...fake({}),
      graphUrl: 'https://dod-graph.microsoft.us/',
    } as GroupsOptions);
    await resolveGroups(principal, {
      ...fake({}),
      graphUrl: 'https://proxy.contoso.com/graph',
    } as GroupsOptions);
    expect(seen).toEqual([
      {
        url: `https://graph.microsoft.com/v1.0/users/${oid}/getMemberObjects`,
        scope: 'https://graph.microsoft.com/.default',
      },
      {
        url: `https://graph.microsoft.us/v1.0/users/${oid}/getMemberObjects`,
        scope: 'https://graph.microsoft.us/.default',
      },
      {
        url: `https://microsoftgraph.chinacloudapi.cn/v1.0/users/${oid}/getMemberObjects`,
        scope: 'https://microsoftgraph.chinacloudapi.cn/.default',
      },
      {
        url: `https://dod-graph.microsoft.us/v1.0/users/${oid}/getMemberObjects`,
        scope: 'https://dod-graph.microsoft.us/.default',
      },
      {
        url: `https://proxy.contoso.com/graph/v1.0/users/${oid}/getMemberObjects`,
        scope: 'https://proxy.contoso.com/.default',
      },
    ]);
  });

  it('a rejection is always an EntraAuthError or an EntraConfigError', async () => {
    const { principal } = await overageUser();
    const thrown = await resolveGroups(
      principal,
      plain(
        options({
          fetch: () => {
            throw new TypeError('fetch failed');
          },
        }),
      ),
    ).catch((e: unknown) => e);
    expect(isEntraAuthError(thrown)).toBe(true);
  });
});
