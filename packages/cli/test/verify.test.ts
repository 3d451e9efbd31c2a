import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from './helpers.js';

const OTHER_TENANT = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const CHECK_IDS = [
  'structure',
  'header',
  'graph',
  'signing_key',
  'signature',
  'version',
  'lifetime',
  'issuer',
  'tenant',
  'token_kind',
  'audience',
  'permissions',
  'subject',
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

interface Check {
  id: string;
  status: string;
}

/** Checks before `failed` passed, `failed` failed, the rest were not checked. */
function expectFailedAt(checks: Check[], failed: string): void {
  const at = CHECK_IDS.indexOf(failed);
  expect(checks.map((c) => c.id)).toEqual(CHECK_IDS);
  expect(checks.map((c) => c.status)).toEqual(
    CHECK_IDS.map((_, i) => (i < at ? 'passed' : i === at ? 'failed' : 'not_checked')),
  );
}

describe.concurrent('entra-token verify: valid tokens (exit 0)', () => {
  it('a v2 delegated token: every check passes, then the principal', async () => {
    const run = await runCli(['verify', entra.createToken(), ...flags()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✓ Token is valid/);
    expect(run.stdout.match(/^ {2}✓ /gm)).toHaveLength(CHECK_IDS.length);
    expect(run.stdout).toMatch(/✓ Audience \(aud\) +b8a4|✓ Audience \(aud\) +\S+/);
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
      schemaVersion: 1,
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
    expect(json.checks.map((c: Check) => c.status)).toEqual(CHECK_IDS.map(() => 'passed'));
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
  it('expired: lifetime fails, the checks before it passed, the later ones are not checked', async () => {
    const token = entra.createToken({}, { issuedAt: -7200, expiresIn: 3600 });
    const { code, json } = await runJson(['verify', token, ...flags()]);
    expect(code).toBe(1);
    expect(json.valid).toBe(false);
    expect(json.principal).toBeNull();
    expect(json.error).toMatchObject({
      code: 'token_expired',
      check: 'lifetime',
      httpStatus: 401,
      message: 'The access token has expired',
      issuerUnreachable: false,
    });
    expect(json.error.detail).toMatch(/expired 1 h ago/);
    expect(json.error.hint).toMatch(/new token/);
    expectFailedAt(json.checks, 'lifetime');

    const human = await runCli(['verify', token, ...flags()]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^✗ Token rejected: token_expired/);
    expect(human.stdout).toMatch(/✓ Token version \(ver\) +ver 2\.0/);
    expect(human.stdout).toMatch(/✗ Lifetime .*The access token has expired/);
    expect(human.stdout).toMatch(/ {6}Fix: Get a new token/);
    expect(human.stdout).toMatch(/· Issuer \(iss\) +not checked/);
    expect(human.stdout).not.toContain('Principal');
  });

  it('wrong audience: the audience check fails and names both values', async () => {
    const { code, json } = await runJson([
      'verify',
      entra.createToken(),
      '--tenant',
      entra.tenantId,
      '--audience',
      'api://another-api',
      '--authority',
      entra.authority,
    ]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'invalid_audience', check: 'audience' });
    expect(json.error.detail).toContain(`aud is ${entra.clientId}, but this API accepts api://another-api`);
    expect(json.error.hint).toContain('api://another-api/.default');
    expectFailedAt(json.checks, 'audience');
  });

  it('a Microsoft Graph token fails before any key is fetched', async () => {
    const { code, json } = await runJson(['verify', entra.createToken({}, { kind: 'graph' }), ...flags()]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'foreign_token', check: 'graph' });
    expect(json.error.hint).toContain(`api://${entra.clientId}/.default`);
    expectFailedAt(json.checks, 'graph');
  });

  it('an ID token fails the token kind check', async () => {
    const { code, json } = await runJson(['verify', entra.createToken({}, { kind: 'id' }), ...flags()]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'foreign_token', check: 'token_kind' });
    expect(json.error.hint).toMatch(/Send the access token, not the ID token/);
  });

  it('a key the issuer never published: the signing key check fails', async () => {
    const { code, json } = await runJson([
      'verify',
      entra.createToken({}, { signWith: 'unpublished', kid: 'never-published' }),
      ...flags(),
    ]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'unknown_signing_key', check: 'signing_key' });
    expect(json.error.detail).toContain('No key with kid never-published in http://127.0.0.1:');
    expectFailedAt(json.checks, 'signing_key');
  });

  it.each([
    ['no kid in the header', { header: { kid: undefined } }, {}, 'malformed_token', 'header'],
    ['alg HS256', { header: { alg: 'HS256' } }, {}, 'unsupported_algorithm', 'header'],
    ['longer than 16384 characters', {}, { padding: 'x'.repeat(17_000) }, 'malformed_token', 'structure'],
  ] as const)('%s: refused at the right check', async (_, options, claims, code, check) => {
    const token = entra.createToken({ ...claims }, { ...options });
    const { code: exit, json } = await runJson(['verify', token, ...flags()]);
    expect(exit).toBe(1);
    expect(json.error).toMatchObject({ code, check });
    expectFailedAt(json.checks, check);
  });

  it('a tampered token: the signature check fails', async () => {
    const [h, p, s] = entra.createToken().split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    claims.scp = 'Admin.Everything';
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    const { code, json } = await runJson(['verify', forged, ...flags()]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'invalid_signature', check: 'signature' });
    expectFailedAt(json.checks, 'signature');
  });

  it('a token of another tenant: the issuer check fails, with the tenant explained', async () => {
    const { code, json } = await runJson([
      'verify',
      entra.createToken({}, { tenantId: OTHER_TENANT }),
      ...flags(),
    ]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'invalid_issuer', check: 'issuer' });
    expect(json.error.detail).toContain(`issued by tenant ${OTHER_TENANT}`);
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
    expect(json.error).toMatchObject({ code: 'tenant_not_allowed', check: 'tenant' });
    expect(json.error.hint).toContain(`--allowed-tenant ${OTHER_TENANT}`);
  });

  it('--token-version 2.0 refuses a v1 token at the version check', async () => {
    const { code, json } = await runJson([
      'verify',
      entra.createToken({}, { version: '1.0' }),
      ...flags('--token-version', '2.0'),
    ]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'unsupported_token_version', check: 'version' });
    expect(json.error.hint).toContain('accessTokenAcceptedVersion');
  });

  it('no scp and no roles: the permissions check fails', async () => {
    const { code, json } = await runJson(['verify', entra.createToken({ scp: undefined }), ...flags()]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'missing_permissions', check: 'permissions', httpStatus: 403 });
    expect(json.error.hint).toMatch(/admin consent/);
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
      expect(human.stdout).toMatch(/✗ Signing key .*unavailable/);
      const { code, json } = await runJson(['verify', token, ...flags()]);
      expect(code).toBe(1);
      expect(json.error).toMatchObject({
        code: 'keys_unavailable',
        check: 'signing_key',
        httpStatus: 503,
        issuerUnreachable: true,
        fetch: {
          url: `${entra.authority}/${entra.tenantId}/v2.0/.well-known/openid-configuration`,
          reason: 'network',
        },
      });
      expectFailedAt(json.checks, 'signing_key');
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
