import { execFileSync } from 'node:child_process';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, fakeJwt, runCli, runJson } from './helpers.js';

/** util-linux `script` gives the bin a terminal; without it the colour test is skipped. */
const hasScript = ((): boolean => {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let entra: MockEntra;
beforeAll(async () => {
  entra = await createMockEntra();
});
afterAll(async () => {
  await entra?.close();
});

describe.concurrent('entra-token decode', () => {
  it('prints the header, the claims with times in words, and a one-line summary; says nothing is verified', async () => {
    const token = entra.createToken({}, { expiresIn: 42 * 60 + 30 });
    const run = await runCli(['decode', token]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('NOT verified');
    expect(run.stdout).toMatch(
      new RegExp(
        `Summary {2}v2\\.0 access token, delegated, tenant ${entra.tenantId}, audience ${entra.clientId}, scopes: access_as_user, expires in 42 min`,
      ),
    );
    expect(run.stdout).toContain(`kid  ${entra.currentKid}`);
    const { iat } = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as {
      iat: number;
    };
    expect(run.stdout).toMatch(
      new RegExp(`iat +${iat}  ${new Date(iat * 1000).toISOString()}  issued \\d+ s ago`),
    );
    expect(run.stdout).toMatch(/exp +\d+ {2}\S+Z {2}expires in 42 min/);
    expect(run.stdout).not.toContain('\u001b['); // not a TTY: no colours
  });

  it('shows an expired token as "expired 1 h ago", and an app-only v1 token with its roles', async () => {
    const expired = await runCli(['decode', entra.createToken({}, { issuedAt: -7200, expiresIn: 3600 })]);
    expect(expired.code).toBe(0);
    expect(expired.stdout).toMatch(/expired 1 h ago/);

    const app = await runCli(['decode', entra.createToken({}, { kind: 'app', version: '1.0' })]);
    expect(app.stdout).toContain(
      `v1.0 access token, app-only, tenant ${entra.tenantId}, audience api://${entra.clientId}, roles: access_as_application`,
    );
  });

  it('--json prints a stable shape', async () => {
    const token = entra.createToken({}, { kind: 'guest' });
    const { code, json } = await runJson(['decode', token]);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      schemaVersion: 1,
      command: 'decode',
      verified: false,
      header: { alg: 'RS256', kid: entra.currentKid, typ: 'JWT' },
      payload: { aud: entra.clientId, tid: entra.tenantId, ver: '2.0', scp: 'access_as_user' },
      summary: {
        kind: 'access_token',
        version: '2.0',
        identity: 'delegated',
        tenantId: entra.tenantId,
        audience: entra.clientId,
        issuer: entra.issuer,
        clientId: entra.clientAppId,
        scopes: ['access_as_user'],
        roles: [],
        isGuest: true,
        expired: false,
        notYetValid: false,
      },
    });
    expect(json.summary.times.exp).toEqual({
      value: json.payload.exp,
      date: new Date(json.payload.exp * 1000).toISOString(),
      relative: 'expires in 1 h',
    });
    expect(Object.keys(json.summary.times)).toEqual(['iat', 'nbf', 'exp']);
    expect(json.summary.text).toContain('guest user');
  });

  it('reads the token from standard input (no argument, or -), without whitespace or a Bearer prefix', async () => {
    const token = entra.createToken();
    const runs = await Promise.all([
      runJson(['decode'], { input: `Bearer ${token}\n` }),
      runJson(['decode', '-'], { input: `  \n${token}  \n` }),
      runJson(['decode', `  Bearer ${token} `]),
      runJson(['decode', `"${token}"`]),
    ]);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.json.payload).toEqual(payload);
    }
    const human = await runCli(['decode'], { input: token });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Summary  v2.0 access token');
  });

  it.skipIf(!hasScript)('colours only on a terminal, and not with NO_COLOR', async () => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} decode ${entra.createToken()}`;
    const tty = await runCli([], { command: ['script', '-qec', command, '/dev/null'] });
    expect(tty.stdout).toContain('\u001b[1mSummary\u001b[22m');
    const noColor = await runCli([], {
      command: ['script', '-qec', command, '/dev/null'],
      env: { NO_COLOR: '1' },
    });
    expect(noColor.stdout).toContain('Summary');
    expect(noColor.stdout).not.toContain('\u001b[');
  });

  it('neutralises terminal escapes a token carries in its claims', async () => {
    const run = await runCli(['decode', entra.createToken({ name: 'Eve \u001b[2J\u001b]0;pwned\u0007' })]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/[\u001b\u0007]/);
    expect(run.stdout).toContain('Eve \uFFFD[2J\uFFFD]0;pwned\uFFFD');
  });

  it('names Graph and ID tokens in the summary', async () => {
    const graph = await runJson(['decode', entra.createToken({}, { kind: 'graph' })]);
    expect(graph.json.summary.kind).toBe('graph_token');
    expect(graph.json.summary.text).toMatch(/^v2\.0 Microsoft Graph token, delegated/);
    const id = await runJson(['decode', entra.createToken({}, { kind: 'id' })]);
    expect(id.json.summary.kind).toBe('id_token');
    expect(id.json.summary.text).toMatch(/^v2\.0 ID token, tenant/);
  });
});

describe.concurrent('input that is not a JWT, and bad usage: one line on stderr, exit 2', () => {
  it.each([
    ['not-a-token', /no dots/],
    ['a.b', /expected three parts separated by dots, found 2/],
    ['a.b.c.d.e', /encrypted token \(JWE/],
    ['eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln', /base64url-encoded JSON objects/],
  ])('decode %s', async (input, message) => {
    const run = await runCli(['decode', input]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toMatch(/^entra-token: the input is/);
    expect(run.stderr).toMatch(message);
  });

  it('--json reports the error as JSON', async () => {
    const { code, json } = await runJson(['decode', 'nope']);
    expect(code).toBe(2);
    expect(json).toEqual({
      schemaVersion: 1,
      command: 'decode',
      error: { code: 'not_a_jwt', message: expect.stringContaining('not a JWT') },
    });
  });

  it('empty standard input, extra arguments, unknown options, unknown commands, no command', async () => {
    const cases: [string[], RegExp][] = [
      [['decode'], /no token on standard input/],
      [['decode', 'a', 'b'], /expected one token, got 2 arguments/],
      [['decode', '--frobnicate', fakeJwt({ alg: 'RS256' }, {})], /Unknown option '--frobnicate'/],
      [['verify', '--tenant'], /--tenant/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['--frobnicate'], /unknown option '--frobnicate'/],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(args)));
    runs.forEach((run, n) => {
      const [args, message] = cases[n] as [string[], RegExp];
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
    });
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage');
  });
});

describe.concurrent('help and version', () => {
  it('--help for the tool and for each command, exit 0', async () => {
    const main = await runCli(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/Usage[\s\S]*decode[\s\S]*verify[\s\S]*explain[\s\S]*Exit codes/);
    const commands = ['decode', 'verify', 'explain'];
    const runs = await Promise.all(commands.map((command) => runCli([command, '--help'])));
    runs.forEach((run, n) => {
      const command = commands[n] as string;
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toMatch(new RegExp(`^entra-token ${command}:`));
      expect(run.stdout, command).toContain('Exit codes');
    });
    expect((await runCli(['help', 'explain'])).stdout).toBe(runs[2]?.stdout);
    expect((await runCli(['verify', '-h'])).stdout).toContain('--allowed-tenant <guid>');
  });

  it('--version prints the package version', async () => {
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
