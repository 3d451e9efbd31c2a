import { describe, expect, test } from 'vitest';
import { createEntraValidator, type EntraValidatorBaseOptions } from '../src/index.js';
import { CONSUMERS, codeOf, errorOf, OTHER_TENANT, useMockEntra, validatorFor } from './helpers.js';

const { entra, clock } = useMockEntra();
const THIRD = '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f';

function multi(extra: Partial<EntraValidatorBaseOptions>) {
  return validatorFor(entra(), clock, { tenantId: 'organizations', ...extra });
}

describe('multi-tenant (organizations / common)', () => {
  test('allowAnyTenant accepts every work or school tenant, v2 and v1', async () => {
    const { validator } = multi({ allowAnyTenant: true });
    for (const tenantId of [entra().tenantId, OTHER_TENANT, THIRD]) {
      const p = await validator.verify(entra().createToken({}, { tenantId }));
      expect(p.tenantId).toBe(tenantId);
      expect((await validator.verify(entra().createToken({}, { tenantId, version: '1.0' }))).tenantId).toBe(
        tenantId,
      );
    }
  });

  test('the issuer must be the template filled with tid, exactly', async () => {
    const { validator } = multi({ allowAnyTenant: true });
    const iss = entra().issuerFor(OTHER_TENANT);
    expect(await codeOf(validator.verify(entra().createToken({ iss, tid: THIRD })))).toBe('invalid_issuer');
    expect(
      await codeOf(
        validator.verify(entra().createToken({ tid: 'contoso', iss: iss.replace(OTHER_TENANT, 'contoso') })),
      ),
    ).toBe('invalid_issuer');
    expect(await codeOf(validator.verify(entra().createToken({ tid: undefined, iss })))).toBe(
      'invalid_issuer',
    );
    expect(await codeOf(validator.verify(entra().createToken({ tid: OTHER_TENANT, iss: `${iss}/` })))).toBe(
      'invalid_issuer',
    );
    expect(
      await codeOf(
        validator.verify(entra().createToken({ tid: OTHER_TENANT, iss: iss.replace('http:', 'https:') })),
      ),
    ).toBe('invalid_issuer');
    expect(
      await codeOf(
        validator.verify(
          entra().createToken(
            { tid: OTHER_TENANT, iss: `https://sts.windows.net.evil.com/${OTHER_TENANT}/` },
            { version: '1.0' },
          ),
        ),
      ),
    ).toBe('invalid_issuer');
  });

  test('organizations refuses personal Microsoft accounts; common accepts them', async () => {
    const msa = () => entra().createToken({}, { tenantId: CONSUMERS });
    expect(await codeOf(multi({ allowAnyTenant: true }).validator.verify(msa()))).toBe('tenant_not_allowed');
    expect(await codeOf(multi({ tenantId: 'common', allowAnyTenant: true }).validator.verify(msa()))).toBe(
      'ok',
    );
  });

  test('allowedTenants as a list', async () => {
    const { validator } = multi({ allowedTenants: [OTHER_TENANT.toUpperCase()] });
    expect(await codeOf(validator.verify(entra().createToken({}, { tenantId: OTHER_TENANT })))).toBe('ok');
    expect(await codeOf(validator.verify(entra().createToken({}, { tenantId: THIRD })))).toBe(
      'tenant_not_allowed',
    );
  });

  test('allowedTenants as a predicate: asked once per tenant, async allowed', async () => {
    const asked: string[] = [];
    const { validator } = multi({
      allowedTenants: async (tid) => {
        asked.push(tid);
        return tid === OTHER_TENANT;
      },
    });
    const tokens = [1, 2, 3].map((i) => entra().createToken({ uti: `p${i}` }, { tenantId: OTHER_TENANT }));
    const codes = await Promise.all(tokens.map((t) => codeOf(validator.verify(t))));
    expect(codes).toEqual(['ok', 'ok', 'ok']);
    expect(await codeOf(validator.verify(entra().createToken({}, { tenantId: THIRD })))).toBe(
      'tenant_not_allowed',
    );
    expect(await codeOf(validator.verify(entra().createToken({ uti: 'again' }, { tenantId: THIRD })))).toBe(
      'tenant_not_allowed',
    );
    expect(asked).toEqual([OTHER_TENANT, THIRD]);
  });

  test('a predicate that throws or rejects: 503 tenant_check_failed with Retry-After, asked again next time', async () => {
    let calls = 0;
    const { validator } = multi({
      allowedTenants: () => {
        calls++;
        if (calls === 1) throw new Error('directory unavailable');
        return true;
      },
    });
    const thrown = await errorOf(validator.verify(entra().createToken({}, { tenantId: OTHER_TENANT })));
    expect(thrown.code).toBe('tenant_check_failed');
    expect(thrown.status).toBe(503);
    expect(thrown.wwwAuthenticate).toBeUndefined();
    expect(thrown.retryAfterSeconds).toBe(30);
    expect(thrown.message).not.toContain('directory unavailable');
    expect(
      await codeOf(validator.verify(entra().createToken({ uti: 'retry' }, { tenantId: OTHER_TENANT }))),
    ).toBe('ok');
    expect(calls).toBe(2);
    let rejections = 0;
    const asyncFailing = multi({
      allowedTenants: async () => {
        rejections++;
        throw new Error('down');
      },
    }).validator;
    expect(
      await codeOf(asyncFailing.verify(entra().createToken({ uti: 'a1' }, { tenantId: OTHER_TENANT }))),
    ).toBe('tenant_check_failed');
    expect(
      await codeOf(asyncFailing.verify(entra().createToken({ uti: 'a2' }, { tenantId: OTHER_TENANT }))),
    ).toBe('tenant_check_failed');
    expect(rejections).toBe(2);
  });

  test('a predicate that never settles: tenant_check_failed after jwks.timeoutMs, not remembered', async () => {
    let calls = 0;
    const { validator } = multi({
      // Also the limit of the key requests of warmUp(): long enough for a loaded machine.
      jwks: { timeoutMs: 1000 },
      allowedTenants: (tid) => {
        calls++;
        // The first question hangs for good; the next one is answered.
        return calls === 1 ? new Promise<boolean>(() => undefined) : Promise.resolve(tid === OTHER_TENANT);
      },
    });
    await validator.warmUp();
    // Concurrent requests for the tenant share the one pending question, and all get the 503.
    const hung = await Promise.all(
      [1, 2, 3].map((i) =>
        codeOf(validator.verify(entra().createToken({ uti: `h${i}` }, { tenantId: OTHER_TENANT }))),
      ),
    );
    expect(hung).toEqual(['tenant_check_failed', 'tenant_check_failed', 'tenant_check_failed']);
    expect(calls).toBe(1);
    expect(
      await codeOf(validator.verify(entra().createToken({ uti: 'after' }, { tenantId: OTHER_TENANT }))),
    ).toBe('ok');
    expect(calls).toBe(2);
  });

  test("a predicate's answers expire: a tenant it stops allowing is refused after five minutes", async () => {
    let allowed = true;
    let calls = 0;
    const { validator } = multi({
      allowedTenants: async () => {
        calls++;
        return allowed;
      },
    });
    const token = (uti: string) => entra().createToken({ uti }, { tenantId: OTHER_TENANT });
    expect(await codeOf(validator.verify(token('t1')))).toBe('ok');
    allowed = false;
    clock.advance(299);
    expect(await codeOf(validator.verify(token('t2')))).toBe('ok');
    expect(calls).toBe(1);
    clock.advance(2);
    expect(await codeOf(validator.verify(token('t3')))).toBe('tenant_not_allowed');
    expect(calls).toBe(2);
  });

  test('multi-tenant discovery is fetched from the alias path', async () => {
    const { validator } = multi({ allowAnyTenant: true });
    entra().resetCounts();
    await validator.warmUp();
    expect(entra().requestCount('/organizations/v2.0/.well-known/openid-configuration')).toBe(1);
    expect(entra().requestCount('/organizations/discovery/v2.0/keys')).toBe(1);
  });
});

describe('single tenant by alias', () => {
  test('a verified domain learns the tenant GUID from discovery', async () => {
    const { validator } = validatorFor(entra(), clock, { tenantId: entra().domain });
    expect((await validator.verify(entra().createToken())).tenantId).toBe(entra().tenantId);
    expect((await validator.verify(entra().createToken({}, { version: '1.0' }))).tokenVersion).toBe('1.0');
    expect(await codeOf(validator.verify(entra().createToken({}, { tenantId: OTHER_TENANT })))).toBe(
      'invalid_issuer',
    );
  });

  test('consumers accepts personal accounts only', async () => {
    const { validator } = validatorFor(entra(), clock, { tenantId: 'consumers' });
    expect(await codeOf(validator.verify(entra().createToken({}, { tenantId: CONSUMERS })))).toBe('ok');
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('invalid_issuer');
  });

  test('another tenant GUID than the one served is refused', async () => {
    const { validator } = validatorFor(entra(), clock, { tenantId: OTHER_TENANT });
    expect(await codeOf(validator.verify(entra().createToken({}, { tenantId: OTHER_TENANT })))).toBe('ok');
    expect(await codeOf(validator.verify(entra().createToken()))).toBe('invalid_issuer');
  });
});

describe('a custom discovery URL (B2C, External ID)', () => {
  test('the announced issuer is trusted as is; v1 is derived from a /v2.0/ URL', async () => {
    const options = entra().validatorOptions({ clock: clock.fn }) as EntraValidatorBaseOptions & {
      clientId: string;
    };
    const { authority: _ignored, ...rest } = options;
    const v = createEntraValidator({
      ...rest,
      discoveryUrl: `${entra().authority}/${entra().tenantId}/v2.0/.well-known/openid-configuration`,
    });
    expect(await codeOf(v.verify(entra().createToken()))).toBe('ok');
    expect(await codeOf(v.verify(entra().createToken({}, { version: '1.0' })))).toBe('ok');
    expect(await codeOf(v.verify(entra().createToken({}, { tenantId: OTHER_TENANT })))).toBe(
      'invalid_issuer',
    );
    expect(v.config.authority).toBeUndefined();
  });

  test('a templated issuer behind a custom URL needs a tenant policy', async () => {
    const options = entra().validatorOptions({ clock: clock.fn }) as EntraValidatorBaseOptions & {
      clientId: string;
    };
    const { authority: _ignored, ...rest } = options;
    const url = `${entra().authority}/common/v2.0/.well-known/openid-configuration`;
    const strict = createEntraValidator({ ...rest, discoveryUrl: url });
    await expect(strict.warmUp()).rejects.toThrow(/allowedTenants/);
    expect(await codeOf(strict.verify(entra().createToken()))).toBe('tenant_not_allowed');
    const open = createEntraValidator({ ...rest, discoveryUrl: url, allowedTenants: [entra().tenantId] });
    expect(await codeOf(open.verify(entra().createToken()))).toBe('ok');
    expect(await codeOf(open.verify(entra().createToken({}, { tenantId: OTHER_TENANT })))).toBe(
      'tenant_not_allowed',
    );
  });
});

describe('national clouds', () => {
  test.each([
    ['public', 'https://login.microsoftonline.com'],
    ['usgov', 'https://login.microsoftonline.us'],
    ['china', 'https://login.partner.microsoftonline.cn'],
  ] as const)('%s discovery goes to %s', async (cloud, authority) => {
    const seen: string[] = [];
    const v = createEntraValidator({
      tenantId: entra().tenantId,
      clientId: entra().clientId,
      cloud,
      fetch: async (url) => {
        seen.push(url);
        return new Response('unreachable', { status: 503 });
      },
    });
    expect(await codeOf(v.verify(entra().createToken()))).toBe('keys_unavailable');
    expect(seen).toEqual([`${authority}/${entra().tenantId}/v2.0/.well-known/openid-configuration`]);
  });
});

describe('tid must agree with the issuer', () => {
  test('single tenant: a tid naming another tenant, or none, is refused', async () => {
    const { validator } = validatorFor(entra(), clock);
    expect(await codeOf(validator.verify(entra().createToken({ tid: OTHER_TENANT })))).toBe('invalid_issuer');
    expect(await codeOf(validator.verify(entra().createToken({ tid: undefined })))).toBe('invalid_issuer');
    expect(await codeOf(validator.verify(entra().createToken({ tid: entra().tenantId.toUpperCase() })))).toBe(
      'ok',
    );
    expect(
      await codeOf(validator.verify(entra().createToken({ tid: OTHER_TENANT }, { version: '1.0' }))),
    ).toBe('invalid_issuer');
  });
});
