// The packed tarballs, installed with npm into a project outside the workspace (os.tmpdir()), next
// to the frameworks a user has (express 5, koa 3, fastify 5, hono 4, @azure/functions 4, typescript), then used the four ways
// users load them: an .mjs file, a .cjs file, TypeScript `module: nodenext` (.mts and .cts) and
// TypeScript `moduleResolution: bundler`, each run on Node 20, 22 and 24 (the binaries of
// @org/entra-runtimes). Each entry starts the look-alike issuer from
// @org/entra-testing's tarball, verifies a token with createEntraValidator, and has every adapter
// serve one request with the token (200, the verified oid), one without (401, the bare Bearer
// challenge) and a CORS preflight (answered 204 by the adapter itself). Each entry also runs
// `@org/entra-core/adapter` and the key stores (`@org/entra-core/stores/redis`, `/stores/kv`),
// loaded its own way. The TypeScript entries use req.auth / ctx.state.auth / request.auth, which compile only
// with the adapters' type augmentation, and keep @ts-expect-error lines that must stay errors.
//
// One project, one `npm install` (about 20-40 s on a cold npm cache), one tsc run per TypeScript
// setup (type check and emit at once, noEmitOnError), then the compiled JavaScript is run on each Node.
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { nodeRuntimes, type Runtime } from '@org/entra-runtimes';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { publishedPackages, root } from '../src/workspace.js';

const run = promisify(execFile);
const fixtures = join(root, 'packaging', 'fixtures', 'consumer');
let project = '';
let installError: unknown;

/** The frameworks and tools a user's project brings; the adapters' peers. */
const USER_DEPENDENCIES = {
  express: '^5.1.0',
  koa: '^3.0.0',
  fastify: '^5.4.0',
  hono: '^4.13.0',
  typescript: '5.9.3',
  '@types/express': '^5.0.0',
  '@types/koa': '^3.0.0',
  '@types/node': '^20.19.0',
  '@azure/functions': '^4.0.0',
  '@nestjs/common': '^11.1.0',
  '@nestjs/core': '^11.1.0',
  '@nestjs/platform-express': '^11.1.0',
  'reflect-metadata': '^0.2.2',
  rxjs: '^7.8.0',
};

beforeAll(async () => {
  const packed = inject('packed');
  if (packed.error) throw new Error(packed.error);
  project = mkdtempSync(join(tmpdir(), 'entra-import-'));
  cpSync(fixtures, project, { recursive: true });
  for (const [target, folder] of [
    ['esm.mts', 'nodenext'],
    ['cjs.cts', 'nodenext'],
    ['app.ts', 'bundler'],
  ] as const) {
    copyFileSync(join(fixtures, 'typed.ts'), join(project, folder, target));
  }
  const dependencies: Record<string, string> = { ...USER_DEPENDENCIES };
  for (const { name } of publishedPackages()) {
    const tarball = packed.tarballs[name] as string;
    copyFileSync(tarball, join(project, basename(tarball)));
    dependencies[name] = `file:./${basename(tarball)}`;
  }
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify(
      {
        name: 'entra-import-check',
        private: true,
        dependencies,
        // The adapters depend on @org/entra-core ^0.1.0: make that the tarball, never a registry lookup.
        overrides: { '@org/entra-core': '$@org/entra-core' },
      },
      null,
      2,
    )}\n`,
  );
  try {
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts', '--loglevel=error'],
      { cwd: project, timeout: 240_000, maxBuffer: 16 * 1024 * 1024, shell: process.platform === 'win32' },
    );
  } catch (error) {
    installError = error;
  }
}, 300_000);

// Its node_modules are large (NestJS among the frameworks): removing them can outlast the default hook timeout.
afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
}, 120_000);

interface Outcome {
  withToken: number;
  oid: string | undefined;
  withoutToken: number;
  challenge: string | null;
  preflight: number | string;
}

interface Report {
  label: string;
  /** process.versions.node of the process that ran the entry. */
  node: string;
  verifiedOid: string;
  results: Record<'express' | 'koa' | 'fastify' | 'fetch' | 'hono' | 'azure-functions' | 'nestjs', Outcome>;
  refused?: string;
  cli?: Record<string, unknown>;
  adapter: Record<string, unknown>;
  dualKey?: boolean;
  stores: Record<'redis' | 'kv', { oid: string; requests: number }>;
}

async function node(runtime: Runtime, file: string, label: string): Promise<Report> {
  if (installError) throw installError;
  const { stdout } = await run(runtime.bin, [file, label], { cwd: project, timeout: 60_000 });
  const line = stdout.trim().split('\n').pop() as string;
  const report = JSON.parse(line) as Report;
  expect(report.node.split('.')[0]).toBe(String(runtime.major));
  return report;
}

/** One compilation per TypeScript setup, shared by the runs on every Node. */
const compiled = new Map<string, Promise<void>>();
function compile(folder: string): Promise<void> {
  let done = compiled.get(folder);
  if (done === undefined) {
    done = tsc(folder);
    compiled.set(folder, done);
  }
  return done;
}

async function tsc(folder: string): Promise<void> {
  if (installError) throw installError;
  const bin = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await run(process.execPath, [bin, '-p', folder], { cwd: project, timeout: 120_000 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc -p ${folder} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

function expectServed(report: Report, label: string): void {
  expect(report.label).toBe(label);
  expect(report.verifiedOid).toMatch(/^[0-9a-f-]{36}$/);
  const served: Outcome = {
    withToken: 200,
    oid: report.verifiedOid,
    withoutToken: 401,
    challenge: 'Bearer realm="api"',
    preflight: 204,
  };
  expect(report.results).toEqual({
    express: served,
    koa: served,
    fastify: served,
    fetch: served,
    hono: served,
    'azure-functions': served,
    nestjs: served,
  });
  // @org/entra-core/adapter: the state of a request, of a preflight, and a guard with no state.
  expect(report.adapter).toEqual({
    oid: report.verifiedOid,
    preflight: 'answer',
    guardWithoutState: 'missing_token',
    sharedKey: true,
  });
  // @org/entra-core/stores/redis and /stores/kv: a second validator on a warm store asks the issuer nothing.
  const warm = { oid: report.verifiedOid, requests: 0 };
  expect(report.stores).toEqual({ redis: warm, kv: warm });
}

describe('the packed packages, installed outside the workspace', () => {
  it('install from their tarballs alone (no @org package fetched from a registry)', () => {
    expect(installError).toBeUndefined();
    const installed = readdirSync(join(project, 'node_modules', '@org')).sort();
    expect(installed).toEqual(publishedPackages().map((p) => p.name.slice('@org/'.length)));
  });
});

describe.each(nodeRuntimes().map((runtime) => [runtime.label, runtime] as const))(
  'on %s',
  (_label, runtime) => {
    it('work from an .mjs file (import), the CLI bin included', async () => {
      const report = await node(runtime, 'esm.mjs', 'esm');
      expectServed(report, 'esm');
      expect(report.refused).toBe('malformed_token');
      expect(report.cli).toEqual({ valid: true, oid: report.verifiedOid });
      // Its CommonJS build, loaded beside the ESM one, stores the state under the same key.
      expect(report.dualKey).toBe(true);
    });

    it('work from a .cjs file (require)', async () => {
      const report = await node(runtime, 'cjs.cjs', 'cjs');
      expectServed(report, 'cjs');
      expect(report.refused).toBe('malformed_token');
      expect(report.cli).toEqual({ decodedOid: report.verifiedOid });
    });

    it('type-check and run with TypeScript module: nodenext, from ESM (.mts) and CommonJS (.cts)', async () => {
      await compile('nodenext');
      expectServed(await node(runtime, 'nodenext/esm.mjs', 'nodenext-esm'), 'nodenext-esm');
      expectServed(await node(runtime, 'nodenext/cjs.cjs', 'nodenext-cjs'), 'nodenext-cjs');
    }, 180_000);

    it('type-check and run with TypeScript moduleResolution: bundler', async () => {
      await compile('bundler');
      expectServed(await node(runtime, 'bundler/app.js', 'bundler'), 'bundler');
    }, 180_000);
  },
);
