#!/usr/bin/env node
/**
 * The `entra-token` bin: parse the arguments, read the token, run one command, print, exit.
 *
 * Exit codes: 0 valid / nothing wrong, 1 token rejected / problem found / issuer unreachable,
 * 2 bad usage or input that is not a JWT, 3 internal error.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { EntraCloud, EntraTokenVersion } from '@org/entra-core';
import { decodeToken, renderDecode } from './commands/decode.js';
import { explainToken, renderExplain } from './commands/explain.js';
import { renderVerify, verifyToken } from './commands/verify.js';
import { createStyle, type Style } from './format.js';
import { UsageError } from './token.js';

const COMMANDS = ['decode', 'verify', 'explain'] as const;
type Command = (typeof COMMANDS)[number];

/** Largest standard input read: far above any real token (the validator's maxTokenLength is much less). */
const MAX_STDIN_BYTES = 1024 * 1024;

const MAIN_HELP = `entra-token: decode, verify and explain Microsoft Entra ID access tokens

Usage
  entra-token decode  <token> [--json]
  entra-token verify  <token> --tenant <id> (--audience <aud> | --client-id <guid>) [options] [--json]
  entra-token explain <token> [--audience <aud>] [--client-id <guid>] [--tenant <id>] [options] [--json]

Azure AD B2C: --b2c-domain <host> --b2c-policy <B2C_1_...> (--tenant is the B2C tenant).
Entra External ID: --external-id [--domain <host>] (--tenant is the external tenant's GUID).
National clouds: --cloud usgov | china.

Commands
  decode    Show the header and claims, times in words, and a one-line summary. Verifies nothing.
  verify    Run the real validator (discovery, keys, signature, Entra's claim rules) and show each
            check with a pass/fail mark; the failing one is explained.
  explain   Run the validator offline (the signature taken on trust) and explain every problem
            (Graph or ID token, wrong audience, v1/v2, tenant, expiry, missing permissions).

The token
  Pass it as the argument, or '-' (or nothing) to read it from standard input. Whitespace, quotes
  and a leading 'Bearer ' are removed.

Options
  --json          Machine-readable output (see the README for the shape)
  -h, --help      Help; 'entra-token <command> --help' for a command's options
  -v, --version   The version

Exit codes
  0  valid / nothing wrong      1  rejected / problem found / issuer unreachable
  2  bad usage, or not a JWT    3  internal error
`;

const HELP: Readonly<Record<Command, string>> = {
  decode: `entra-token decode: show a token's header and claims. Nothing is verified.

Usage
  entra-token decode <token> [--json]
  pbpaste | entra-token decode

Shows the header and the claims, the times (iat, nbf, exp) as ISO dates with "expires in 42 min" or
"expired 3 h ago", and a one-line summary: version, delegated or app-only, tenant, audience, scopes
and roles.

Options
  --json       Print the result as JSON
  -h, --help   This help

Exit codes
  0  decoded    2  bad usage, or the input is not a JWT
`,
  verify: `entra-token verify: verify a token with the real validator of @org/entra-core.

Usage
  entra-token verify <token> --tenant <id> (--audience <aud> | --client-id <guid>) [options]
  entra-token verify <token> --b2c-domain <host> --b2c-policy <policy> --tenant <b2c tenant> --client-id <guid>
  entra-token verify <token> --external-id --tenant <external tenant guid> --client-id <guid>

Fetches the issuer's discovery document and keys, checks the signature and Entra's claim rules,
and prints the validator's checks in order: passed, failed (with the reason and the fix), or not
checked. On success prints the principal (tenantId, objectId, clientId, scopes, roles, ...).

Options
  -t, --tenant <id>          Tenant GUID, verified domain, or common / organizations / consumers (required)
  -a, --audience <aud>       An accepted aud value; repeat for several
  --client-id <guid>         The API's application (client) id: accepts <guid> and api://<guid>
  --authority <url>          Authority base URL (default https://login.microsoftonline.com;
                             http: only for loopback, e.g. http://127.0.0.1:8080)
  --cloud <name>             public (default), usgov or china
  --discovery-url <url>      A full v2.0 discovery URL (a proxy, app-specific keys with ?appid=)
  --b2c-domain <host>        Azure AD B2C: the host users sign in on (contoso.b2clogin.com or a
                             custom domain); --tenant is then the B2C tenant (GUID or name.onmicrosoft.com)
  --b2c-policy <policy>      Azure AD B2C: a user flow or custom policy whose tokens are accepted
                             (B2C_1_signupsignin, B2C_1A_...); repeat for several
  --external-id              Entra External ID (customer tenant); --tenant is then its GUID
  --domain <host>            External ID: where the metadata is served (default <tenant>.ciamlogin.com)
  --allow-any-tenant         Multi-tenant (common / organizations): accept every tenant
  --allowed-tenant <guid>    Multi-tenant: a tenant to accept; repeat for several
  --token-version <ver>      1.0 or 2.0: the only version accepted; repeat for both (default both)
  --timeout <ms>             Timeout of each request to the issuer (default 5000)
  --json                     Print the result as JSON
  -h, --help                 This help

Exit codes
  0  valid    1  rejected, or the issuer unreachable (keys_unavailable)    2  bad usage, or not a JWT
`,
  explain: `entra-token explain: diagnose the usual mistakes, offline.

Usage
  entra-token explain <token> [--audience <aud>] [--client-id <guid>] [--tenant <id>] [--token-version <ver>]
                             [--cloud <name> | --b2c-policy <policy> | --external-id]

Runs the validator of @org/entra-core on the token without the network: nothing is fetched, the
signature and the issuer are taken on trust (entra-token verify checks them). Reports every problem,
each with its fix: a Microsoft Graph token, an ID token, a token for another Microsoft service, a v1
token where v2 is expected (or the reverse), an audience mismatch, another tenant, an expired or not
yet valid token, no scp and no roles, a header Entra never writes, an Azure AD B2C, External ID or
national-cloud token where the API is configured otherwise; then notes (a guest user, multi-tenant
settings, what flavour of Entra the token is from). The audience and tenant checks need the options
below; --tenant alone means a workforce tenant of the public cloud, as in verify.

Options
  -a, --audience <aud>       An accepted aud value; repeat for several
  --client-id <guid>         The API's application (client) id: accepts <guid> and api://<guid>
  -t, --tenant <id>          The API's tenant: GUID, domain, or common / organizations / consumers
  --token-version <ver>      The token version the API expects: 1.0 or 2.0
  --cloud <name>             The API's national cloud: public, usgov or china
  --b2c-policy <policy>      Azure AD B2C: an accepted user flow or custom policy; repeat for several
  --b2c-domain <host>        Azure AD B2C: the sign-in host (taken on trust offline)
  --external-id              Entra External ID: the API trusts an external (customer) tenant
  --domain <host>            External ID: where its metadata is served (taken on trust offline)
  --json                     Print the result as JSON
  -h, --help                 This help

Exit codes
  0  nothing wrong    1  a problem was found    2  bad usage, or not a JWT
`,
};

const COMMON = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Where tokens come from, beside `--tenant`: the flavours of Entra and the national clouds. */
const FLAVOUR = {
  cloud: { type: 'string' },
  'b2c-domain': { type: 'string' },
  'b2c-policy': { type: 'string', multiple: true },
  'external-id': { type: 'boolean' },
  domain: { type: 'string' },
} as const;

const OPTIONS = {
  decode: { ...COMMON },
  verify: {
    ...COMMON,
    tenant: { type: 'string', short: 't' },
    audience: { type: 'string', short: 'a', multiple: true },
    'client-id': { type: 'string' },
    authority: { type: 'string' },
    ...FLAVOUR,
    'discovery-url': { type: 'string' },
    'allow-any-tenant': { type: 'boolean' },
    'allowed-tenant': { type: 'string', multiple: true },
    'token-version': { type: 'string', multiple: true },
    timeout: { type: 'string' },
  },
  explain: {
    ...COMMON,
    tenant: { type: 'string', short: 't' },
    audience: { type: 'string', short: 'a', multiple: true },
    'client-id': { type: 'string' },
    'token-version': { type: 'string' },
    ...FLAVOUR,
  },
} as const;

interface Io {
  json: boolean;
  command: Command | undefined;
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

// A closed pipe (`entra-token decode ... | head -1`) is not an error worth a stack trace.
process.stdout.on('error', () => process.exit(process.exitCode ?? 0));

function exit(code: number, stdout: string, stderr = ''): void {
  if (stderr !== '') process.stderr.write(stderr);
  process.exitCode = code;
  // Exit once stdout is flushed, even if a keep-alive socket to the issuer is still open.
  process.stdout.write(stdout, () => process.exit(code));
}

function useColor(): boolean {
  const noColor = process.env.NO_COLOR;
  return process.stdout.isTTY === true && (noColor === undefined || noColor === '');
}

function usageFailure(io: Io, message: string, code: string): void {
  if (io.json) {
    const out = { schemaVersion: 1, command: io.command ?? null, error: { code, message } };
    exit(2, `${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const help = io.command === undefined ? 'entra-token --help' : `entra-token ${io.command} --help`;
  exit(2, '', `entra-token: ${message} (see '${help}')\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_STDIN_BYTES) throw new UsageError('standard input is too large to be a token');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readToken(positionals: readonly string[]): Promise<string> {
  if (positionals.length > 1) {
    throw new UsageError(`expected one token, got ${positionals.length} arguments`);
  }
  const arg = positionals[0];
  if (arg !== undefined && arg !== '-') return arg;
  if (arg === undefined && process.stdin.isTTY === true) {
    throw new UsageError('no token given: pass it as an argument, or pipe it on standard input');
  }
  const text = await readStdin();
  if (text.trim() === '') throw new UsageError('no token on standard input', 'not_a_jwt');
  return text;
}

function tokenVersions(values: readonly string[] | undefined): EntraTokenVersion[] | undefined {
  if (values === undefined) return undefined;
  for (const v of values) {
    if (v !== '1.0' && v !== '2.0') throw new UsageError(`--token-version must be 1.0 or 2.0, not '${v}'`);
  }
  return values as EntraTokenVersion[];
}

function timeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError('--timeout must be a positive number of milliseconds');
  return n;
}

type Values = Record<string, string | string[] | boolean | undefined>;

/** What `--cloud`, `--b2c-*`, `--external-id` and `--domain` say, checked together. */
interface Flavour {
  readonly cloud: EntraCloud | undefined;
  readonly b2c: { readonly domain: string | undefined; readonly policies: string[] | undefined } | undefined;
  readonly externalId: { readonly domain: string | undefined } | undefined;
}

/** Options for a workforce tenant only: B2C and External ID validators speak to their own host. */
const WORKFORCE_ONLY = ['cloud', 'authority', 'discovery-url', 'allow-any-tenant', 'allowed-tenant'];

function flavourOf(v: Values): Flavour {
  const cloud = v.cloud as string | undefined;
  if (cloud !== undefined && cloud !== 'public' && cloud !== 'usgov' && cloud !== 'china') {
    throw new UsageError('--cloud must be public, usgov or china');
  }
  const b2cDomain = v['b2c-domain'] as string | undefined;
  const policies = v['b2c-policy'] as string[] | undefined;
  const b2c = b2cDomain !== undefined || policies !== undefined;
  const externalId = v['external-id'] === true;
  const domain = v.domain as string | undefined;
  if (b2c && externalId) {
    throw new UsageError(
      '--b2c-domain / --b2c-policy (Azure AD B2C) and --external-id (Entra External ID) exclude each other: a validator trusts one authority',
    );
  }
  if (domain !== undefined && !externalId) {
    throw new UsageError(
      b2c
        ? '--domain is the External ID host: for Azure AD B2C give the sign-in host as --b2c-domain'
        : '--domain goes with --external-id (the External ID host); for Azure AD B2C use --b2c-domain',
    );
  }
  if (b2c || externalId) {
    const flavour = b2c ? 'Azure AD B2C (--b2c-domain, --b2c-policy)' : 'Entra External ID (--external-id)';
    for (const name of WORKFORCE_ONLY) {
      if (v[name] !== undefined) {
        throw new UsageError(
          `--${name} is for a workforce tenant and does not apply to ${flavour}, which speaks to its own host`,
        );
      }
    }
  }
  return {
    cloud: cloud as EntraCloud | undefined,
    b2c: b2c ? { domain: b2cDomain, policies } : undefined,
    externalId: externalId ? { domain } : undefined,
  };
}

function output(io: Io, result: object, render: (style: Style) => string, code: number): void {
  exit(code, io.json ? `${JSON.stringify(result, null, 2)}\n` : render(createStyle(useColor())));
}

async function run(command: Command, argv: readonly string[], io: Io): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: OPTIONS[command],
    allowPositionals: true,
    strict: true,
  });
  const v = values as Values;
  io.json = v.json === true;
  if (v.help === true) {
    exit(0, HELP[command]);
    return;
  }
  const token = await readToken(positionals);
  switch (command) {
    case 'decode': {
      const result = decodeToken(token);
      output(io, result, (style) => renderDecode(result, style), 0);
      return;
    }
    case 'explain': {
      const flavour = flavourOf(v);
      const result = await explainToken(token, {
        audience: v.audience as string[] | undefined,
        clientId: v['client-id'] as string | undefined,
        tenantId: v.tenant as string | undefined,
        tokenVersion: tokenVersions(
          v['token-version'] === undefined ? undefined : [v['token-version'] as string],
        )?.[0],
        cloud: flavour.cloud,
        b2c: flavour.b2c,
        externalId: flavour.externalId,
      });
      output(io, result, (style) => renderExplain(result, style), result.ok ? 0 : 1);
      return;
    }
    case 'verify': {
      const tenant = v.tenant as string | undefined;
      const audience = v.audience as string[] | undefined;
      const clientId = v['client-id'] as string | undefined;
      const { cloud, b2c, externalId } = flavourOf(v);
      if (b2c !== undefined && b2c.domain === undefined) {
        throw new UsageError(
          'verify --b2c-policy needs --b2c-domain <the host users sign in on, e.g. contoso.b2clogin.com>',
        );
      }
      if (b2c !== undefined && b2c.policies === undefined) {
        throw new UsageError(
          'verify --b2c-domain needs --b2c-policy <an accepted user flow or custom policy, e.g. B2C_1_signupsignin>; repeat for several',
        );
      }
      if (tenant === undefined) {
        throw new UsageError(
          b2c !== undefined
            ? 'verify --b2c-domain needs --tenant <the B2C tenant: its GUID or contoso.onmicrosoft.com>'
            : externalId !== undefined
              ? "verify --external-id needs --tenant <the external tenant's GUID>"
              : 'verify needs --tenant <tenant id, domain, common or organizations>',
        );
      }
      if (audience === undefined && clientId === undefined) {
        throw new UsageError("verify needs --audience <aud> or --client-id <the API's application id>");
      }
      const result = await verifyToken(token, {
        tenantId: tenant,
        audience,
        clientId,
        b2c:
          b2c === undefined
            ? undefined
            : { domain: b2c.domain as string, policies: b2c.policies as string[] },
        externalId,
        authority: v.authority as string | undefined,
        discoveryUrl: v['discovery-url'] as string | undefined,
        cloud,
        allowAnyTenant: v['allow-any-tenant'] === true ? true : undefined,
        allowedTenants: v['allowed-tenant'] as string[] | undefined,
        tokenVersions: tokenVersions(v['token-version'] as string[] | undefined),
        timeoutMs: timeout(v.timeout as string | undefined),
      });
      output(io, result, (style) => renderVerify(result, style), result.valid ? 0 : 1);
      return;
    }
  }
}

/** The message of a `node:util` parseArgs error, in one line without its internal code. */
function argumentMessage(error: Error): string {
  return (
    error.message.split('\n')[0]?.replace(/\. To specify a positional argument.*$/, '') ?? 'invalid arguments'
  );
}

async function main(argv: readonly string[]): Promise<void> {
  const io: Io = { json: argv.includes('--json'), command: undefined };
  const first = argv[0];
  if (first === undefined) {
    exit(2, '', MAIN_HELP);
    return;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = argv[1];
    if (first === 'help' && topic !== undefined && (COMMANDS as readonly string[]).includes(topic)) {
      exit(0, HELP[topic as Command]);
    } else {
      exit(0, MAIN_HELP);
    }
    return;
  }
  if (first === '--version' || first === '-v') {
    exit(0, `${version()}\n`);
    return;
  }
  if (!(COMMANDS as readonly string[]).includes(first)) {
    usageFailure(
      io,
      first.startsWith('-')
        ? `unknown option '${first}'`
        : `unknown command '${first}' (commands: ${COMMANDS.join(', ')})`,
      'usage',
    );
    return;
  }
  io.command = first as Command;
  try {
    await run(io.command, argv.slice(1), io);
  } catch (error) {
    const code = errorCode(error);
    if (error instanceof UsageError) {
      usageFailure(io, error.message, error.code);
    } else if (code === 'invalid_configuration') {
      // EntraConfigError from the validator: its message says how to fix the options.
      usageFailure(io, (error as Error).message, 'invalid_configuration');
    } else if (code?.startsWith('ERR_PARSE_ARGS')) {
      usageFailure(io, argumentMessage(error as Error), 'usage');
    } else {
      const message = error instanceof Error ? error.message : String(error);
      exit(3, '', `entra-token: internal error: ${message}\n`);
    }
  }
}

function errorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

void main(process.argv.slice(2));
