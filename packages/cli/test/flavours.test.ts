// Tokens of every flavour of Entra, minted by the flavour kits of @org/entra-testing as a real issuer
// of that flavour mints them (B2C: ver 1.0, tfp, no tid, a nonce; External ID: iss on ciamlogin.com;
// national clouds: their issuers' hosts), sent to an API configured for another flavour: the real
// binary names the flavour and the setting that fixes it. The verdict stays the core's.
import { createEntraValidator, type EntraValidatorOptions, isEntraAuthError } from '@org/entra-core';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from './helpers.js';

const SIGN_UP = 'B2C_1_signupsignin';
const PROFILE_EDIT = 'B2C_1_profileedit';

let workforce: MockEntra;
let b2c: MockEntra<'b2c'>;
let externalId: MockEntra<'externalId'>;
let china: MockEntra;
let usgov: MockEntra;
beforeAll(async () => {
  [workforce, b2c, externalId, china, usgov] = await Promise.all([
    createMockEntra(),
    createMockEntra({ flavour: 'b2c', policies: [SIGN_UP, PROFILE_EDIT] }),
    createMockEntra({ flavour: 'externalId' }),
    createMockEntra({ cloud: 'china' }),
    createMockEntra({ cloud: 'usgov' }),
  ]);
});
afterAll(async () => {
  await Promise.all([workforce, b2c, externalId, china, usgov].map((kit) => kit?.close()));
});

/** What the core's own validator says, configured as the CLI was. */
async function coreVerdict(token: string, options: EntraValidatorOptions): Promise<string> {
  const validator = createEntraValidator({ ...options, tokenCache: false });
  try {
    await validator.verify(token);
    return 'valid';
  } catch (error) {
    if (!isEntraAuthError(error)) throw error;
    return `${error.code} ${error.check}`;
  } finally {
    validator.close();
  }
}

/** A workforce API of the public cloud, at the workforce kit. */
const workforceApi = (clientId: string): string[] => [
  '--tenant',
  workforce.tenantId,
  '--client-id',
  clientId,
  '--authority',
  workforce.authority,
];

interface Finding {
  id: string;
  severity: string;
  check?: string;
  title: string;
  detail: string;
  fix: string;
}

const ids = (findings: Finding[]): string[] => findings.map((f) => `${f.severity} ${f.id}`);

describe.concurrent('Azure AD B2C', () => {
  it('verify: a B2C token sent to a workforce validator is named, with its policy and the b2c options', async () => {
    const token = b2c.createToken();
    const { code, json } = await runJson(['verify', token, ...workforceApi(b2c.clientId)]);
    expect(code).toBe(1);
    expect(`${json.error.code} ${json.error.check}`).toBe(
      await coreVerdict(token, {
        tenantId: workforce.tenantId,
        clientId: b2c.clientId,
        authority: workforce.authority,
      }),
    );
    expect(json.error).toMatchObject({ code: 'unknown_signing_key', check: 'kid', reason: 'b2c_token' });
    expect(json.error.detail).toContain(
      `This is an Azure AD B2C token (iss ${b2c.issuer}, from the policy ${SIGN_UP} in tfp)`,
    );
    expect(json.error.detail).toContain(
      'This validator is set up for a workforce tenant of the public cloud',
    );
    expect(json.error.hint).toContain(`b2c: { domain: '${b2c.authority}'`);
    expect(json.error.hint).toContain(
      `--b2c-domain ${b2c.authority} --tenant <tenant> --b2c-policy ${SIGN_UP}`,
    );
    expect(json.error.hint).toContain('combineValidators');
    // The core's message never carries the token's policy.
    expect(json.error.message).not.toContain(SIGN_UP);

    const human = await runCli(['verify', token, ...workforceApi(b2c.clientId)]);
    expect(human.stdout).toMatch(
      /✗ Signing key \(kid in the issuer's key set\) +The access token is signed with an unknown key\n {6}This is an Azure AD B2C token/,
    );
  });

  it('verify: the b2c options the fix names accept the token; the policy row passes', async () => {
    const token = b2c.createToken();
    const args = ['--b2c-domain', b2c.authority, '--b2c-policy', SIGN_UP, '--tenant', b2c.domain];
    const { code, json } = await runJson(['verify', token, ...args, '--client-id', b2c.clientId]);
    expect(code).toBe(0);
    expect(json.principal).toMatchObject({ policy: SIGN_UP, tokenVersion: '1.0' });
    expect(json.config).toMatchObject({ flavour: 'b2c', policies: [SIGN_UP] });
    expect(json.checks.find((c: { id: string }) => c.id === 'policy')).toEqual({
      id: 'policy',
      title: 'B2C policy (tfp or acr)',
      status: 'passed',
      detail: `policy ${SIGN_UP}`,
    });
    const human = await runCli(['verify', token, ...args, '--client-id', b2c.clientId]);
    expect(human.stdout).toMatch(new RegExp(`✓ B2C policy \\(tfp or acr\\) +policy ${SIGN_UP}\\n`));
    expect(human.stdout).toMatch(new RegExp(`policy +${SIGN_UP}\\n`));
  });

  it('verify: a token of another policy names it and the accepted ones; refused before any key lookup', async () => {
    const token = b2c.createToken({}, { policy: PROFILE_EDIT });
    const args = ['--b2c-domain', b2c.authority, '--b2c-policy', SIGN_UP, '--tenant', b2c.domain];
    const { code, json } = await runJson(['verify', token, ...args, '--client-id', b2c.clientId]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'invalid_issuer', check: 'policy', reason: 'policy' });
    expect(json.error.message).toBe(
      'The access token comes from an Azure AD B2C policy this API does not accept',
    );
    expect(json.error.detail).toBe(
      `The token was issued by the policy ${PROFILE_EDIT} (its tfp); this API accepts ${SIGN_UP} (compared without case).`,
    );
    expect(json.error.hint).toContain(`--b2c-policy ${PROFILE_EDIT}`);
    const statuses = Object.fromEntries(
      json.checks.map((c: { id: string; status: string }, i: number) => [`${i} ${c.id}`, c.status]),
    );
    expect(statuses).toMatchObject({ '6 kid': 'passed', '7 policy': 'failed', '8 keys': 'not_checked' });
  });

  it('verify: a workforce token sent to a B2C validator names no policy', async () => {
    const token = workforce.createToken();
    const args = ['--b2c-domain', b2c.authority, '--b2c-policy', SIGN_UP, '--tenant', b2c.domain];
    const { json } = await runJson(['verify', token, ...args, '--client-id', workforce.clientId]);
    // The kit's workforce issuer is a local one: it shows no flavour, the core's refusal is explained.
    expect(json.error).toMatchObject({ check: 'policy', reason: 'policy' });
    expect(json.error.detail).toContain('this token has neither');

    const real = workforce.createToken({
      iss: `https://login.microsoftonline.com/${workforce.tenantId}/v2.0`,
    });
    const named = await runJson(['verify', real, ...args, '--client-id', workforce.clientId]);
    expect(named.json.error).toMatchObject({ check: 'policy', reason: 'workforce_token' });
    expect(named.json.error.detail).toContain('workforce tenant of the public cloud');
  });

  it('explain: without a configuration, a note on what the token is (no ID token mistaken for it)', async () => {
    const { code, json } = await runJson(['explain', b2c.createToken(), '--client-id', b2c.clientId]);
    expect(code).toBe(0);
    expect(ids(json.findings)).toEqual(['note b2c_token']);
    expect(json.findings[0].title).toBe('An Azure AD B2C token');
    expect(json.findings[0].detail).toContain(`from the policy ${SIGN_UP} in tfp`);
  });

  it('explain: a B2C token to a workforce configuration is a problem, the tenant is not', async () => {
    const token = b2c.createToken();
    const { code, json } = await runJson([
      'explain',
      token,
      '--client-id',
      b2c.clientId,
      '--tenant',
      workforce.tenantId,
    ]);
    expect(code).toBe(1);
    expect(ids(json.findings)).toEqual(['problem b2c_token']);
    expect(json.findings[0]).toMatchObject({
      check: 'iss',
      title: expect.stringContaining('not configured for B2C'),
    });
    // With --token-version 2.0 the validator meets it at ver, then takes its nonce for an ID token's.
    const v2 = await runJson(['explain', token, '--client-id', b2c.clientId, '--token-version', '2.0']);
    expect(v2.json.findings.map((f: Finding) => `${f.check} ${f.id}`)).toEqual([
      'ver token_version',
      'foreign b2c_token',
    ]);
    expect(v2.json.findings[0].title).toBe(
      'An Azure AD B2C token (ver 1.0), where only v2.0 tokens are accepted',
    );
    expect(v2.json.findings[1].detail).toContain('takes the nonce B2C puts in access tokens');
  });

  it('explain --b2c-policy: the validator checks the policy; another one is named beside the accepted ones', async () => {
    const token = b2c.createToken({}, { policy: PROFILE_EDIT });
    const { code, json } = await runJson([
      'explain',
      token,
      '--client-id',
      b2c.clientId,
      '--b2c-policy',
      SIGN_UP,
      '--b2c-policy',
      'B2C_1A_signin',
    ]);
    expect(code).toBe(1);
    expect(json.findings[0]).toMatchObject({ id: 'policy', severity: 'problem', check: 'policy' });
    expect(json.findings[0].detail).toContain(
      `policy ${PROFILE_EDIT} (its tfp); this API accepts ${SIGN_UP}, B2C_1A_signin`,
    );
    expect(json.notChecked).toContain('B2C domain and tenant (run entra-token verify)');

    const accepted = await runJson([
      'explain',
      token,
      '--client-id',
      b2c.clientId,
      '--b2c-policy',
      PROFILE_EDIT.toLowerCase(),
    ]);
    expect(accepted.code).toBe(0);
    expect(accepted.json.findings).toEqual([]);
  });
});

describe.concurrent('Azure AD B2C: the marks of older policies and of b2clogin.com', () => {
  it('an acr naming a B2C policy (older policies) is read as the core reads it; a workforce acr is not', async () => {
    const token = b2c.createToken({ tfp: undefined, acr: SIGN_UP.toLowerCase() });
    const accepted = await runJson(['explain', token, '--client-id', b2c.clientId, '--b2c-policy', SIGN_UP]);
    expect(accepted.code).toBe(0);
    expect(accepted.json.findings).toEqual([]);
    const wrong = await runJson([
      'explain',
      token,
      '--client-id',
      b2c.clientId,
      '--tenant',
      workforce.tenantId,
    ]);
    expect(ids(wrong.json.findings)).toEqual(['problem b2c_token']);
    expect(wrong.json.findings[0].detail).toContain(`from the policy ${SIGN_UP.toLowerCase()} in acr`);

    // Workforce v1.0 tokens say acr "1": no B2C about them.
    const v1 = await runJson([
      'explain',
      workforce.createToken({}, { version: '1.0' }),
      '--client-id',
      workforce.clientId,
    ]);
    expect(ids(v1.json.findings)).toEqual(['note v1_token']);
  });

  it('an issuer on b2clogin.com names the host to configure', async () => {
    const iss = `https://contoso.b2clogin.com/${b2c.tenantId}/v2.0/`;
    const { json } = await runJson([
      'explain',
      b2c.createToken({ iss }),
      '--client-id',
      b2c.clientId,
      '--tenant',
      workforce.tenantId,
    ]);
    expect(ids(json.findings)).toEqual(['problem b2c_token']);
    expect(json.findings[0].fix).toContain(
      `--b2c-domain contoso.b2clogin.com --tenant <tenant> --b2c-policy ${SIGN_UP}`,
    );
  });
});

describe.concurrent('Entra External ID', () => {
  it('verify: an External ID token sent to a workforce validator names the externalId options', async () => {
    const token = externalId.createToken();
    const { code, json } = await runJson(['verify', token, ...workforceApi(externalId.clientId)]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ check: 'kid', reason: 'external_id_token' });
    expect(json.error.detail).toContain(
      `This is a Microsoft Entra External ID token (iss ${externalId.issuer}, tenant ${externalId.tenantId})`,
    );
    expect(json.error.hint).toContain(`externalId: { tenantId: '${externalId.tenantId}' }`);
    expect(json.error.hint).toContain(`--external-id --tenant ${externalId.tenantId}`);

    const fixed = await runJson([
      'verify',
      token,
      '--external-id',
      '--tenant',
      externalId.tenantId,
      '--domain',
      externalId.authority,
      '--client-id',
      externalId.clientId,
    ]);
    expect(fixed.code).toBe(0);
    expect(fixed.json.config.flavour).toBe('externalId');
  });

  it('verify: a v2.0 External ID token, where only v1.0 is accepted: External ID issues v2.0 only', async () => {
    const token = externalId.createToken();
    const discovery = `${externalId.authority}/${externalId.tenantId}/v2.0/.well-known/openid-configuration`;
    const args = [
      '--tenant',
      externalId.tenantId,
      '--client-id',
      externalId.clientId,
      '--discovery-url',
      discovery,
      '--token-version',
      '1.0',
    ];
    const { code, json } = await runJson(['verify', token, ...args]);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({
      code: 'unsupported_token_version',
      check: 'ver',
      reason: 'token_version',
    });
    expect(json.error.detail).toContain(
      'external tenants issue v2.0 tokens only, and this validator accepts v1.0 only',
    );
    expect(json.error.hint).toContain('drop --token-version 1.0');
    expect(json.error.hint).toContain(`--external-id --tenant ${externalId.tenantId}`);
  });

  it('explain: the same two mistakes, offline', async () => {
    const token = externalId.createToken();
    const wrongFlavour = await runJson([
      'explain',
      token,
      '--client-id',
      externalId.clientId,
      '--tenant',
      workforce.tenantId,
    ]);
    expect(wrongFlavour.code).toBe(1);
    expect(ids(wrongFlavour.json.findings)).toEqual(['problem external_id_token']);

    const v1Only = await runJson([
      'explain',
      token,
      '--client-id',
      externalId.clientId,
      '--token-version',
      '1.0',
    ]);
    expect(v1Only.code).toBe(1);
    expect(v1Only.json.findings[0]).toMatchObject({
      id: 'token_version',
      check: 'ver',
      title: 'An Entra External ID token (v2.0), where only v1.0 tokens are accepted',
    });

    const configured = await runJson([
      'explain',
      token,
      '--client-id',
      externalId.clientId,
      '--external-id',
      '--tenant',
      externalId.tenantId,
    ]);
    expect(configured.code).toBe(0);
    expect(configured.json.findings).toEqual([]);

    const unknown = await runJson(['explain', token, '--client-id', externalId.clientId]);
    expect(ids(unknown.json.findings)).toEqual(['note external_id_token']);
  });
});

describe.concurrent('national clouds', () => {
  const chinaV1 = (): string => china.createToken({}, { version: '1.0' });
  const usgovV2 = (): string =>
    usgov.createToken({ iss: `https://login.microsoftonline.us/${usgov.tenantId}/v2.0` });

  it('verify: a China token sent to a public-cloud validator: set --cloud china', async () => {
    const args = ['--tenant', china.tenantId, '--client-id', china.clientId, '--authority', china.authority];
    const token = chinaV1();
    const { code, json } = await runJson(['verify', token, ...args]);
    expect(code).toBe(1);
    expect(`${json.error.code} ${json.error.check}`).toBe(
      await coreVerdict(token, {
        tenantId: china.tenantId,
        clientId: china.clientId,
        authority: china.authority,
      }),
    );
    expect(json.error).toMatchObject({ check: 'keys', reason: 'other_cloud' });
    expect(json.error.detail).toContain(
      'Azure operated by 21Vianet (China) (iss https://sts.chinacloudapi.cn/',
    );
    expect(json.error.hint).toContain("Set cloud: 'china' (CLI: --cloud china)");

    const fixed = await runJson(['verify', token, ...args, '--cloud', 'china']);
    expect(fixed.code).toBe(0);
  });

  it('verify: a US Government token to a public-cloud validator, and a public-cloud token to a US Government one', async () => {
    const args = ['--tenant', usgov.tenantId, '--client-id', usgov.clientId, '--authority', usgov.authority];
    const toPublic = await runJson(['verify', usgovV2(), ...args]);
    expect(toPublic.json.error).toMatchObject({ check: 'iss', reason: 'other_cloud' });
    expect(toPublic.json.error.hint).toContain("Set cloud: 'usgov' (CLI: --cloud usgov)");

    const publicToken = workforce.createToken({
      iss: `https://login.microsoftonline.com/${workforce.tenantId}/v2.0`,
    });
    const { json } = await runJson([
      'verify',
      publicToken,
      ...workforceApi(workforce.clientId),
      '--cloud',
      'usgov',
    ]);
    expect(json.error).toMatchObject({ check: 'iss', reason: 'other_cloud' });
    expect(json.error.detail).toContain(
      'This validator is set up for a workforce tenant of Azure US Government (https://login.microsoftonline.us)',
    );
    expect(json.error.hint).toContain("Set cloud: 'public' (CLI: --cloud public)");
    expect(json.error.hint).toContain('The public cloud is the default');
  });

  it('explain: a problem when the API is of another cloud, a note when it is not said', async () => {
    const wrong = await runJson([
      'explain',
      chinaV1(),
      '--client-id',
      china.clientId,
      '--tenant',
      china.tenantId,
    ]);
    expect(wrong.code).toBe(1);
    expect(ids(wrong.json.findings)).toEqual(['problem other_cloud', 'note v1_token']);
    expect(wrong.json.findings[0].fix).toContain('--cloud china');

    const right = await runJson([
      'explain',
      chinaV1(),
      '--client-id',
      china.clientId,
      '--tenant',
      china.tenantId,
      '--cloud',
      'china',
    ]);
    expect(right.code).toBe(0);
    expect(ids(right.json.findings)).toEqual(['note v1_token']);

    const unsaid = await runJson(['explain', usgovV2(), '--client-id', usgov.clientId]);
    expect(unsaid.code).toBe(0);
    expect(ids(unsaid.json.findings)).toEqual(['note other_cloud']);
    expect(unsaid.json.findings[0].title).toBe('A token of Azure US Government');
  });
});

describe.concurrent('flavour options: usage errors (exit 2)', () => {
  const token = (): string => workforce.createToken();
  const cases: [string[], RegExp][] = [
    [
      ['verify', '--b2c-policy', SIGN_UP, '--tenant', 'contoso.onmicrosoft.com', '--client-id', 'x'],
      /verify --b2c-policy needs --b2c-domain/,
    ],
    [
      [
        'verify',
        '--b2c-domain',
        'contoso.b2clogin.com',
        '--tenant',
        'contoso.onmicrosoft.com',
        '--client-id',
        'x',
      ],
      /verify --b2c-domain needs --b2c-policy/,
    ],
    [
      ['verify', '--b2c-domain', 'contoso.b2clogin.com', '--b2c-policy', SIGN_UP, '--client-id', 'x'],
      /needs --tenant <the B2C tenant/,
    ],
    [
      ['verify', '--external-id', '--client-id', 'x'],
      /verify --external-id needs --tenant <the external tenant's GUID>/,
    ],
    [
      [
        'verify',
        '--b2c-domain',
        'contoso.b2clogin.com',
        '--b2c-policy',
        SIGN_UP,
        '--external-id',
        '--tenant',
        't',
        '--client-id',
        'x',
      ],
      /exclude each other/,
    ],
    [
      ['verify', '--domain', 'contoso.ciamlogin.com', '--tenant', 't', '--client-id', 'x'],
      /--domain goes with --external-id/,
    ],
    [
      ['verify', '--external-id', '--cloud', 'usgov', '--tenant', 't', '--client-id', 'x'],
      /--cloud is for a workforce tenant and does not apply to Entra External ID/,
    ],
    [
      [
        'verify',
        '--b2c-domain',
        'c.b2clogin.com',
        '--b2c-policy',
        SIGN_UP,
        '--authority',
        'https://login.microsoftonline.com',
        '--tenant',
        't',
        '--client-id',
        'x',
      ],
      /--authority is for a workforce tenant and does not apply to Azure AD B2C/,
    ],
    [['explain', '--cloud', 'germany'], /--cloud must be public, usgov or china/],
    [['explain', '--b2c-policy', SIGN_UP, '--external-id'], /exclude each other/],
  ];
  for (const [args, message] of cases) {
    it(args.filter((a) => a.startsWith('--')).join(' '), async () => {
      const [command, ...rest] = args;
      const run = await runCli([command as string, token(), ...rest]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
    });
  }

  it("the core's own refusal of a flavour's values is a usage error too, with its message", async () => {
    const run = await runJson([
      'verify',
      token(),
      '--external-id',
      '--tenant',
      'contoso.onmicrosoft.com',
      '--client-id',
      workforce.clientId,
    ]);
    expect(run.code).toBe(2);
    expect(run.json.error).toMatchObject({
      code: 'invalid_configuration',
      message: expect.stringContaining("externalId.tenantId must be the external tenant's GUID"),
    });
    const policy = await runJson(['explain', token(), '--b2c-policy', 'signupsignin']);
    expect(policy.code).toBe(2);
    expect(policy.json.error.message).toContain('b2c.policies must contain policy ids as B2C names them');
  });
});
