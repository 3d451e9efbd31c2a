import { createEntraValidator, isEntraAuthError } from '@org/entra-core';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from './helpers.js';

const OTHER_TENANT = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
/**
 * The rows of a default configuration: the core's check words in verification order. `kid`, `foreign`
 * and `format` are raised on both sides of the key lookup, so they have two rows.
 */
const ROWS = [
  'length',
  'format',
  'foreign',
  'alg',
  'header',
  'typ',
  'kid',
  'keys',
  'kid',
  'signature',
  'ver',
  'exp',
  'nbf',
  'iat',
  'iss',
  'tid',
  'foreign',
  'aud',
  'scp',
  'roles',
  'format',
];

let entra: MockEntra;
beforeAll(async () => {
  entra = await createMockEntra();
});
afterAll(async () => {
  await entra?.close();
});

/** The flags that point verify at the local issuer. */
function flags(...extra: string[]): string[] {
  return [
    '--tenant',
    entra.tenantId,
    '--client-id',
    entra.clientId,
    '--authority',
    entra.authority,
    ...extra,
  ];
}

/** What the core's own validator says about a token, configured as `flags()` configures the CLI. */
async function coreVerdict(
  token: string,
  extra: Record<string, unknown> = {},
): Promise<{ code: string; check: string } | null> {
  const validator = createEntraValidator(entra.validatorOptions({ tokenCache: false, ...extra }));
  try {
    await validator.verify(token);
    return null;
  } catch (error) {
    if (!isEntraAuthError(error)) throw error;
    return { code: error.code, check: error.check };
  } finally {
    validator.close();
  }
}

interface Check {
  id: string;
  status: string;
}

/** The rows before the failed one passed, it failed, the rest were not checked. */
function expectFailedAt(checks: Check[], failed: string, { afterKeys = false } = {}): void {
  const at = afterKeys ? ROWS.lastIndexOf(failed) : ROWS.indexOf(failed);
  expect(at).toBeGreaterThanOrEqual(0);
  expect(checks.map((c) => c.id)).toEqual(ROWS);
  expect(checks.map((c) => c.status)).toEqual(
    ROWS.map((_, i) => (i < at ? 'passed' : i === at ? 'failed' : 'not_checked')),
  );
}

describe.concurrent('entra-token verify: valid tokens (exit 0)', () => {
  it('a v2 delegated token: every check passes, then the principal', async () => {
    const run = await runCli(['verify', entra.createToken(), ...flags()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✓ Token is valid/);
    expect(run.stdout.match(/^ {2}✓ /gm)).toHaveLength(ROWS.length);
    expect(run.stdout).not.toMatch(/not checked/);
    expect(run.stdout).toMatch(/✓ Not a Microsoft Graph token\n/);
    expect(run.stdout).toMatch(/✓ Key id \(kid\) +kid \S+/);
    expect(run.stdout).toMatch(
      /✓ Issuer's keys .* +from http:\/\/127\.0\.0\.1:\d+\/\S+\/discovery\/v2\.0\/keys/,
    );
    expect(run.stdout).toMatch(/✓ Token kind .* +access token, delegated/);
    expect(run.stdout).toMatch(new RegExp(`✓ Audience \\(aud\\) +${entra.clientId}`));
    expect(run.stdout).toMatch(/✓ Subject .* +oid \S+/);
    expect(run.stdout).toMatch(new RegExp(`tenantId +${entra.tenantId}`));
    expect(run.stdout).toMatch(new RegExp(`clientId +${entra.clientAppId}`));
    expect(run.stdout).toMatch(/scopes +access_as_user/);
    expect(run.stdout).toMatch(/roles +\(none\)/);
    expect(run.stdout).toMatch(/isAppOnly +false/);
    expect(run.stdout).toMatch(/tokenVersion +2\.0/);
    expect(run.stdout).toMatch(/expiresAt +\S+Z \(expires in 1 h\)/);
  });

  it('a v1 token (iss sts.windows.net, aud api://) and an app-only token', async () => {
    const v1 = await runCli(['verify', entra.createToken({}, { version: '1.0' }), ...flags()]);
    expect(v1.code).toBe(0);
    expect(v1.stdout).toMatch(/tokenVersion +1\.0/);
    expect(v1.stdout).toContain(`✓ Issuer (iss)`);
    expect(v1.stdout).toContain(entra.issuerV1);

    const app = await runJson(['verify', entra.createToken({}, { kind: 'app' }), ...flags()]);
    expect(app.code).toBe(0);
    expect(app.json.principal).toMatchObject({
      isAppOnly: true,
      roles: ['access_as_application'],
      scopes: [],
    });
  });

  it('--json: valid, every check passed, the principal, the configuration', async () => {
    const { code, json } = await runJson(['verify', entra.createToken(), ...flags()]);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      schemaVersion: 2,
      command: 'verify',
      valid: true,
      error: null,
      principal: {
        tenantId: entra.tenantId,
        clientId: entra.clientAppId,
        scopes: ['access_as_user'],
        roles: [],
        isAppOnly: false,
        isGuest: false,
        tokenVersion: '2.0',
      },
      config: {
        tenantId: entra.tenantId,
        audiences: [entra.clientId, `api://${entra.clientId}`],
        multiTenant: false,
        tokenVersions: ['1.0', '2.0'],
      },
    });
    expect(json.checks.map((c: Check) => c.id)).toEqual(ROWS);
    expect(json.checks.map((c: Check) => c.status)).toEqual(ROWS.map(() => 'passed'));
    expect(Date.parse(json.principal.expiresAt)).toBeGreaterThan(Date.now());
    expect(json.summary.kind).toBe('access_token');
  });

  it('reads a pasted "Bearer ..." value from standard input', async () => {
    const run = await runCli(['verify', ...flags()], { input: `Bearer ${entra.createToken()}\n` });
    expect(run.code).toBe(0);
  });

  it('multi-tenant: organizations with --allow-any-tenant accepts another tenant', async () => {
    const token = entra.createToken({}, { tenantId: OTHER_TENANT });
    const run = await runJson([
      'verify',
      token,
      '--tenant',
      'organizations',
      '--client-id',
      entra.clientId,
      '--authority',
      entra.authority,
      '--allow-any-tenant',
    ]);
    expect(run.json.error).toBeNull();
    expect(run.code).toBe(0);
    expect(run.json.principal.tenantId).toBe(OTHER_TENANT);
  });
});

describe.concurrent('entra-token verify: rejected tokens (exit 1), with the failing check', () => {
  it('expired: exp fails, the checks before it passed, the later ones are not checked', async () => {
    const token = entra.createToken({}, { issuedAt: -7200, expiresIn: 3600 });
    const { code, json } = await runJson(['verify', token, ...flags()]);
    expect(code).toBe(1);
    expect(json.valid).toBe(false);
    expect(json.principal).toBeNull();
    expect(json.error).toMatchObject({
      code: 'token_expired',
      check: 'exp',
      reason: 'expired',
      httpStatus: 401,
      message: 'The access token has expired',
      issuerUnreachable: false,
    });
    expect(json.error.detail).toMatch(/expired 1 h ago .*allows 5 minutes of clock skew/);
    expect(json.error.hint).toMatch(/new token/);
    expectFailedAt(json.checks, 'exp');

    const human = await runCli(['verify', token, ...flags()]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^✗ Token rejected: token_expired \(check exp\)/);
    expect(human.stdout).toMatch(/✓ Token version \(ver\) +ver 2\.0/);
    expect(human.stdout).toMatch(/✗ Expiry \(exp\) .*The access token has expired/);
    expect(human.stdout).toMatch(/ {6}Fix: Get a new token/);
    expect(human.stdout).toMatch(/· Issuer \(iss\) +not checked/);
    expect(human.stdout).not.toContain('Principal');
  });

  it('wrong audience: the audience check fails and names both values', async () => {
    const token = entra.createToken();
    const { code, json } = await runJson([
      'verify',
      token,
      '--tenant',
      entra.tenantId,
      '--audience',
      'api://another-api',
      '--authority',
      entra.authority,
    ]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'invalid_audience', check: 'aud', reason: 'audience' });
    expect(json.error).toMatchObject(
      (await coreVerdict(token, { audience: 'api://another-api', clientId: undefined })) ?? {},
    );
    expect(json.error.detail).toContain(`aud is ${entra.clientId}, but this API accepts api://another-api`);
    expect(json.error.hint).toContain('api://another-api/.default');
    expectFailedAt(json.checks, 'aud');
  });

  it('a Microsoft Graph token fails while parsing, before any key is fetched', async () => {
    const { code, json } = await runJson(['verify', entra.createToken({}, { kind: 'graph' }), ...flags()]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'foreign_token', check: 'foreign', reason: 'graph_token' });
    expect(json.error.hint).toContain(`api://${entra.clientId}/.default`);
    expectFailedAt(json.checks, 'foreign');
    expect(json.checks[ROWS.indexOf('foreign')].title).toBe('Not a Microsoft Graph token');
  });

  it('an ID token fails the token kind check, after the signature and the issuer passed', async () => {
    const { code, json } = await runJson(['verify', entra.createToken({}, { kind: 'id' }), ...flags()]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'foreign_token', check: 'foreign', reason: 'id_token' });
    expect(json.error.hint).toMatch(/Send the access token, not the ID token/);
    expectFailedAt(json.checks, 'foreign', { afterKeys: true });
    expect(json.checks.find((c: Check) => c.id === 'signature').status).toBe('passed');
  });

  it('a key the issuer never published: the signing key check fails after the keys were fetched', async () => {
    const token = entra.createToken({}, { signWith: 'unpublished', kid: 'never-published' });
    const { code, json } = await runJson(['verify', token, ...flags()]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'unknown_signing_key', check: 'kid', reason: 'unknown_key' });
    expect(json.error).toMatchObject((await coreVerdict(token)) ?? {});
    expect(json.error.detail).toContain('No key with kid never-published in http://127.0.0.1:');
    expectFailedAt(json.checks, 'kid', { afterKeys: true });
    expect(json.checks[ROWS.indexOf('keys')].detail).toMatch(/^from http:\/\/127\.0\.0\.1:\d+\//);
  });

  it.each([
    ['no kid in the header', { header: { kid: undefined } }, {}, 'malformed_token', 'kid'],
    ['alg HS256', { header: { alg: 'HS256' } }, {}, 'unsupported_algorithm', 'alg'],
    ['typ at+jwt', { header: { typ: 'at+jwt' } }, {}, 'malformed_token', 'typ'],
    ['a crit header', { header: { crit: ['exp'] } }, {}, 'malformed_token', 'header'],
    ['longer than 16384 characters', {}, { padding: 'x'.repeat(17_000) }, 'malformed_token', 'length'],
  ] as const)(
    '%s: refused while parsing, at the check the core names',
    async (_, options, claims, code, check) => {
      const token = entra.createToken({ ...claims }, { ...options });
      const { code: exit, json } = await runJson(['verify', token, ...flags()]);
      expect(exit).toBe(1);
      expect(json.error).toMatchObject({ code, check });
      expect(await coreVerdict(token)).toEqual({ code, check });
      expect(json.error.reason).toBe(check === 'length' ? 'too_long' : 'not_entra_signed');
      expectFailedAt(json.checks, check);
    },
  );

  it('a tampered token: the signature check fails', async () => {
    const [h, p, s] = entra.createToken().split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    claims.scp = 'Admin.Everything';
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    const { code, json } = await runJson(['verify', forged, ...flags()]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({
      code: 'invalid_signature',
      check: 'signature',
      reason: 'invalid_signature',
    });
    expectFailedAt(json.checks, 'signature');
  });

  it('a token of another tenant: the issuer check fails, with the tenant explained', async () => {
    const token = entra.createToken({}, { tenantId: OTHER_TENANT });
    const { code, json } = await runJson(['verify', token, ...flags()]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'invalid_issuer', check: 'iss', reason: 'tenant' });
    expect(json.error).toMatchObject((await coreVerdict(token)) ?? {});
    expect(json.error.detail).toContain(`issued by tenant ${OTHER_TENANT}`);
    expectFailedAt(json.checks, 'iss');
  });

  it('multi-tenant: a tenant not in --allowed-tenant fails the tenant check', async () => {
    const { code, json } = await runJson([
      'verify',
      entra.createToken({}, { tenantId: OTHER_TENANT }),
      '--tenant',
      'organizations',
      '--client-id',
      entra.clientId,
      '--authority',
      entra.authority,
      '--allowed-tenant',
      entra.tenantId,
    ]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'tenant_not_allowed', check: 'tid', reason: 'tenant' });
    expect(json.error.detail).toContain(`not among the allowed tenants (${entra.tenantId})`);
    expect(json.error.hint).toContain(`--allowed-tenant ${OTHER_TENANT}`);
    expectFailedAt(json.checks, 'tid');
  });

  it('--token-version 2.0 refuses a v1 token at the version check', async () => {
    const { code, json } = await runJson([
      'verify',
      entra.createToken({}, { version: '1.0' }),
      ...flags('--token-version', '2.0'),
    ]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({
      code: 'unsupported_token_version',
      check: 'ver',
      reason: 'token_version',
    });
    expect(json.error.hint).toContain('accessTokenAcceptedVersion to 2');
    expectFailedAt(json.checks, 'ver');
  });

  it('no scp and no roles: the permissions check fails', async () => {
    const { code, json } = await runJson(['verify', entra.createToken({ scp: undefined }), ...flags()]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({
      code: 'missing_permissions',
      check: 'scp',
      reason: 'no_permissions',
      httpStatus: 403,
    });
    expect(json.error.hint).toMatch(/admin consent/);
    expectFailedAt(json.checks, 'scp');
  });

  it('a user token without oid or sub: the subject check, last', async () => {
    const token = entra.createToken({ oid: undefined, sub: undefined });
    const { code, json } = await runJson(['verify', token, ...flags()]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'malformed_token', check: 'format', reason: 'no_user' });
    expect(await coreVerdict(token)).toEqual({ code: 'malformed_token', check: 'format' });
    expectFailedAt(json.checks, 'format', { afterKeys: true });
  });
});

// Not concurrent: the fault applies to every request the issuer receives.
describe('entra-token verify: the issuer is down', () => {
  it('the issuer is down: keys_unavailable, said distinctly (exit 1)', async () => {
    entra.setFault('down');
    try {
      const token = entra.createToken();
      const human = await runCli(['verify', token, ...flags()]);
      expect(human.code).toBe(1);
      expect(human.stdout).toMatch(/^✗ Could not verify: the issuer is unreachable \(keys_unavailable\)/);
      expect(human.stdout).toMatch(/✗ Issuer's keys .*unavailable/);
      expect(human.stdout).toMatch(
        /The issuer is unreachable: http:\/\/127\.0\.0\.1:\d+\/\S+: the connection failed/,
      );
      const { code, json } = await runJson(['verify', token, ...flags()]);
      expect(code).toBe(1);
      expect(json.error).toMatchObject({
        code: 'keys_unavailable',
        check: 'keys',
        reason: 'issuer_unreachable',
        httpStatus: 503,
        issuerUnreachable: true,
        fetch: {
          url: `${entra.authority}/${entra.tenantId}/v2.0/.well-known/openid-configuration`,
          reason: 'network',
        },
      });
      expectFailedAt(json.checks, 'keys');
    } finally {
      entra.setFault(null);
    }
  });
});

describe.concurrent('entra-token verify: bad usage (exit 2)', () => {
  it.each([
    [['--client-id', '6e74172b-be56-4843-9ff4-e66a39bb12e3'], /verify needs --tenant/],
    [['--tenant', 'contoso.onmicrosoft.com'], /verify needs --audience <aud> or --client-id/],
    [['--tenant', 'common', '--client-id', '6e74172b-be56-4843-9ff4-e66a39bb12e3'], /allowAnyTenant/],
    [['--tenant', 'x', '--client-id', 'not-a-guid'], /tenantId must be|clientId must be/],
    [
      ['--tenant', 'contoso.onmicrosoft.com', '--audience', 'api://x', '--authority', 'http://example.com'],
      /authority must use https/,
    ],
    [
      ['--tenant', 'contoso.onmicrosoft.com', '--audience', 'api://x', '--token-version', '3'],
      /1\.0 or 2\.0/,
    ],
    [['--tenant', 'contoso.onmicrosoft.com', '--audience', 'api://x', '--cloud', 'moon'], /--cloud must be/],
  ])('verify %j', async (args, message) => {
    const run = await runCli(['verify', entra.createToken(), ...args]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toMatch(message);
  });

  it('input that is not a JWT', async () => {
    const run = await runCli(['verify', 'hello', ...flags()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^entra-token: the input is not a JWT/);
  });
});
