import { createEntraValidator, isEntraAuthError } from '@org/entra-core';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from './helpers.js';

const OTHER_TENANT = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const CONSUMERS = '9188040d-6c67-4c5b-b112-36a304b66dad';

let entra: MockEntra;
beforeAll(async () => {
  entra = await createMockEntra();
});
afterAll(async () => {
  await entra?.close();
});

interface Finding {
  id: string;
  severity: 'problem' | 'warning' | 'note';
  check?: string;
  title: string;
  detail: string;
  fix: string;
}

/** Runs explain --json with the API's expectations; returns the exit code and the findings. */
async function explain(
  token: string,
  ...args: string[]
): Promise<{ code: number | null; findings: Finding[]; json: any }> {
  const { code, json } = await runJson(['explain', token, ...args]);
  // The local issuer is not the public cloud: that note is tested once, on its own.
  return {
    code,
    findings: json.findings.filter((f: Finding) => f.id !== 'other_issuer' || f.severity !== 'note'),
    json,
  };
}

const api = (): string[] => ['--client-id', entra.clientId, '--tenant', entra.tenantId];

describe.concurrent('entra-token explain', () => {
  it('a good token: nothing wrong, exit 0', async () => {
    const iss = `https://login.microsoftonline.com/${entra.tenantId}/v2.0`;
    const run = await runCli(['explain', entra.createToken({ iss }), ...api()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ No common mistake found.');
    expect(run.stdout).toContain('Result: no problem found.');
    expect(run.stdout).toContain('the signature and the issuer were not verified');
  });

  it('--json: a stable shape', async () => {
    const { code, json } = await explain(entra.createToken({}, { version: '1.0' }));
    expect(code).toBe(0);
    expect(json).toMatchObject({ schemaVersion: 1, command: 'explain', verified: false, ok: true });
    expect(json.findings).toEqual([
      {
        id: 'v1_token',
        severity: 'note',
        title: expect.stringContaining('accessTokenAcceptedVersion'),
        detail: expect.any(String),
        fix: expect.any(String),
      },
    ]);
    expect(json.summary.kind).toBe('access_token');
    expect(json.notChecked).toEqual([
      'audience (pass --audience or --client-id)',
      'tenant (pass --tenant)',
      'signature and issuer keys (run entra-token verify)',
    ]);
  });

  it('a Microsoft Graph token: request your API scope instead of User.Read', async () => {
    const { code, findings } = await explain(entra.createToken({}, { kind: 'graph' }), ...api());
    expect(code).toBe(1);
    expect(findings[0]).toMatchObject({ id: 'graph_token', severity: 'problem', check: 'foreign' });
    expect(findings[0]?.detail).toMatch(/Graph scopes such as User\.Read \(its scp: User\.Read/);
    expect(findings[0]?.fix).toContain(`scope api://${entra.clientId}/.default`);

    const human = await runCli(['explain', entra.createToken({}, { kind: 'graph' }), ...api()]);
    expect(human.stdout).toMatch(/✗ Problem: This is a Microsoft Graph token/);
    expect(human.stdout).toMatch(/ {4}Fix: Request a token for your API/);
    expect(human.stdout).toContain('Result: 1 problem found.');
  });

  it('an ID token: send the access token', async () => {
    const { code, findings } = await explain(entra.createToken({}, { kind: 'id' }), ...api());
    expect(code).toBe(1);
    expect(findings.map((f) => f.id)).toEqual(['id_token']);
    expect(findings[0]?.fix).toMatch(/^Send the access token, not the ID token/);
  });

  it('a token for another Microsoft service (Azure Resource Manager)', async () => {
    const token = entra.createToken({ aud: 'https://management.azure.com/' });
    const { code, findings } = await explain(token, ...api());
    expect(code).toBe(1);
    expect(findings[0]).toMatchObject({
      id: 'microsoft_resource_token',
      severity: 'problem',
      check: 'foreign',
    });
    expect(findings[0]?.detail).toContain('Azure Resource Manager');
    expect(findings[0]?.fix).toContain(`api://${entra.clientId}/.default`);
  });

  it('a v1 token where v2 is expected (stated, or shown by the audience form), and the reverse', async () => {
    const v1 = entra.createToken({}, { version: '1.0' });
    const [stated, implied, reverse] = await Promise.all([
      explain(v1, ...api(), '--token-version', '2.0'),
      explain(v1, '--audience', entra.clientId),
      explain(entra.createToken(), ...api(), '--token-version', '1.0'),
    ]);
    expect(stated.code).toBe(1);
    expect(stated.findings[0]).toMatchObject({
      id: 'token_version',
      title: 'A v1.0 token where v2.0 is expected',
    });
    expect(stated.findings[0]?.detail).toContain(`iss https://sts.windows.net/${entra.tenantId}/`);
    expect(stated.findings[0]?.fix).toContain('accessTokenAcceptedVersion to 2');

    expect(implied.code).toBe(1);
    expect(implied.findings.map((f) => f.id)).toEqual(['token_version']);
    expect(implied.findings[0]?.detail).toContain(`aud is api://${entra.clientId}`);
    expect(implied.findings[0]?.fix).toContain(`clientId ${entra.clientId}`);

    expect(reverse.code).toBe(1);
    expect(reverse.findings[0]?.title).toBe('A v2.0 token where v1.0 is expected');
    expect(reverse.findings[0]?.fix).toContain('accessTokenAcceptedVersion to null');
  });

  it('a v1 token with no stated expectation: a note, exit 0', async () => {
    const { code, findings } = await explain(entra.createToken({}, { version: '1.0' }), ...api());
    expect(code).toBe(0);
    expect(findings.map((f) => [f.id, f.severity])).toEqual([['v1_token', 'note']]);
  });

  it('a token for another API, and an audience that differs by a trailing slash', async () => {
    const other = await explain(entra.createToken(), '--audience', 'api://orders-api');
    expect(other.code).toBe(1);
    expect(other.findings[0]).toMatchObject({
      id: 'audience',
      title: 'The token is for another API (audience mismatch)',
    });
    expect(other.findings[0]?.fix).toContain('api://orders-api/.default');

    const slash = await explain(
      entra.createToken({ aud: 'api://orders-api/' }),
      '--audience',
      'api://orders-api',
    );
    expect(slash.findings[0]).toMatchObject({
      id: 'audience',
      title: 'The audience differs by a trailing slash',
    });
  });

  it('another tenant (with --tenant), with the multi-tenant way out', async () => {
    const { code, findings } = await explain(entra.createToken({}, { tenantId: OTHER_TENANT }), ...api());
    expect(code).toBe(1);
    expect(findings[0]).toMatchObject({ id: 'tenant', title: 'The token is from another tenant' });
    expect(findings[0]?.detail).toContain(`issued by tenant ${OTHER_TENANT}`);
    expect(findings[0]?.fix).toContain(`--tenant organizations --allowed-tenant ${OTHER_TENANT}`);
  });

  it('a personal account where organizations is configured', async () => {
    const { code, findings } = await explain(
      entra.createToken({ tid: CONSUMERS }),
      '--tenant',
      'organizations',
    );
    expect(code).toBe(1);
    expect(findings[0]?.detail).toContain('personal Microsoft account');
  });

  it('expired: how long ago; within the clock tolerance only a warning', async () => {
    const run = await runCli([
      'explain',
      entra.createToken({}, { issuedAt: -7200, expiresIn: 3600 }),
      ...api(),
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ Problem: The token expired 1 h ago/);

    const recent = await explain(entra.createToken({}, { issuedAt: -3660, expiresIn: 3600 }), ...api());
    expect(recent.code).toBe(0);
    expect(recent.findings[0]).toMatchObject({ id: 'expired', severity: 'warning' });
    expect(recent.findings[0]?.title).toMatch(/^The token expired 1 min ago \(still accepted for 4 min/);
  });

  it('not yet valid: for how long', async () => {
    const { code, findings } = await explain(
      entra.createToken({}, { notBefore: 3600, expiresIn: 7200 }),
      ...api(),
    );
    expect(code).toBe(1);
    expect(findings[0]).toMatchObject({
      id: 'not_yet_valid',
      title: 'The token is not valid for another 1 h',
    });
  });

  it('no scp and no roles: delegated (consent) and app-only (app roles must be granted)', async () => {
    const delegated = await explain(entra.createToken({ scp: undefined }), ...api());
    expect(delegated.code).toBe(1);
    expect(delegated.findings[0]).toMatchObject({ id: 'no_permissions', severity: 'problem' });
    expect(delegated.findings[0]?.fix).toMatch(/Expose an API.*consent/);

    const app = await explain(entra.createToken({ roles: undefined }, { kind: 'app' }), ...api());
    expect(app.code).toBe(1);
    expect(app.findings[0]?.title).toMatch(/^No roles in an app-only token/);
    expect(app.findings[0]?.fix).toMatch(/grant admin consent.*App roles must be granted/);
  });

  it('a guest user: a note, exit 0', async () => {
    const { code, findings } = await explain(entra.createToken({}, { kind: 'guest' }), ...api());
    expect(code).toBe(0);
    expect(findings.map((f) => [f.id, f.severity])).toEqual([['guest', 'note']]);
    expect(findings[0]?.fix).toContain('tid + oid');
  });

  it('a multi-tenant configuration: a note on choosing tenants', async () => {
    const { code, findings } = await explain(
      entra.createToken({}, { tenantId: OTHER_TENANT }),
      '--client-id',
      entra.clientId,
      '--tenant',
      'organizations',
    );
    expect(code).toBe(0);
    expect(findings.map((f) => f.id)).toEqual(['multi_tenant']);
    expect(findings[0]?.fix).toContain(`allowedTenants ['${OTHER_TENANT}'`);
  });

  it('an issuer outside the public cloud: a note (national cloud, B2C, External ID)', async () => {
    const { json } = await runJson(['explain', entra.createToken()]);
    expect(json.ok).toBe(true);
    expect(json.findings.map((f: Finding) => [f.id, f.severity])).toEqual([['other_issuer', 'note']]);
    expect(json.findings[0].detail).toContain(entra.issuer);
  });

  it('a header Entra never writes (HS256)', async () => {
    const { code, findings } = await explain(entra.createToken({}, { header: { alg: 'HS256' } }), ...api());
    expect(code).toBe(1);
    expect(findings[0]).toMatchObject({ id: 'not_entra_signed', check: 'alg' });
  });

  it.each([
    ['a typ other than JWT', {}, { header: { typ: 'at+jwt' } }, 'not_entra_signed', 'typ'],
    ['a crit header', {}, { header: { crit: ['exp'] } }, 'not_entra_signed', 'header'],
    ['longer than maxTokenLength', { padding: 'x'.repeat(17_000) }, {}, 'too_long', 'length'],
    ['a user token without oid or sub', { oid: undefined, sub: undefined }, {}, 'no_user', 'format'],
    ['exp not a number', { exp: 'tomorrow' }, {}, 'expired', 'exp'],
    ['no iss', { iss: undefined }, {}, 'other_issuer', 'iss'],
    ['an iss that is not https', { iss: 'http://issuer.example/tenant/' }, {}, 'other_issuer', 'iss'],
  ] as const)(
    "the validator's own rules: %s is a problem, at the check the core names",
    async (_, claims, options, id, check) => {
      const token = entra.createToken({ ...claims }, { ...options });
      const { code, findings } = await explain(token, ...api());
      expect(code).toBe(1);
      expect(findings.filter((f) => f.severity === 'problem')).toEqual([
        expect.objectContaining({ id, check }),
      ]);
      // The same word as the core's own validator, online.
      const validator = createEntraValidator(entra.validatorOptions({ tokenCache: false }));
      const refusal = await validator.verify(token).then(
        () => undefined,
        (e: unknown) => (isEntraAuthError(e) ? e.check : e),
      );
      validator.close();
      expect(refusal).toBe(check);
    },
  );

  it('the signature is taken on trust offline (verify checks it): a tampered token is explained, not refused', async () => {
    const [h, p] = entra.createToken().split('.') as [string, string];
    const { code, json } = await explain(
      `${h}.${p}.${Buffer.from('forged').toString('base64url')}`,
      ...api(),
    );
    expect(code).toBe(0);
    expect(json.notChecked).toContain('signature and issuer keys (run entra-token verify)');
  });

  it('makes no request: the issuer the token names is stood in for in the process', async () => {
    const quiet = await createMockEntra();
    try {
      const tokens = [
        quiet.createToken(),
        quiet.createToken({}, { version: '1.0' }),
        quiet.createToken({}, { kind: 'id' }),
        quiet.createToken({ scp: undefined }, { issuedAt: -7200, expiresIn: 3600 }),
      ];
      const runs = await Promise.all(
        tokens.map((token) => runJson(['explain', token, '--client-id', quiet.clientId])),
      );
      expect(runs.map((run) => run.code)).toEqual([0, 0, 1, 1]);
      expect(quiet.requestCount()).toBe(0);
    } finally {
      await quiet.close();
    }
  });

  it('several problems at once, problems before notes', async () => {
    const token = entra.createToken({ scp: undefined }, { kind: 'guest', issuedAt: -7200, expiresIn: 3600 });
    const { code, findings } = await explain(token, ...api());
    expect(code).toBe(1);
    expect(findings.map((f) => [f.id, f.check])).toEqual([
      ['expired', 'exp'],
      ['no_permissions', 'scp'],
      ['guest', undefined],
    ]);
  });

  it('bad usage: a --client-id that is not a GUID, a bad --token-version (exit 2)', async () => {
    const token = entra.createToken();
    const id = await runCli(['explain', token, '--client-id', 'api://x']);
    expect(id.code).toBe(2);
    expect(id.stderr).toMatch(/clientId must be the API's application \(client\) ID/);
    const ver = await runCli(['explain', token, '--token-version', '3.0']);
    expect(ver.code).toBe(2);
  });
});
