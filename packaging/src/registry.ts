/**
 * A throwaway npm registry for the release rehearsal: Verdaccio with its own configuration and
 * storage in a temporary folder, no uplinks (it serves only what is published to it, and never
 * reaches another registry), listening on 127.0.0.1 at a port the system picks.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './workspace.js';

export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** A token of a user registered on it, allowed to publish. */
  token: string;
  /** The `//127.0.0.1:<port>/:_authToken=...` line for an .npmrc. */
  authLine: string;
  close(): Promise<void>;
}

function config(dir: string): string {
  return [
    `storage: ${JSON.stringify(join(dir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(join(dir, 'htpasswd'))}`,
    '# No uplinks: nothing is proxied from another registry.',
    'uplinks: {}',
    'packages:',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    'web:',
    '  enable: false',
    'log: { type: stdout, format: json, level: warn }',
    '',
  ].join('\n');
}

/** Starts the registry and registers a user. Rejects (after stopping it) if either fails. */
export async function startLocalRegistry(dir: string): Promise<LocalRegistry> {
  mkdirSync(dir, { recursive: true });
  const configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, config(dir));
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'packaging', 'fixtures', 'registry', 'serve.mjs'), configPath],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`verdaccio exited with ${code}:\n${output}`)));
      child.stderr?.on('data', (chunk) => {
        output += chunk;
      });
      child.stdout?.on('data', (chunk) => {
        output += chunk;
        const match = /\{"url":"(http:\/\/127\.0\.0\.1:\d+\/)"\}/.exec(output);
        if (match) resolve(match[1] as string);
      });
    });
    const response = await fetch(`${url}-/user/org.couchdb.user:rehearsal`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'rehearsal', password: 'rehearsal-password' }),
    });
    const body = (await response.json()) as { token?: string };
    if (response.status !== 201 || typeof body.token !== 'string') {
      throw new Error(`registering a user on ${url} answered ${response.status}: ${JSON.stringify(body)}`);
    }
    return {
      url,
      token: body.token,
      authLine: `${url.replace(/^http:/, '')}:_authToken=${body.token}`,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The registry's document for a package, or `undefined` when it has none (404). */
export async function packument(
  registry: string,
  name: string,
): Promise<{ 'dist-tags': Record<string, string>; versions: Record<string, PublishedVersion> } | undefined> {
  const response = await fetch(`${registry}${name.replace('/', '%2f')}`);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET ${name} from ${registry}: ${response.status}`);
  return (await response.json()) as {
    'dist-tags': Record<string, string>;
    versions: Record<string, PublishedVersion>;
  };
}

/** The parts of a published version's manifest the rehearsal reads. */
export interface PublishedVersion {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  dist: { tarball: string; integrity?: string; attestations?: unknown };
}
