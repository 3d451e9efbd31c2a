/**
 * The attack suite, run through the core: every row of the table (cases.ts) through `authenticate()`
 * and, for tokens, `verify()`, each on a fresh validator with `tokenCache: false`. Each row asserts
 * the exact code and status, the contract's challenge (RFC 6750 characters only), the complete error
 * response, and that nothing leaks: no message, challenge, body or event contains the token, a kid,
 * attacker text, or the expected issuer, audience or tenant.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createEntraValidator,
  type EntraEvent,
  type EntraPrincipal,
  type EntraValidator,
  type EntraValidatorOptions,
  errorResponse,
  isEntraAuthError,
  requireAppOnly,
  requireAuthContext,
  requireDelegated,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from '../../src/index.js';
import { codeOf, errorOf, useMockEntra } from '../helpers.js';
import {
  ATTACK_CASES,
  ATTACK_GROUPS,
  type AttackCase,
  type AttackContext,
  configSecrets,
  type Guard,
  prepareAttackContext,
} from './cases.js';
import { CONTRACT, challengeProblems, isSafeMessage, leaks, timeRatio, tokenSecrets } from './support.js';

const { entra, clock } = useMockEntra();
let ctx: AttackContext;
const prototypesBefore = prototypeSnapshot();

beforeAll(async () => {
  ctx = await prepareAttackContext(entra());
});
afterAll(async () => {
  await ctx?.close();
});

function prototypeSnapshot(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) =>
    Object.getOwnPropertyNames(p).sort().join(','),
  );
}

/** Applies a route requirement with the core's helpers. */
function applyGuard(principal: EntraPrincipal, guard: Guard | undefined): void {
  if (guard === undefined) return;
  if ('scopes' in guard) requireScopes(principal, guard.scopes, { match: guard.match ?? 'all' });
  else if ('roles' in guard) requireRoles(principal, guard.roles, { match: guard.match ?? 'all' });
  else if ('scopeOrRole' in guard) requireScopeOrRole(principal, guard.scopeOrRole);
  else if ('caller' in guard) {
    if (guard.caller === 'app') requireAppOnly(principal);
    else requireDelegated(principal);
  } else requireAuthContext(principal, guard.authContext);
}

const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Long runs of token characters in a header value, and what a token among them would leak. */
function headerSecrets(value: string | string[] | undefined): string[] {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const v of values) {
    for (const run of v.match(/[A-Za-z0-9\-_.~+/]{12,}/g) ?? []) out.push(run, ...tokenSecrets(run));
  }
  return out;
}

type Path = readonly [string, (v: EntraValidator) => Promise<EntraPrincipal>];

function pathsOf(c: AttackCase): { paths: Path[]; secrets: string[] } {
  if (c.token !== undefined) {
    const token = c.token(ctx);
    const paths: Path[] = [['verify()', (v) => v.verify(token)]];
    // A token the Bearer grammar lets through is also sent as a header (what adapters do).
    if (B64TOKEN.test(token)) paths.push(['authenticate()', (v) => v.authenticate(`Bearer ${token}`)]);
    return { paths, secrets: tokenSecrets(token) };
  }
  const header = c.authorization?.(ctx);
  return { paths: [['authenticate()', (v) => v.authenticate(header)]], secrets: headerSecrets(header) };
}

async function check(c: AttackCase): Promise<void> {
  const { paths, secrets } = pathsOf(c);
  const attackerText = [...secrets, ...(c.secrets ?? [])];
  const never = [...attackerText, ...configSecrets(ctx)];
  const checks = new Set<string>();
  for (const [via, run] of paths) {
    const events: EntraEvent[] = [];
    const validator = createEntraValidator(
      entra().validatorOptions({
        clock: clock.fn,
        tokenCache: false,
        onEvent: (e: EntraEvent) => events.push(e),
        ...c.options?.(ctx),
      }) as EntraValidatorOptions,
    );
    let outcome: unknown;
    try {
      applyGuard(await run(validator), c.guard);
      outcome = 'ok';
    } catch (error) {
      outcome = error;
    } finally {
      validator.close();
    }
    const label = `${c.name} via ${via}`;
    // Events carry neither the token nor attacker text (they do name the issuer's URLs, by design).
    expect(leaks([JSON.stringify(events)], attackerText), `${label}: events`).toEqual([]);
    if (outcome === 'ok') {
      expect('ok', label).toBe(c.code);
      expect(200, label).toBe(c.status);
      continue;
    }
    if (!isEntraAuthError(outcome)) throw outcome;
    const e = outcome;
    expect({ code: e.code, status: e.status }, label).toEqual({ code: c.code, status: c.status });
    // Every refusal names its check, one word of the contract's list, the same whichever way the
    // token came in.
    expect(CHECK_WORDS, `${label}: check ${e.check}`).toContain(e.check);
    checks.add(e.check);
    const contract = CONTRACT[e.code];
    expect(e.status, `${label}: the contract's status`).toBe(contract.status);
    expect(challengeProblems(e.wwwAuthenticate, contract.challenge), `${label}: challenge`).toEqual([]);
    if (e.wwwAuthenticate?.includes('error_description=')) {
      expect(e.wwwAuthenticate, label).toContain(`error_description="${e.message}"`);
    }
    expect(isSafeMessage(e.message), `${label}: message ${JSON.stringify(e.message)}`).toBe(true);
    const response = errorResponse(e);
    expect(response.status, label).toBe(c.status);
    expect(response.headers['cache-control'], label).toBe('no-store');
    expect(response.headers['content-type'], label).toMatch(/^application\/json/);
    expect(response.headers['www-authenticate'], label).toBe(e.wwwAuthenticate);
    if (c.status === 503) expect(response.headers['retry-after'], label).toMatch(/^[1-9][0-9]*$/);
    else expect(response.headers['retry-after'], label).toBeUndefined();
    expect(JSON.parse(response.body), label).toEqual({ error: c.code, error_description: e.message });
    // A claims challenge names, by design, where to re-authenticate: the configured authority's
    // `common` endpoint (no tenant). Nothing else of the configuration appears anywhere.
    const challengeUri = `${ctx.entra.authority}/common/oauth2/authorize`;
    if (e.code === 'insufficient_claims') {
      expect(e.wwwAuthenticate, label).toContain(`authorization_uri="${challengeUri}"`);
    }
    const shown = [e.message, e.wwwAuthenticate, response.body, JSON.stringify(response.headers)].map(
      (text) => text?.replaceAll(challengeUri, ''),
    );
    expect(leaks(shown, never), `${label}: leaks`).toEqual([]);
  }
  expect(checks.size, `${c.name}: one check word whichever way`).toBeLessThanOrEqual(1);
}

// DESIGN.md, "EntraAuthError.check".
const CHECK_WORDS = [
  'header',
  'length',
  'format',
  'alg',
  'typ',
  'kid',
  'keys',
  'signature',
  'exp',
  'nbf',
  'iat',
  'iss',
  'aud',
  'tid',
  'ver',
  'azp',
  'acct',
  'scp',
  'roles',
  'policy',
  'foreign',
];

for (const group of ATTACK_GROUPS) {
  describe(`attacks: ${group}`, () => {
    const rows = ATTACK_CASES.filter((c) => c.group === group);
    test.each(rows.map((c) => [`${c.name} → ${c.code} ${c.status}`, c] as const))('%s', async (_name, c) => {
      await check(c);
    });
  });
}

/**
 * Another library in the process may pollute Object.prototype (the CVEs of lodash, minimist...).
 * Claims the token does not carry must not be read through the prototype even then.
 */
describe('with a polluted Object.prototype', () => {
  const POLLUTION: Record<string, unknown> = {
    scp: 'Orders.Admin',
    roles: ['Orders.Admin'],
    exp: 9999999999,
    ver: '2.0',
    idtyp: 'app',
    acct: 0,
    acrs: ['c1'],
    xms_cc: ['cp1'],
    alg: 'RS256',
    crit: undefined,
  };
  async function polluted<T>(run: () => Promise<T>): Promise<T> {
    const proto = Object.prototype as Record<string, unknown>;
    const values: Record<string, unknown> = {
      ...POLLUTION,
      aud: entra().clientId,
      iss: entra().issuer,
      tid: entra().tenantId,
      kid: entra().currentKid,
      azp: entra().clientAppId,
    };
    for (const [k, v] of Object.entries(values)) if (v !== undefined) proto[k] = v;
    try {
      return await run();
    } finally {
      for (const k of Object.keys(values)) delete proto[k];
    }
  }

  test.each([
    ['no scp and no roles', { scp: undefined }, {}, 'missing_permissions'],
    ['no aud', { aud: undefined }, {}, 'invalid_audience'],
    ['no exp', { exp: undefined }, {}, 'malformed_token'],
    ['no iss', { iss: undefined }, {}, 'invalid_issuer'],
    ['no tid', { tid: undefined }, {}, 'invalid_issuer'],
    ['no ver', { ver: undefined }, {}, 'unsupported_token_version'],
    ['no alg in the header', {}, { alg: undefined }, 'malformed_token'],
    ['no kid in the header', {}, { kid: undefined }, 'malformed_token'],
  ] as const)('a token with %s is still refused', async (_name, claims, header, code) => {
    const validator = createEntraValidator(
      entra().validatorOptions({ clock: clock.fn, tokenCache: false }) as EntraValidatorOptions,
    );
    await validator.warmUp();
    const token = entra().createToken({ ...claims }, { header: { ...header } });
    const outcome = await polluted(async () => {
      try {
        const p = await validator.verify(token);
        return `ok (scopes ${p.scopes.join(' ')}, roles ${p.roles.join(' ')})`;
      } catch (e) {
        return isEntraAuthError(e) ? e.code : String(e);
      }
    });
    validator.close();
    expect(outcome).toBe(code);
  });

  test('a verified principal gets no scope, role or app-only flag from the prototype', async () => {
    const validator = createEntraValidator(
      entra().validatorOptions({ clock: clock.fn, tokenCache: false }) as EntraValidatorOptions,
    );
    await validator.warmUp();
    const token = entra().createToken({ scp: 'Orders.Read', idtyp: undefined });
    const p = await polluted(() => validator.verify(token));
    validator.close();
    expect(p.scopes).toEqual(['Orders.Read']);
    expect(p.roles).toEqual([]);
    expect(p.isAppOnly).toBe(false);
    expect(Object.hasOwn(p.claims, 'roles')).toBe(false);
  });

  test('an authentication context is not satisfied by an inherited acrs claim', async () => {
    const validator = createEntraValidator(
      entra().validatorOptions({ clock: clock.fn, tokenCache: false }) as EntraValidatorOptions,
    );
    await validator.warmUp();
    const p = await validator.verify(entra().createToken({ scp: 'Orders.Read' }));
    validator.close();
    const outcome = await polluted(async () => {
      try {
        requireAuthContext(p, 'c1');
        return 'ok';
      } catch (e) {
        return isEntraAuthError(e) ? e.code : String(e);
      }
    });
    // The token carries neither acrs nor xms_cc: a 403, never a pass.
    expect(outcome).toBe('insufficient_scope');
  });
});

describe('beyond the table', () => {
  test('the table is large enough and every error code of the contract is reached', () => {
    expect(ATTACK_CASES.length).toBeGreaterThanOrEqual(60);
    for (const group of ATTACK_GROUPS) {
      expect(ATTACK_CASES.filter((c) => c.group === group).length, group).toBeGreaterThanOrEqual(10);
    }
    const reached = new Set(ATTACK_CASES.map((c) => c.code));
    // groups_unavailable comes from resolveGroups (Microsoft Graph), never from a token: groups.test.ts.
    for (const code of Object.keys(CONTRACT).filter((c) => c !== 'groups_unavailable')) {
      expect(reached.has(code as never), code).toBe(true);
    }
  });

  test('header parsing is linear: 100k spaces (or characters) against 10k, every shape', async () => {
    const validator = createEntraValidator(
      entra().validatorOptions({ clock: clock.fn, tokenCache: false, maxTokenLength: 4 << 20 }) as never,
    );
    await validator.warmUp();
    const token = entra().createToken();
    const sp = (n: number) => ' '.repeat(n);
    const shapes: Array<[string, (n: number) => string]> = [
      ['leading spaces', (n) => `${sp(n)}Bearer ${token}`],
      ['spaces after the scheme', (n) => `Bearer${sp(n)}${token}`],
      ['trailing spaces', (n) => `Bearer ${token}${sp(n)}`],
      ['spaces inside the token', (n) => `Bearer x${sp(n)}y`],
      ['spaces only', (n) => sp(n)],
      ['a scheme of n letters', (n) => `${'B'.repeat(n)} x`],
      ['padding', (n) => `Bearer a${'='.repeat(n)}b`],
      ['one long segment', (n) => `Bearer ${'a'.repeat(n)}`],
      ['dots', (n) => `Bearer ${'a.'.repeat(n / 2)}`],
      ['a long header segment', (n) => `Bearer ${'eyJ'.repeat(n / 3)}.e30.AA`],
      ['a long payload segment', (n) => `Bearer ${token.split('.')[0]}.${'eyJ'.repeat(n / 3)}.AA`],
    ];
    const run = (header: string) => {
      validator.authenticate(header).catch(() => undefined);
    };
    for (const [name, shape] of shapes) {
      const ratio = timeRatio(run, shape(10_000), shape(100_000));
      // Linear: about 10. Quadratic would be about 100; the bound sits halfway, in ratio, so that a
      // machine busy with other work (which only ever adds time) cannot fail a linear parser.
      expect(ratio, `${name}: ${ratio.toFixed(1)}x for 10x the input`).toBeLessThan(50);
    }
    validator.close();
  });

  test('inputs that are not strings are refused without being read', async () => {
    const validator = createEntraValidator(
      entra().validatorOptions({ clock: clock.fn, tokenCache: false }) as EntraValidatorOptions,
    );
    const token = entra().createToken();
    let read = 0;
    const sneaky = {
      toString: () => {
        read++;
        return token;
      },
    };
    for (const input of [42, null, undefined, {}, [token], sneaky, new String(token)]) {
      const e = await errorOf(validator.verify(input as never));
      expect(e.code).toBe('malformed_token');
    }
    const headers = [42, {}, sneaky, new String(`Bearer ${token}`), [sneaky], [['Bearer', token]]];
    for (const [i, input] of headers.entries()) {
      const e = await errorOf(validator.authenticate(input as never));
      expect(e.code, `header ${i}`).toBe('invalid_request');
    }
    expect(read).toBe(0);
    validator.close();
  });

  test.each([
    ['NaN', () => Number.NaN],
    ['undefined', () => undefined],
    ['Infinity', () => Number.POSITIVE_INFINITY],
    ['-Infinity', () => Number.NEGATIVE_INFINITY],
  ])('a clock that returns %s fails closed: an expired token is not accepted', async (_name, broken) => {
    const validator = createEntraValidator(
      entra().validatorOptions({ clock: broken, tokenCache: false }) as EntraValidatorOptions,
    );
    const expired = entra().createToken({}, { issuedAt: -7200, expiresIn: 3600 });
    const outcome = await codeOf(validator.verify(expired));
    validator.close();
    expect(outcome).not.toBe('ok');
  });

  test('the second loopback server (jku, x5u, kid URLs) never saw a request, nor did /evil paths', () => {
    expect(ctx.lure.requests).toEqual([]);
    expect(entra().requestCount('/evil/keys')).toBe(0);
  });

  test('Object.prototype and friends are untouched after every row (run last)', () => {
    expect(prototypeSnapshot()).toEqual(prototypesBefore);
    const probe = {} as Record<string, unknown>;
    for (const name of ['polluted', 'scp', 'roles', 'alg', 'kid', 'exp', 'aud', 'acrs', 'xms_cc', 'crit']) {
      expect(probe[name], name).toBeUndefined();
      expect(([] as unknown as Record<string, unknown>)[name], name).toBeUndefined();
    }
  });
});
