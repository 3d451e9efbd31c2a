// The packed @org/entra-nestjs in NestJS 10, 11 and 12 apps: each installed with npm into
// its own project outside the workspace (the module must use the app's @nestjs/* copies, its peers),
// compiled by tsc as `nest new` sets it up (experimentalDecorators, emitDecoratorMetadata, so the
// built package meets decorator metadata as apps emit it; CommonJS for 10 and 11, which load the
// package's CommonJS build, ESM for 12, which is ESM only), then run on platform-express and
// platform-fastify: public 200, 401 without a token, 200 with one (through a service injected by
// type), 403 for the wrong scope, 204 to a CORS preflight, a core helper thrown in a handler answered 403.
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { root } from '../src/workspace.js';

const run = promisify(execFile);
const fixture = join(root, 'packaging', 'fixtures', 'nestjs');
const PACKAGES = ['@org/entra-core', '@org/entra-nestjs', '@org/entra-testing'];

/** The @nestjs/* range of each major, and whether its app is an ES module. */
const MAJORS: Record<string, { range: string; esm: boolean }> = {
  '10': { range: '^10.4.0', esm: false },
  '11': { range: '^11.1.0', esm: false },
  '12': { range: '^12.0.0', esm: true },
};

const projects = new Map<string, Promise<string>>();

async function prepare(major: string, { range, esm }: { range: string; esm: boolean }): Promise<string> {
  const packed = inject('packed');
  if (packed.error) throw new Error(packed.error);
  const project = mkdtempSync(join(tmpdir(), `entra-nest${major}-`));
  cpSync(fixture, project, { recursive: true });
  const dependencies: Record<string, string> = {
    '@nestjs/common': range,
    '@nestjs/core': range,
    '@nestjs/platform-express': range,
    '@nestjs/platform-fastify': range,
    'reflect-metadata': '^0.2.2',
    rxjs: '^7.8.0',
    typescript: '5.9.3',
    '@types/node': '^20.19.0',
  };
  for (const name of PACKAGES) {
    const tarball = packed.tarballs[name] as string;
    copyFileSync(tarball, join(project, basename(tarball)));
    dependencies[name] = `file:./${basename(tarball)}`;
  }
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify(
      {
        name: `entra-nest${major}`,
        private: true,
        ...(esm ? { type: 'module' } : {}),
        dependencies,
        overrides: { '@org/entra-core': '$@org/entra-core' },
      },
      null,
      2,
    )}\n`,
  );
  await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts', '--loglevel=error'],
    { cwd: project, timeout: 240_000, maxBuffer: 16 * 1024 * 1024, shell: process.platform === 'win32' },
  );
  try {
    await run(process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], {
      cwd: project,
      timeout: 120_000,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
  return project;
}

beforeAll(() => {
  for (const [major, setup] of Object.entries(MAJORS)) {
    const project = prepare(major, setup);
    project.catch(() => undefined); // reported by the test of that major
    projects.set(major, project);
  }
});

afterAll(async () => {
  const dirs = await Promise.all([...projects.values()].map((project) => project.catch(() => undefined)));
  await Promise.all(dirs.map((dir) => dir && rm(dir, { recursive: true, force: true })));
}, 120_000);

describe.each(Object.keys(MAJORS))('NestJS %s', (major) => {
  it("serves the packed module on platform-express and platform-fastify, with the app's own @nestjs copies", async () => {
    const project = await (projects.get(major) as Promise<string>);
    const { stdout } = await run(process.execPath, ['dist/app.js'], { cwd: project, timeout: 60_000 });
    const report = JSON.parse(stdout.trim().split('\n').pop() as string);
    expect(report.nest.split('.')[0]).toBe(major);
    const served = {
      health: 200,
      withToken: 200,
      oid: report.oid,
      withoutToken: {
        status: 401,
        challenge: 'Bearer realm="api"',
        body: expect.stringContaining('"error":"missing_token"'),
      },
      wrongScope: 403,
      preflight: '204 ""',
      inHandler: { error: 'insufficient_role', error_description: 'The access token lacks a required role' },
    };
    expect(report.oid).toMatch(/^[0-9a-f-]{36}$/);
    expect(report.express).toEqual(served);
    expect(report.fastify).toEqual(served);
  }, 300_000);
});
