/**
 * Property tests (fast-check). The seed is fixed (FC_SEED overrides it: `FC_SEED=123 npx vitest run
 * --project core packages/core/test/attack`), and runs are bounded so the attack folder stays well
 * under a minute on two cores. A failure prints the seed and the shrunk counterexample.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createEntraValidator,
  ENTRA_AUTH_ERROR_CODES,
  EntraAuthError,
  type EntraPrincipal,
  type EntraValidator,
  type EntraValidatorOptions,
  errorResponse,
  isEntraAuthError,
  requireRoles,
  requireScopeOrRole,
  requireScopes,
} from '../../src/index.js';
import { codeOf, errorOf, useMockEntra } from '../helpers.js';
import { type AttackContext, prepareAttackContext, SIGNER_KID } from './cases.js';
import {
  CONTRACT,
  challengeProblems,
  FC_SEED,
  isSafeMessage,
  jws,
  leaks,
  segments,
  timeRatio,
  withProto,
} from './support.js';

const { entra, clock } = useMockEntra();
let ctx: AttackContext;
let validator: EntraValidator;
const settings = (numRuns: number) => ({ seed: FC_SEED, numRuns });

beforeAll(async () => {
  ctx = await prepareAttackContext(entra());
  validator = create();
  await validator.warmUp();
});
afterAll(async () => {
  validator?.close();
  await ctx?.close();
});

function create(extra: Partial<EntraValidatorOptions> = {}): EntraValidator {
  return createEntraValidator(
    entra().validatorOptions({ clock: clock.fn, tokenCache: false, ...extra }) as EntraValidatorOptions,
  );
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const REFUSALS = new Set([
  'malformed_token',
  'unsupported_algorithm',
  'unknown_signing_key',
  'invalid_signature',
  'foreign_token',
]);

describe('mutations', () => {
  test('any single-character replacement, insertion or deletion in a valid token is rejected (401)', async () => {
    const token = entra().createToken({ scp: 'Orders.Read' });
    expect(await codeOf(validator.verify(token))).toBe('ok');
    const char = fc.oneof(
      fc.constantFrom(...ALPHABET.split('')),
      fc.constantFrom('.', '=', '+', '/', ' ', '~'),
      fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: token.length - 1 }),
        char,
        fc.constantFrom('replace', 'insert', 'delete'),
        async (at, c, op) => {
          const mutated =
            op === 'replace'
              ? `${token.slice(0, at)}${c}${token.slice(at + 1)}`
              : op === 'insert'
                ? `${token.slice(0, at)}${c}${token.slice(at)}`
                : `${token.slice(0, at)}${token.slice(at + 1)}`;
          fc.pre(mutated !== token);
          const e = await errorOf(validator.verify(mutated));
          expect(e.status).toBe(401);
          expect(REFUSALS.has(e.code), e.code).toBe(true);
        },
      ),
      settings(500),
    );
  });

  test('every other character in the last four places of each segment is rejected (exhaustive)', async () => {
    const token = entra().createToken();
    const parts = segments(token);
    let tried = 0;
    for (let s = 0; s < 3; s++) {
      const seg = parts[s] as string;
      for (let at = Math.max(0, seg.length - 4); at < seg.length; at++) {
        for (const c of ALPHABET) {
          if (c === seg[at]) continue;
          const copy = [...parts];
          copy[s] = `${seg.slice(0, at)}${c}${seg.slice(at + 1)}`;
          expect(await codeOf(validator.verify(copy.join('.'))), `segment ${s}, place ${at}, ${c}`).not.toBe(
            'ok',
          );
          tried++;
        }
      }
    }
    expect(tried).toBe(3 * 4 * 63);
  });

  test('any arrangement of the segments of two valid tokens is rejected unless it is one of them', async () => {
    const a = entra().createToken({ uti: 'token-a' });
    const b = entra().createToken({ uti: 'token-b', scp: 'Orders.Admin' });
    const pool = [...segments(a), ...segments(b)];
    const arrangement = fc.tuple(fc.nat({ max: 5 }), fc.nat({ max: 5 }), fc.nat({ max: 5 }));
    await fc.assert(
      fc.asyncProperty(arrangement, async ([x, y, z]) => {
        const t = [pool[x], pool[y], pool[z]].join('.');
        const code = await codeOf(validator.verify(t));
        expect(code === 'ok', `${x}${y}${z}: ${code}`).toBe(t === a || t === b);
      }),
      // 216 arrangements in all: every one of them, in practice.
      settings(400),
    );
  });
});

describe('time', () => {
  test('accepted exactly when nbf - tol <= now < exp + tol and iat - tol <= now', async () => {
    const base = Math.floor(clock.now / 1000);
    let nowMs = clock.now;
    const validators = new Map<number, EntraValidator>();
    for (const tol of [0, 1, 30, 300]) {
      const v = create({
        clockToleranceSeconds: tol,
        clock: () => nowMs,
        // Keys never age out here, whatever time the property picks.
        jwks: { refreshIntervalSeconds: 1e9, maxStaleSeconds: 1e9 },
      });
      await v.warmUp();
      validators.set(tol, v);
    }
    const offset = fc.integer({ min: -400, max: 400 });
    await fc.assert(
      fc.asyncProperty(
        offset,
        fc.option(offset, { nil: undefined }),
        fc.option(offset, { nil: undefined }),
        fc.constantFrom(0, 1, 30, 300),
        fc.oneof(
          fc.integer({ min: -800_000, max: 800_000 }).map((ms) => ({ free: ms })),
          fc.record({ at: fc.constantFrom('exp', 'nbf', 'iat'), delta: fc.integer({ min: -2, max: 2 }) }),
        ),
        async (exp, nbf, iat, tol, when) => {
          const claims = {
            exp: base + exp,
            nbf: nbf === undefined ? undefined : base + nbf,
            iat: iat === undefined ? undefined : base + iat,
          };
          const edge = (name: 'exp' | 'nbf' | 'iat') =>
            ((claims[name] ?? base) + (name === 'exp' ? tol : -tol)) * 1000;
          nowMs = 'free' in when ? base * 1000 + when.free : edge(when.at) + when.delta;
          const now = nowMs / 1000;
          const expired = now >= claims.exp + tol;
          const early =
            (claims.nbf !== undefined && now < claims.nbf - tol) ||
            (claims.iat !== undefined && now < claims.iat - tol);
          const want = expired ? 'token_expired' : early ? 'token_not_yet_valid' : 'ok';
          const token = entra().createToken(claims);
          expect(await codeOf((validators.get(tol) as EntraValidator).verify(token))).toBe(want);
        },
      ),
      settings(300),
    );
    for (const v of validators.values()) v.close();
  });
});

describe('scopes and roles', () => {
  const POOL = [
    'Orders.Read',
    'Orders.Write',
    'Orders.ReadWrite',
    'orders.read',
    'Orders',
    'Orders.Read.All',
    'Admin',
    'User.Read',
  ];
  const passes = (check: () => void): boolean => {
    try {
      check();
      return true;
    } catch (e) {
      if (isEntraAuthError(e) && e.status === 403) return false;
      throw e;
    }
  };
  const principal = async (scopes: string[], roles: string[]): Promise<EntraPrincipal> =>
    validator.verify(
      entra().createToken({
        scp: scopes.length > 0 ? scopes.join(' ') : undefined,
        roles: ['Base', ...roles],
      }),
    );

  test('adding scopes or roles never turns an allowed request into a refused one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(POOL),
        fc.subarray(POOL, { minLength: 1 }),
        fc.subarray(POOL, { minLength: 1 }),
        fc.constantFrom('all' as const, 'any' as const),
        fc.boolean(),
        async (have, more, need, match, asRoles) => {
          const before = await principal(asRoles ? [] : have, asRoles ? have : []);
          const after = await principal(asRoles ? [] : [...have, ...more], asRoles ? [...have, ...more] : []);
          const check = (p: EntraPrincipal) =>
            asRoles ? () => requireRoles(p, need, { match }) : () => requireScopes(p, need, { match });
          const allowed = passes(check(before));
          // Exact semantics: whole names, case-sensitive.
          expect(allowed).toBe(
            match === 'all' ? need.every((n) => have.includes(n)) : need.some((n) => have.includes(n)),
          );
          if (allowed) expect(passes(check(after))).toBe(true);
        },
      ),
      settings(120),
    );
  });

  const NAME = /^[A-Za-z][A-Za-z0-9._-]{1,15}$/;
  const variants = (name: string): string[] => {
    const swap = [...name].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
    const out = [
      name.toLowerCase(),
      name.toUpperCase(),
      swap,
      `${name}x`,
      `x${name}`,
      `${name}.All`,
      `${name},`,
      `${name}\u00a0`,
    ];
    for (let i = 1; i < name.length; i++) out.push(name.slice(0, i), name.slice(i));
    return [...new Set(out)].filter((v) => v !== name && !v.includes(' ') && v !== '');
  };

  test('substrings, extensions and case variants of a name never satisfy a requirement for it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(NAME), fc.integer({ min: 1, max: 2 ** 30 }), async (name, pick) => {
        const all = variants(name);
        fc.pre(all.length > 0);
        // A deterministic subset, at least one variant.
        const chosen = all.filter((_, i) => (pick >> (i % 30)) & 1 || i === pick % all.length);
        const p = await validator.verify(entra().createToken({ scp: chosen.join(' '), roles: chosen }));
        expect(passes(() => requireScopes(p, name))).toBe(false);
        expect(passes(() => requireRoles(p, name))).toBe(false);
        expect(passes(() => requireScopeOrRole(p, { scopes: [name], roles: [name] }))).toBe(false);
        // The variants themselves are in the token: a requirement for one of them is met.
        const own = chosen.find((v) => !v.includes('\u00a0'));
        if (own !== undefined) expect(passes(() => requireScopes(p, own))).toBe(true);
      }),
      settings(100),
    );
  });
});

describe('headers', () => {
  test('a random header is accepted only with alg RS256, a known kid, no crit, typ absent or JWT', async () => {
    const KNOWN = new Set([SIGNER_KID, '__proto__']);
    const present = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
    const header = fc.record({
      alg: present(
        fc.oneof(
          fc.constantFrom(
            'RS256',
            'RS256',
            'RS256',
            'RS384',
            'none',
            'HS256',
            'rs256',
            'PS256',
            'ES256',
            'RS256 ',
          ),
          fc.constantFrom<unknown>(1, null, ['RS256'], { alg: 'RS256' }),
        ),
      ),
      kid: present(
        fc.oneof(
          fc.constantFrom(SIGNER_KID, SIGNER_KID, '__proto__', 'unknown-kid', '', 'constructor'),
          fc.constantFrom<unknown>(7, null, [SIGNER_KID]),
          fc.string({ maxLength: 20 }),
        ),
      ),
      typ: present(
        fc.constantFrom<unknown>('JWT', 'jwt', 'Jwt', 'at+jwt', 'JWS', '', 1, null, 'application/jwt'),
      ),
      crit: present(fc.constantFrom<unknown>(['exp'], [], 'b64', null)),
      nonce: present(fc.string({ maxLength: 8 })),
      jku: present(fc.constant(`${ctx.lure.url}/jwks`)),
      x5u: present(fc.constant(`${ctx.lure.url}/x5u`)),
      jwk: present(fc.constant<unknown>({ kty: 'RSA', n: 'AQAB', e: 'AQAB' })),
      x5c: present(fc.constant<unknown>(['MIIB'])),
      x5t: present(fc.string({ maxLength: 12 })),
      cty: present(fc.constantFrom('JWT', 'json')),
      zip: present(fc.constant('DEF')),
      b64: present(fc.boolean()),
      enc: present(fc.constant('A256GCM')),
      extra: present(
        fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
      ),
      proto: present(fc.constantFrom<unknown>({ alg: 'RS256' }, { kid: SIGNER_KID }, { crit: ['exp'] })),
    });
    const ctxValidator = create();
    await ctxValidator.warmUp();
    const payload = ctx.claims();
    await fc.assert(
      fc.asyncProperty(header, async (h) => {
        const { extra, proto, ...named } = h;
        let fields: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(extra ?? {}))
          if (!(k in named) && k !== '__proto__') fields[k] = v;
        for (const [k, v] of Object.entries(named)) if (v !== undefined) fields[k] = v;
        if (proto !== undefined) fields = withProto(proto, fields);
        const token = jws(fields, payload, { rsa: 'RS256', key: ctx.signer });
        const typ = fields.typ;
        const accept =
          fields.alg === 'RS256' &&
          typeof fields.kid === 'string' &&
          KNOWN.has(fields.kid) &&
          !Object.hasOwn(fields, 'crit') &&
          !Object.hasOwn(fields, 'nonce') &&
          (typ === undefined || (typeof typ === 'string' && typ.toUpperCase() === 'JWT'));
        const outcome = await codeOf(ctxValidator.verify(token));
        if (accept) expect(outcome).toBe('ok');
        else {
          expect(outcome).not.toBe('ok');
          expect(CONTRACT[outcome as keyof typeof CONTRACT]?.status).toBe(401);
        }
      }),
      settings(400),
    );
    expect(ctx.lure.requests).toEqual([]);
    ctxValidator.close();
  });
});

describe('Authorization values', () => {
  const B64TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=';
  const piece = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: fc.constantFrom(...B64TOKEN_CHARS.split('')), maxLength: 60 }),
    fc.constantFrom(
      'Bearer',
      'bearer',
      'BEARER',
      'Basic',
      'Token',
      'Bearer\t',
      ',',
      '"',
      ' ',
      '  ',
      '\t',
      '.',
      '..',
      '=',
    ),
  );
  const authorization = fc.oneof(
    fc.array(piece, { maxLength: 6 }).map((p) => p.join('')),
    fc
      .tuple(fc.constantFrom('Bearer ', 'bearer ', 'Bearer  '), fc.array(piece, { maxLength: 4 }))
      .map(([s, p]) => s + p.join('')),
  );

  test('any Authorization value gets 400 or 401, a well-formed challenge, a safe message, no echo', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(authorization, fc.array(authorization, { minLength: 2, maxLength: 3 })),
        async (value) => {
          const e = await errorOf(validator.authenticate(value));
          expect([400, 401]).toContain(e.status);
          expect(challengeProblems(e.wwwAuthenticate, CONTRACT[e.code].challenge)).toEqual([]);
          expect(isSafeMessage(e.message)).toBe(true);
          const runs = (Array.isArray(value) ? value : [value]).flatMap(
            (v) => v.match(/[A-Za-z0-9\-_.~+/]{12,}/g) ?? [],
          );
          const response = errorResponse(e);
          expect(leaks([e.message, e.wwwAuthenticate, response.body], runs)).toEqual([]);
        },
      ),
      settings(600),
    );
  });

  test('time is linear in the length of any Authorization value', async () => {
    const v = create({ maxTokenLength: 4 << 20 });
    await v.warmUp();
    const run = (header: string) => {
      v.authenticate(header).catch(() => undefined);
    };
    await fc.assert(
      fc.property(
        fc.constantFrom('', 'Bearer ', 'bearer  ', ' ', 'Bearer a'),
        fc.string({
          unit: fc.constantFrom(' ', '\t', 'a', '.', '=', '-', 'é', ',', '"', 'B'),
          minLength: 1,
          maxLength: 6,
        }),
        fc.constantFrom('', 'x', ' '),
        (prefix, unit, suffix) => {
          const make = (n: number) => `${prefix}${unit.repeat(Math.ceil(n / unit.length))}${suffix}`;
          const ratio = timeRatio(run, make(10_000), make(100_000), 5);
          // Linear: about 10. Quadratic would be about 100; the bound sits halfway, in ratio, so that
          // a machine busy with other work (which only ever adds time) cannot fail a linear parser.
          expect(
            ratio,
            `${JSON.stringify(prefix)} + ${JSON.stringify(unit)}: ${ratio.toFixed(1)}x`,
          ).toBeLessThan(50);
        },
      ),
      settings(25),
    );
    v.close();
  });
});

describe('errors', () => {
  test('whatever a message, scope list or claims challenge holds, the response stays within RFC 6750', () => {
    const scopeName = fc.stringMatching(/^[\x21\x23-\x5b\x5d-\x7e]{1,16}$/);
    fc.assert(
      fc.property(
        fc.constantFrom(...ENTRA_AUTH_ERROR_CODES),
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.array(scopeName, { maxLength: 4 }),
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.integer({ min: 0, max: 86_400 }),
        (code, message, scopes, claims, retryAfterSeconds) => {
          const e = new EntraAuthError(code, {
            message,
            scopes,
            claims,
            authorizationUri: claims,
            retryAfterSeconds,
          });
          expect(challengeProblems(e.wwwAuthenticate, CONTRACT[code].challenge)).toEqual([]);
          expect(isSafeMessage(e.message)).toBe(true);
          const { headers, body, status } = errorResponse(e);
          expect(status).toBe(CONTRACT[code].status);
          expect(JSON.parse(body)).toEqual({ error: code, error_description: e.message });
          expect(headers['cache-control']).toBe('no-store');
          if (status === 503) expect(headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
          else expect(headers['retry-after']).toBeUndefined();
        },
      ),
      settings(500),
    );
  });

  // RFC 9110 §10.2.3: Retry-After is an HTTP date or delay-seconds = 1*DIGIT.
  test('Retry-After is whole seconds for any retryAfterSeconds, however large or odd', () => {
    fc.assert(
      fc.property(fc.double(), (retryAfterSeconds) => {
        const e = new EntraAuthError('keys_unavailable', { retryAfterSeconds });
        expect(errorResponse(e).headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
      }),
      settings(300),
    );
  });

  test('Retry-After is whole seconds with a very long configured cooldown', async () => {
    const v = createEntraValidator({
      ...entra().validatorOptions(),
      authority: 'http://127.0.0.1:1',
      clock: clock.fn,
      jwks: { cooldownSeconds: 1e21 },
    } as EntraValidatorOptions);
    const e = await errorOf(v.verify(entra().createToken()));
    expect(e.code).toBe('keys_unavailable');
    expect(errorResponse(e).headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
  });
});
