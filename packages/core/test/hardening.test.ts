// Field hardening, each item through the public API: listeners that fail, the unknown-kid cooldown
// whatever maxStaleSeconds is, and options read as own properties only. (Tenant predicates that fail
// or hang are in tenants.test.ts; preflights in each adapter's tests and the conformance table.)
import { afterEach, describe, expect, test } from 'vitest';
import {
  createEntraValidator,
  createRoleCheck,
  createScopeOrRoleCheck,
  type EntraEvent,
  type EntraValidatorOptions,
  requireScopes,
} from '../src/index.js';
import { codeOf, useMockEntra, validatorFor } from './helpers.js';

const { entra, clock } = useMockEntra();
const keysPath = () => `/${entra().tenantId}/discovery/v2.0/keys`;

/** Counts unhandled rejections while `run` goes on, and a few turns of the event loop after it. */
async function unhandledDuring(run: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    await run();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', onRejection);
  }
  return seen;
}

describe('listeners cannot hurt', () => {
  test('an async onEvent listener that rejects (its backend down) causes no unhandled rejection', async () => {
    let calls = 0;
    const validator = createEntraValidator(
      entra().validatorOptions({
        clock: clock.fn,
        onEvent: async () => {
          calls++;
          throw new Error('metrics backend unreachable');
        },
      }) as EntraValidatorOptions,
    );
    const unhandled = await unhandledDuring(async () => {
      expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
      expect(await codeOf(validator.verify('not.a.token'))).toBe('malformed_token');
      expect(
        await codeOf(validator.verify(entra().createToken({}, { issuedAt: -7200, expiresIn: 3600 }))),
      ).toBe('token_expired');
    });
    expect(unhandled).toEqual([]);
    // metadata, keys, and one event per verification: every one reached the listener.
    expect(calls).toBe(5);
  });

  test('a listener returning a thenable that throws, or throwing itself, changes nothing', async () => {
    const thenable = () => ({
      // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is the point of this test
      then(_resolve: unknown, reject: (e: unknown) => void) {
        reject(new Error('rejected'));
      },
    });
    for (const onEvent of [
      thenable,
      () => Promise.reject(new Error('x')),
      () => {
        throw new Error('sync');
      },
    ]) {
      const validator = createEntraValidator(
        entra().validatorOptions({ clock: clock.fn, onEvent }) as EntraValidatorOptions,
      );
      const unhandled = await unhandledDuring(async () => {
        expect(await codeOf(validator.verify(entra().createToken()))).toBe('ok');
      });
      expect(unhandled).toEqual([]);
    }
  });
});

describe('the unknown-kid cooldown bounds refetches whatever maxStaleSeconds is', () => {
  test.each([0, 1, 29])(
    'maxStaleSeconds %i below cooldownSeconds 30: 100 forged kids over 10 s cause one refetch',
    async (maxStaleSeconds) => {
      const { validator } = validatorFor(entra(), clock, { jwks: { cooldownSeconds: 30, maxStaleSeconds } });
      await validator.warmUp();
      entra().resetCounts();
      const started = clock.now;
      try {
        for (let i = 0; i < 100; i++) {
          const forged = entra().createToken({}, { signWith: 'unpublished', kid: `forged-${i}` });
          expect(await codeOf(validator.verify(forged))).toBe('unknown_signing_key');
          clock.advance(0.1);
        }
        expect(entra().requestCount(keysPath())).toBe(1);
        // Real keys keep verifying meanwhile, without a request.
        expect(await codeOf(validator.verify(entra().createToken({ uti: 'real' })))).toBe('ok');
        expect(entra().requestCount()).toBe(1);
        // Once the cooldown has passed, the next unknown kid may refetch once more.
        clock.advance(30);
        expect(
          await codeOf(validator.verify(entra().createToken({}, { signWith: 'unpublished', kid: 'later' }))),
        ).toBe('unknown_signing_key');
        expect(entra().requestCount(keysPath())).toBe(2);
      } finally {
        clock.now = started;
        validator.close();
      }
    },
  );

  test('maxStaleSeconds 0 never serves stale keys: once the refresh interval has passed, keys are fetched again', async () => {
    const { validator } = validatorFor(entra(), clock, {
      jwks: { refreshIntervalSeconds: 60, cooldownSeconds: 30, maxStaleSeconds: 0 },
    });
    const started = clock.now;
    try {
      await validator.warmUp();
      entra().setFault('down');
      clock.advance(61);
      expect(await codeOf(validator.verify(entra().createToken({ uti: 'stale' })))).toBe('keys_unavailable');
    } finally {
      entra().setFault(null);
      clock.now = started;
      validator.close();
    }
  });
});

describe('options are read as own properties: a polluted Object.prototype configures nothing', () => {
  const polluted: string[] = [];
  function pollute(values: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(values)) {
      Object.defineProperty(Object.prototype, name, { value, configurable: true, writable: true });
      polluted.push(name);
    }
  }
  afterEach(() => {
    for (const name of polluted.splice(0)) delete (Object.prototype as Record<string, unknown>)[name];
  });

  test("an attacker's authority, discoveryUrl and audience never reach a plain { tenantId, clientId } config", async () => {
    const kit = entra();
    const requested: string[] = [];
    const fetch = async (url: string) => {
      requested.push(url);
      return new Response('not here', { status: 404 });
    };
    pollute({
      authority: kit.authority,
      discoveryUrl: `${kit.authority}/${kit.tenantId}/v2.0/.well-known/openid-configuration`,
      audience: kit.audience,
      allowAnyTenant: true,
    });
    // The attacker's issuer (the kit) would accept its own token if any of that were read.
    const validator = createEntraValidator({ tenantId: kit.tenantId, clientId: kit.clientId, fetch });
    expect(validator.config.authority).toBe('https://login.microsoftonline.com');
    expect(validator.config.audiences).toEqual([kit.clientId, `api://${kit.clientId}`]);
    expect(await codeOf(validator.verify(kit.createToken()))).toBe('keys_unavailable');
    expect(requested).toEqual([
      `https://login.microsoftonline.com/${kit.tenantId}/v2.0/.well-known/openid-configuration`,
    ]);
  });

  test('requireScopeOrRole, jwks and tokenCache settings are not inherited', async () => {
    pollute({ requireScopeOrRole: false, maxStaleSeconds: 0, cooldownSeconds: 0, max: 1 });
    const validator = createEntraValidator({
      ...entra().validatorOptions({ clock: clock.fn }),
      jwks: {},
      tokenCache: {},
    } as EntraValidatorOptions);
    expect(await codeOf(validator.verify(entra().createToken({ scp: undefined })))).toBe(
      'missing_permissions',
    );
  });

  test('match, scopes and roles of a requirement are not inherited', () => {
    const principal = {
      scopes: ['Orders.Read'],
      roles: [],
      isAppOnly: false,
    } as unknown as Parameters<typeof requireScopes>[0];
    pollute({ match: 'any' });
    expect(() => requireScopes(principal, ['Orders.Read', 'Orders.Write'], {})).toThrow(
      expect.objectContaining({ code: 'insufficient_scope' }),
    );
    expect(() => createRoleCheck(['A', 'B'], {})({ ...principal, roles: ['A'] } as never)).toThrow(
      expect.objectContaining({ code: 'insufficient_role' }),
    );
    pollute({ roles: ['Orders.Read'] });
    // Inherited roles would make an empty requirement look non-empty, or widen it.
    expect(() => createScopeOrRoleCheck({ scopes: ['Orders.Write'] })(principal)).toThrow(
      expect.objectContaining({ code: 'insufficient_scope' }),
    );
  });
});

test('events carry the wall time of each verification', async () => {
  const events: EntraEvent[] = [];
  const validator = createEntraValidator(
    entra().validatorOptions({
      clock: clock.fn,
      onEvent: (e: EntraEvent) => events.push(e),
    }) as EntraValidatorOptions,
  );
  await validator.verify(entra().createToken());
  await codeOf(validator.verify('x.y.z'));
  const verdicts = events.filter((e) => e.type === 'token_verified' || e.type === 'token_rejected');
  expect(verdicts.map((e) => e.type)).toEqual(['token_verified', 'token_rejected']);
  for (const e of verdicts) expect((e as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(0);
});
