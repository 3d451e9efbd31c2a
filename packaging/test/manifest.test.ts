// The package.json of every published package, in the workspace and as packed: the fields users and
// registries read, the exports map (types first, .d.ts for import, .d.cts for require), the source
// condition stripped at pack time, and only what users need in the tarball.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { readTarball } from '../src/tarball.js';
import {
  entryPoints,
  type Manifest,
  publishedPackages,
  root,
  SOURCE_CONDITION,
  withoutSourceCondition,
} from '../src/workspace.js';

const packages = publishedPackages();
const REPOSITORY = 'git+https://github.com/org/entra-auth.git';

it('finds the published packages', () => {
  expect(packages.map((p) => p.name)).toEqual([
    '@org/entra-azure-functions',
    '@org/entra-cli',
    '@org/entra-core',
    '@org/entra-express',
    '@org/entra-fastify',
    '@org/entra-fetch',
    '@org/entra-hono',
    '@org/entra-koa',
    '@org/entra-nestjs',
    '@org/entra-otel',
    '@org/entra-testing',
  ]);
});

/** Every file path an entry field or export condition points at. */
function targets(manifest: Manifest): string[] {
  const out = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') out.add(value.replace(/^\.\//, ''));
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  walk((manifest as { imports?: unknown }).imports);
  walk(manifest.bin);
  for (const field of [manifest.main, manifest.module, manifest.types]) walk(field);
  return [...out].sort();
}

describe.each(packages)('$name', (pkg) => {
  const { name, folder, manifest } = pkg;
  it('declares what a registry page and a package manager need', () => {
    expect(manifest.license).toBe('MIT');
    expect(manifest.type).toBe('module');
    expect(manifest.engines).toEqual({ node: '>=20.19' });
    expect(manifest.repository).toEqual({ type: 'git', url: REPOSITORY, directory: `packages/${folder}` });
    expect(manifest.keywords).toContain('entra');
    expect(manifest.publishConfig).toMatchObject({ access: 'public', provenance: true });
    // Only the bin has a side effect (it runs); the library entries are tree-shakeable.
    expect(manifest.sideEffects).toEqual(name === '@org/entra-cli' ? ['./dist/cli.js'] : false);
    // Besides the builds and docs, a subpath entry's folder stub (see below).
    const stubs = entryPoints(pkg)
      .filter((e) => e.subpath !== '.')
      .map((e) => `${e.file}/package.json`);
    for (const file of manifest.files ?? [])
      expect(['dist', 'README.md', 'CHANGELOG.md', 'LICENSE', ...stubs]).toContain(file);
  });

  it('exports types first in every condition of every entry: .d.ts for import, .d.cts for require', () => {
    expect(entryPoints(pkg).map((e) => e.subpath)).toContain('.');
    for (const { subpath, file } of entryPoints(pkg)) {
      const entry = manifest.exports?.[subpath] as Record<string, Record<string, string> | string>;
      expect(Object.keys(entry), subpath).toEqual([SOURCE_CONDITION, 'import', 'require']);
      expect(entry[SOURCE_CONDITION], subpath).toBe(`./src/${file}.ts`);
      expect(entry.import, subpath).toEqual({ types: `./dist/${file}.d.ts`, default: `./dist/${file}.js` });
      expect(Object.keys(entry.import as object)[0], subpath).toBe('types');
      expect(entry.require, subpath).toEqual({
        types: `./dist/${file}.d.cts`,
        default: `./dist/${file}.cjs`,
      });
      expect(Object.keys(entry.require as object)[0], subpath).toBe('types');
    }
    expect(manifest.exports?.['./package.json']).toBe('./package.json');
    // Resolvers that ignore `exports` (TypeScript's node10, old bundlers) get the same files.
    expect(manifest.main).toBe('./dist/index.cjs');
    expect(manifest.module).toBe('./dist/index.js');
    expect(manifest.types).toBe('./dist/index.d.cts');
  });

  it('makes each subpath entry a folder with a package.json, for resolvers that ignore exports', () => {
    for (const { subpath, file } of entryPoints(pkg).filter((e) => e.subpath !== '.')) {
      const stub = JSON.parse(readFileSync(join(pkg.dir, file, 'package.json'), 'utf8')) as Manifest;
      // A nested entry (`./stores/redis`) is a nested folder: its stub climbs as many levels.
      const up = '../'.repeat(file.split('/').length);
      expect(stub, subpath).toMatchObject({
        main: `${up}dist/${file}.cjs`,
        module: `${up}dist/${file}.js`,
        types: `${up}dist/${file}.d.cts`,
        sideEffects: false,
      });
      expect(stub.name, subpath).toBeUndefined();
      expect(manifest.files, subpath).toContain(`${file}/package.json`);
    }
  });

  it('publishes the exports map without the workspace-only source condition', () => {
    expect(manifest.publishConfig?.exports).toEqual(withoutSourceCondition(manifest.exports));
  });

  it('depends on sibling packages through workspace:^ and on frameworks as peers', () => {
    for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
      if (dep.startsWith('@org/')) expect(range, dep).toBe('workspace:^');
    }
    for (const dep of Object.keys(manifest.peerDependencies ?? {}))
      expect(dep.startsWith('@org/')).toBe(false);
  });

  it('packs only what users need, without the source condition or workspace ranges', () => {
    const packed = inject('packed');
    expect(packed.error).toBeUndefined();
    const tarball = readTarball(packed.tarballs[name] as string);
    const text = JSON.stringify(tarball.manifest);
    expect(text).not.toContain(SOURCE_CONDITION);
    expect(text).not.toContain('workspace:');
    expect(tarball.manifest.exports).toEqual(manifest.publishConfig?.exports);
    // Subpath imports (the core's `#runtime`) are published without the source condition too.
    const published = manifest.publishConfig as { imports?: unknown } | undefined;
    expect((tarball.manifest as { imports?: unknown }).imports).toEqual(published?.imports);
    expect(tarball.manifest.publishConfig).toEqual({ access: 'public', provenance: true });
    expect(tarball.manifest.version).toBe(manifest.version);
    const stubs = new Set(
      entryPoints(pkg)
        .filter((e) => e.subpath !== '.')
        .map((e) => `${e.file}/package.json`),
    );
    for (const file of tarball.files) {
      if (stubs.has(file)) continue;
      expect(file).toMatch(
        /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/([\w.-]+\/)?[\w.-]+\.(js|cjs|d\.ts|d\.cts|map))$/,
      );
    }
    for (const stub of stubs) expect(tarball.files).toContain(stub);
    for (const target of targets(tarball.manifest)) expect(tarball.files).toContain(target);
    expect(tarball.files).toContain('README.md');
  });
});

describe('changesets', () => {
  const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8'));

  it('versions every published package together and no private one', () => {
    expect(config.fixed).toEqual([['@org/entra-*']]);
    for (const { name } of packages) expect(name).toMatch(/^@org\/entra-/);
    expect(config.privatePackages).toEqual({ version: false, tag: false });
    expect(config.access).toBe('public');
    expect(config.___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH).toEqual({
      onlyUpdatePeerDependentsWhenOutOfRange: true,
    });
  });

  it('has changesets that name only published packages', () => {
    const names = new Set(packages.map((p) => p.name));
    const files = readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    for (const file of files) {
      const text = readFileSync(join(root, '.changeset', file), 'utf8');
      const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1];
      expect(front, file).toBeDefined();
      for (const line of (front as string).split('\n').filter((l) => l.trim() !== '')) {
        const match = /^["']?(@org\/[\w-]+)["']?:\s*(patch|minor|major)$/.exec(line.trim());
        expect(match, `${file}: ${line}`).not.toBeNull();
        expect(names.has(match?.[1] as string), `${file}: ${line}`).toBe(true);
      }
    }
  });
});
