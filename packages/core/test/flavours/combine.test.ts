// combineValidators: one API, employees (a workforce tenant), B2C customers and an External ID tenant.
// Each token goes by its issuer to the one validator that trusts it; an issuer nobody trusts costs no
// request, whether the validators are cold or warm.
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toValidator } from '../../src/adapter.js';
import {
  combineValidators,
  createEntraValidator,
  EntraConfigError,
  type EntraEvent,
  type EntraValidator,
  isEntraValidator,
} from '../../src/index.js';
import { codeOf, errorOf, ManualClock } from '../helpers.js';

const OTHER = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const clock = new ManualClock();
let workforce: MockEntra;
let b2c: MockEntra<'b2c'>;
let external: MockEntra<'externalId'>;

beforeAll(async () => {
  [workforce, b2c, external] = await Promise.all([
    createMockEntra({ clock: clock.fn }),
    createMockEntra({ flavour: 'b2c', policies: ['B2C_1_signupsignin'], clock: clock.fn }),
    createMockEntra({
      flavour: 'externalId',
      tenantId: '3f8c1a2b-4d5e-4f60-9a7b-8c9d0e1f2a3b',
      clock: clock.fn,
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([workforce?.close(), b2c?.close(), external?.close()]);
});

/** The three, the B2C tenant named as the kit names it (its domain), or by its GUID. */
function combined(events: EntraEvent[] = [], b2cByGuid = false) {
  const onEvent = (e: EntraEvent) => events.push(e);
  const b2cOptions = b2c.validatorOptions();
  if (b2cByGuid) b2cOptions.b2c.tenantId = b2c.tenantId;
  const members = [
    createEntraValidator({ ...workforce.validatorOptions(), clock: clock.fn, onEvent }),
    createEntraValidator({ ...b2cOptions, clock: clock.fn, onEvent }),
    createEntraValidator({ ...external.validatorOptions(), clock: clock.fn, onEvent }),
  ];
  return { validator: combineValidators(members), members };
}

const requests = () => workforce.requestCount() + b2c.requestCount() + external.requestCount();
const resetCounts = () => {
  for (const kit of [workforce, b2c, external]) kit.resetCounts();
};

describe('routing by issuer', () => {
  test('each kind of token is verified by its own validator, and only its issuer is asked', async () => {
    const { validator } = combined();
    resetCounts();
    const employee = await validator.verify(workforce.createToken({ scp: 'Orders.Read' }));
    expect(employee).toMatchObject({ tenantId: workforce.tenantId, tokenVersion: '2.0', policy: undefined });
    expect([b2c.requestCount(), external.requestCount()]).toEqual([0, 0]);
    const employeeV1 = await validator.verify(workforce.createToken({}, { version: '1.0' }));
    expect(employeeV1.tokenVersion).toBe('1.0');
    const customer = await validator.authenticate(`Bearer ${b2c.createToken()}`);
    expect(customer).toMatchObject({
      tenantId: b2c.tenantId,
      policy: 'B2C_1_signupsignin',
      tokenVersion: '1.0',
    });
    expect(external.requestCount()).toBe(0);
    const member = await validator.verify(external.createToken());
    expect(member.tenantId).toBe(external.tenantId);
    expect([workforce.requestCount(), b2c.requestCount(), external.requestCount()]).toEqual([3, 2, 2]);
    validator.close();
  });

  test('an issuer nobody trusts: invalid_issuer (iss), no request, cold or warm', async () => {
    const events: EntraEvent[] = [];
    const { validator } = combined(events, true);
    resetCounts();
    const strangers = [
      workforce.createToken({}, { tenantId: OTHER }),
      workforce.createToken({ iss: 'https://evil.example/tenant/v2.0' }),
      workforce.createToken({ iss: undefined }),
      b2c.createToken({ iss: `${b2c.authority}/tfp/${OTHER}/B2C_1_signupsignin/v2.0/` }),
      external.createToken({}, { tenantId: OTHER }),
    ];
    for (const token of strangers) {
      const e = await errorOf(validator.verify(token));
      expect([e.code, e.check]).toEqual(['invalid_issuer', 'iss']);
    }
    expect(requests()).toBe(0);
    await validator.warmUp();
    resetCounts();
    for (const token of strangers) expect(await codeOf(validator.verify(token))).toBe('invalid_issuer');
    expect(requests()).toBe(0);
    // Reported once to the listener the three validators share.
    expect(events.filter((e) => e.type === 'token_rejected' && e.code === 'invalid_issuer').length).toBe(10);
    validator.close();
  });

  test('a B2C tenant named by its domain: another tenant on its host costs its policy document once', async () => {
    const { validator } = combined();
    resetCounts();
    const stranger = () => b2c.createToken({ iss: `${b2c.authority}/${OTHER}/v2.0/` });
    expect(await codeOf(validator.verify(stranger()))).toBe('invalid_issuer');
    expect(b2c.requestCount()).toBe(2);
    expect(await codeOf(validator.verify(stranger()))).toBe('invalid_issuer');
    expect(b2c.requestCount()).toBe(2);
    validator.close();
  });

  test('a trusted issuer keeps its validator’s refusals: a B2C policy not configured, an expired employee', async () => {
    const { validator } = combined();
    resetCounts();
    const policy = await errorOf(validator.verify(b2c.createToken({}, { policy: 'B2C_1_other' })));
    expect([policy.code, policy.check]).toEqual(['invalid_issuer', 'policy']);
    expect(requests()).toBe(0);
    const expired = await errorOf(
      validator.verify(workforce.createToken({}, { issuedAt: -7200, expiresIn: 3600 })),
    );
    expect([expired.code, expired.check]).toEqual(['token_expired', 'exp']);
    validator.close();
  });

  test('what any validator refuses before the issuer is refused the same way, without a request', async () => {
    const { validator, members } = combined();
    resetCounts();
    const graph = await errorOf(
      validator.verify(workforce.createToken({}, { kind: 'graph', tenantId: OTHER })),
    );
    expect([graph.code, graph.check]).toEqual(['foreign_token', 'foreign']);
    expect(await codeOf(validator.verify('not-a-token'))).toBe('malformed_token');
    const single = members[0] as EntraValidator;
    for (const header of [
      undefined,
      '',
      'Basic abc',
      'Bearer',
      'Bearer a b',
      ['Bearer a', 'Bearer b'],
      `Bearer ${'a'.repeat(20000)}`,
    ]) {
      const mine = await errorOf(validator.authenticate(header));
      const theirs = await errorOf(single.authenticate(header));
      expect([mine.code, mine.check, mine.status]).toEqual([theirs.code, theirs.check, theirs.status]);
    }
    expect(requests()).toBe(0);
    validator.close();
  });

  test('100 concurrent cold verifications of each kind: one document and one key set per issuer', async () => {
    const { validator } = combined();
    resetCounts();
    const tokens = Array.from(
      { length: 100 },
      (_, i) =>
        [
          workforce.createToken({ uti: `w${i}` }),
          b2c.createToken({ uti: `b${i}` }),
          external.createToken({ uti: `e${i}` }),
        ][i % 3] as string,
    );
    const codes = await Promise.all(tokens.map((t) => codeOf(validator.verify(t))));
    expect(new Set(codes)).toEqual(new Set(['ok']));
    expect([workforce.requestCount(), b2c.requestCount(), external.requestCount()]).toEqual([2, 2, 2]);
    validator.close();
  });
});

describe('a validator like any other', () => {
  test('isEntraValidator, adapters’ toValidator, config of the first, validators in order', () => {
    const { validator, members } = combined();
    expect(isEntraValidator(validator)).toBe(true);
    expect(toValidator(validator).validator).toBe(validator);
    expect(validator.config).toBe(members[0]?.config);
    expect(validator.validators).toEqual(members);
    expect(Object.isFrozen(validator)).toBe(true);
    validator.close();
  });

  test('warmUp warms every validator; close closes every one', async () => {
    const { validator, members } = combined();
    resetCounts();
    await validator.warmUp();
    expect([workforce.requestCount(), b2c.requestCount(), external.requestCount()]).toEqual([2, 2, 2]);
    const closed: string[] = [];
    for (const [i, m] of members.entries()) {
      const close = m.close.bind(m);
      (m as { close: () => void }).close = () => {
        closed.push(`m${i}`);
        close();
      };
    }
    validator.close();
    expect(closed).toEqual(['m0', 'm1', 'm2']);
  });

  test('a combined validator inside another stands for its validators', async () => {
    const { validator: inner, members } = combined();
    const second = createEntraValidator({
      tenantId: OTHER,
      clientId: workforce.clientId,
      authority: workforce.authority,
      clock: clock.fn,
    });
    const outer = combineValidators([inner, second]);
    expect(outer.validators).toEqual([...members, second]);
    expect(await codeOf(outer.verify(workforce.createToken({}, { tenantId: OTHER })))).toBe('ok');
    outer.close();
  });
});

describe('configuration mistakes', () => {
  const wf = (extra: object = {}) =>
    createEntraValidator({ ...workforce.validatorOptions(), ...extra } as Parameters<
      typeof createEntraValidator
    >[0]);

  test.each<[string, () => unknown[], RegExp]>([
    ['no validators', () => [], /give an array of validators/],
    ['not a validator', () => [wf(), { verify: () => undefined }], /item 2 is not a validator/],
    [
      'the same validator twice',
      () => {
        const v = wf();
        return [v, v];
      },
      /validator 2 is given twice/,
    ],
    [
      'a multi-tenant validator and a tenant it covers',
      () => [wf({ tenantId: 'organizations', allowAnyTenant: true }), wf()],
      /validators 1 and 2 could both trust the issuer .*allowedTenants/,
    ],
    [
      'two validators for one tenant',
      () => [wf(), wf({ audience: 'api://other' })],
      /validators 1 and 2 could both trust/,
    ],
    [
      'a tenant named by domain beside another tenant of the cloud',
      () => [wf({ tenantId: 'contoso.onmicrosoft.com' }), wf({ tenantId: OTHER })],
      /name workforce tenants by GUID/,
    ],
    [
      'a discoveryUrl',
      () => [
        wf({
          discoveryUrl: `${workforce.authority}/${workforce.tenantId}/v2.0/.well-known/openid-configuration`,
          authority: undefined,
        }),
      ],
      /discoveryUrl/,
    ],
  ])('%s', (_name, make, message) => {
    let error: unknown;
    try {
      combineValidators(make() as EntraValidator[]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EntraConfigError);
    expect((error as Error).message).toMatch(message);
  });

  test('B2C, External ID and workforce tenants of the same GUID do not overlap', () => {
    const v = combineValidators([
      createEntraValidator({ tenantId: b2c.tenantId, clientId: b2c.clientId }),
      createEntraValidator({ tenantId: b2c.tenantId, clientId: b2c.clientId, cloud: 'china' }),
      createEntraValidator({
        b2c: { domain: 'contoso.b2clogin.com', tenantId: b2c.tenantId, policies: ['B2C_1_a'] },
        clientId: b2c.clientId,
      }),
      createEntraValidator({ externalId: { tenantId: b2c.tenantId }, clientId: b2c.clientId }),
    ]);
    expect(v.validators).toHaveLength(4);
  });
});
