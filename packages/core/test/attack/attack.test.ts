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
import { useMockEntra } from '../helpers.js';
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
    expect(
      leaks([e.message, e.wwwAuthenticate, response.body, JSON.stringify(response.headers)], never),
      `${label}: leaks`,
    ).toEqual([]);
  }
}

for (const group of ATTACK_GROUPS) {
  describe(`attacks: ${group}`, () => {
    const rows = ATTACK_CASES.filter((c) => c.group === group);
    test.each(rows.map((c) => [`${c.name} → ${c.code} ${c.status}`, c] as const))('%s', async (_name, c) => {
      await check(c);
    });
  });
}

describe('beyond the table', () => {
  test('the table is large enough and every error code of the contract is reached', () => {
    expect(ATTACK_CASES.length).toBeGreaterThanOrEqual(60);
    for (const group of ATTACK_GROUPS) {
      expect(ATTACK_CASES.filter((c) => c.group === group).length, group).toBeGreaterThanOrEqual(10);
    }
    const reached = new Set(ATTACK_CASES.map((c) => c.code));
    for (const code of Object.keys(CONTRACT)) expect(reached.has(code as never), code).toBe(true);
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
      // Linear: about 10. Quadratic would be about 100.
      expect(ratio, `${name}: ${ratio.toFixed(1)}x for 10x the input`).toBeLessThan(35);
    }
    validator.close();
  });

  test('the second loopback server (jku, x5u, kid URLs) never saw a request, nor did /evil paths', () => {
    expect(ctx.lure.requests).toEqual([]);
    expect(entra().requestCount('/evil/keys')).toBe(0);
  });

  test('Object.prototype and friends are untouched after every row', () => {
    expect(prototypeSnapshot()).toEqual(prototypesBefore);
    const probe = {} as Record<string, unknown>;
    for (const name of ['polluted', 'scp', 'roles', 'alg', 'kid', 'exp', 'aud', 'acrs', 'xms_cc', 'crit']) {
      expect(probe[name], name).toBeUndefined();
      expect(([] as unknown as Record<string, unknown>)[name], name).toBeUndefined();
    }
  });
});
