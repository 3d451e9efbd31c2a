// The release, rehearsed end to end on this machine, as the release workflow runs it
// (.github/workflows/release.yml, CONTRIBUTING.md):
//
// 1. a temporary clone of this repository's HEAD (git clone into os.tmpdir), installed offline from
//    the pnpm store the workspace install filled;
// 2. a changeset added by hand (as CONTRIBUTING.md says: `changeset add` needs a terminal), then
//    `changeset version`: every published package bumped to one new version (a fixed group), the
//    CHANGELOGs written, private packages untouched;
// 3. `pnpm release` (build, then `changeset publish`) to a Verdaccio registry on 127.0.0.1 with no
//    uplinks: exactly the packages that are not private are published, each internal dependency
//    range pointing at the new version;
// 4. a fresh app outside the workspace installs @org/entra-express and @org/entra-testing from that
//    registry (its other dependencies, express among them, come from the usual registry) and
//    answers 200, 403 and 401 for the right tokens.
//
// Provenance: every package keeps `publishConfig.provenance: true` (checked below), which real
// releases need. The rehearsal turns it off explicitly, with NPM_CONFIG_PROVENANCE=false and
// `provenance=false` in its own npmrc, and removes CI-provider variables (GITHUB_ACTIONS,
// ACTIONS_ID_TOKEN_*) from the publish environment: outside a CI provider no attestation can be
// signed, and inside one the OIDC token exchange would reach beyond 127.0.0.1.
//
// Nothing here names the published packages: they are whatever workspace packages are not private,
// so a package added later is rehearsed too.
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type LocalRegistry, packument, startLocalRegistry } from '../src/registry.js';
import { type Manifest, root } from '../src/workspace.js';

const exec = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'entra-release-'));
const repo = join(work, 'repo');
let registry: LocalRegistry | undefined;

// The clone's node_modules is tens of thousands of links: removing it takes a while on a busy disk.
afterAll(async () => {
  await registry?.close();
  rmSync(work, { recursive: true, force: true });
}, 300_000);

/** The environment of every command: no inherited npm/pnpm configuration, no CI-provider identity. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const dropped = /^(npm_config_|npm_lifecycle_|pnpm_config_|ACTIONS_ID_TOKEN_|GITHUB_|GITLAB_|SIGSTORE_)/i;
  for (const [key, value] of Object.entries(process.env)) if (!dropped.test(key)) env[key] = value;
  return { ...env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', ...extra };
}

async function sh(cmd: string, args: string[], cwd: string, env = cleanEnv()): Promise<string> {
  try {
    const { stdout } = await exec(cmd, args, { cwd, env, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${cmd} ${args.join(' ')} (in ${cwd}) failed:\n${stdout ?? ''}\n${stderr ?? ''}`.slice(-8000),
    );
  }
}

interface WorkspacePackage {
  dir: string;
  manifest: Manifest & { devDependencies?: Record<string, string> };
}

/** Every package of a workspace, from the globs of its pnpm-workspace.yaml (`dir/*` or `dir`). */
function workspacePackages(repoDir: string): WorkspacePackage[] {
  const { packages } = parse(readFileSync(join(repoDir, 'pnpm-workspace.yaml'), 'utf8')) as {
    packages: string[];
  };
  const dirs = packages.flatMap((glob) =>
    glob.endsWith('/*')
      ? readdirSync(join(repoDir, glob.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => join(repoDir, glob.slice(0, -2), entry.name))
      : [join(repoDir, glob)],
  );
  return dirs
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }));
}

const isPublic = (p: WorkspacePackage) => p.manifest.private !== true;

/** Each step runs once; a later test awaits the earlier steps, so each test reports its own step. */
function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => {
    result ??= fn();
    return result;
  };
}

const cloned = once(async () => {
  await sh('git', ['clone', '--quiet', '--no-hardlinks', root, repo], work);
  // From the store the workspace install filled: the rehearsal downloads no package of its own.
  await sh('pnpm', ['install', '--frozen-lockfile', '--offline', '--reporter=silent'], repo);
  return workspacePackages(repo);
});

const versioned = once(async () => {
  const before = await cloned();
  writeFileSync(
    join(repo, '.changeset', 'release-rehearsal.md'),
    '---\n"@org/entra-core": patch\n---\n\nRelease rehearsal: a patch of the core.\n',
  );
  await sh('pnpm', ['changeset', 'version'], repo);
  return { before, after: workspacePackages(repo) };
});

const published = once(async () => {
  const { after } = await versioned();
  registry = await startLocalRegistry(join(work, 'registry'));
  const npmrc = join(work, 'npmrc');
  writeFileSync(npmrc, `registry=${registry.url}\n${registry.authLine}\nprovenance=false\n`);
  const output = await sh(
    'pnpm',
    ['release'],
    repo,
    cleanEnv({
      NPM_CONFIG_USERCONFIG: npmrc,
      NPM_CONFIG_REGISTRY: registry.url,
      NPM_CONFIG_PROVENANCE: 'false',
    }),
  );
  return { packages: after, output, url: registry.url };
});

describe('release rehearsal (temporary clone, changeset version, pnpm release to a local registry)', () => {
  it('clones HEAD into a temporary folder and installs it offline', async () => {
    const packages = await cloned();
    expect(repo.startsWith(tmpdir())).toBe(true);
    expect(packages.filter(isPublic).length).toBeGreaterThan(0);
    expect(existsSync(join(repo, 'node_modules', '.bin', 'changeset'))).toBe(true);
  }, 300_000);

  it('changeset version: one new version for every published package, CHANGELOGs written, private packages untouched', async () => {
    const { before, after } = await versioned();
    const oldVersion = new Map(before.map((p) => [p.manifest.name, p.manifest.version]));
    const publicAfter = after.filter(isPublic);
    const versions = new Set(publicAfter.map((p) => p.manifest.version));
    expect(versions.size).toBe(1); // the fixed group
    const [version] = versions as Set<string>;
    for (const p of publicAfter) {
      expect(p.manifest.version, p.manifest.name).not.toBe(oldVersion.get(p.manifest.name));
      expect(
        compareVersions(p.manifest.version, oldVersion.get(p.manifest.name) as string),
        p.manifest.name,
      ).toBe(1);
      // Real releases keep provenance on: the rehearsal switches it off from outside.
      expect(p.manifest.publishConfig?.provenance, p.manifest.name).toBe(true);
      const changelog = readFileSync(join(p.dir, 'CHANGELOG.md'), 'utf8');
      expect(changelog.startsWith(`# ${p.manifest.name}\n\n## ${version}\n`), p.manifest.name).toBe(true);
      // Internal ranges: `workspace:` ones are rewritten at publish (checked on the registry below);
      // any other range must already take the new version.
      for (const [dep, range] of internalDependencies(p.manifest)) {
        if (!range.startsWith('workspace:'))
          expect(acceptsExactly(range, version as string), `${p.manifest.name} → ${dep}`).toBe(true);
      }
    }
    const core = publicAfter.find((p) => p.manifest.name === '@org/entra-core') as WorkspacePackage;
    expect(readFileSync(join(core.dir, 'CHANGELOG.md'), 'utf8')).toContain(
      'Release rehearsal: a patch of the core.',
    );
    for (const p of after.filter((q) => !isPublic(q))) {
      expect(p.manifest.version, p.manifest.name).toBe(oldVersion.get(p.manifest.name));
      expect(existsSync(join(p.dir, 'CHANGELOG.md')), p.manifest.name).toBe(false);
    }
    // Every changeset was consumed.
    expect(
      readdirSync(join(repo, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md'),
    ).toEqual([]);
  }, 300_000);

  it('pnpm release publishes exactly the non-private packages, with internal ranges on the new version and no provenance', async () => {
    const { packages, url } = await published();
    for (const p of packages) {
      const doc = await packument(url, p.manifest.name);
      if (!isPublic(p)) {
        expect(doc, `${p.manifest.name} is private`).toBeUndefined();
        continue;
      }
      expect(doc?.['dist-tags'].latest, p.manifest.name).toBe(p.manifest.version);
      const manifest = doc?.versions[p.manifest.version];
      expect(manifest?.dist.attestations, p.manifest.name).toBeUndefined();
      for (const [dep, range] of internalDependencies(manifest ?? {})) {
        expect(acceptsExactly(range, p.manifest.version), `${p.manifest.name} → ${dep}@${range}`).toBe(true);
      }
    }
  }, 600_000);

  it('a fresh app installs @org/entra-express and @org/entra-testing from that registry: 200, 403, 401', async () => {
    const { packages, url } = await published();
    const version = packages.find(isPublic)?.manifest.version as string;
    const app = join(work, 'app');
    mkdirSync(app);
    copyFileSync(join(root, 'packaging', 'fixtures', 'release-app', 'app.mjs'), join(app, 'app.mjs'));
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify({
        name: 'rehearsal-app',
        private: true,
        type: 'module',
        dependencies: {
          '@org/entra-express': `^${version}`,
          '@org/entra-testing': `^${version}`,
          express: '^5.1.0',
        },
      })}\n`,
    );
    // As a company would point one scope at its own registry. Its own npm cache, so nothing from an
    // earlier rehearsal (another registry on the same port) can be served.
    writeFileSync(join(app, '.npmrc'), `@org:registry=${url}\n`);
    await sh(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', '--cache', join(work, 'npm-cache')],
      app,
    );
    const lock = JSON.parse(readFileSync(join(app, 'node_modules', '.package-lock.json'), 'utf8')) as {
      packages: Record<string, { version: string; integrity?: string }>;
    };
    const fromRegistry = Object.entries(lock.packages).filter(([path]) =>
      path.startsWith('node_modules/@org/'),
    );
    expect(fromRegistry.map(([path]) => path).sort()).toEqual([
      'node_modules/@org/entra-core',
      'node_modules/@org/entra-express',
      'node_modules/@org/entra-testing',
    ]);
    // The very tarballs the local registry holds (npm 11 records no download address; the
    // integrity says where the bytes came from).
    for (const [path, entry] of fromRegistry) {
      expect(entry.version, path).toBe(version);
      const doc = await packument(url, path.slice('node_modules/'.length));
      expect(entry.integrity, path).toBe(doc?.versions[version]?.dist.integrity);
    }
    const report = JSON.parse((await sh(process.execPath, ['app.mjs'], app)).trim()) as Record<
      string,
      unknown
    >;
    expect(report).toEqual({
      versions: { '@org/entra-core': version, '@org/entra-express': version, '@org/entra-testing': version },
      oid: expect.any(String),
      valid: { status: 200, oid: report.oid },
      wrongScope: { status: 403, error: 'insufficient_scope' },
      expired: { status: 401, error: 'token_expired' },
      none: { status: 401, error: 'missing_token' },
    });
  }, 600_000);
});

/** Dependencies (all kinds a published manifest carries) on another @org package. */
function internalDependencies(m: {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}): [string, string][] {
  return [m.dependencies, m.peerDependencies, m.optionalDependencies]
    .flatMap((deps) => Object.entries(deps ?? {}))
    .filter(([name]) => name.startsWith('@org/'));
}

/** `^V`, `~V` or `V`: a range whose lowest version is exactly the new one. */
function acceptsExactly(range: string, version: string): boolean {
  return range === version || range === `^${version}` || range === `~${version}`;
}

/** 1 when a > b, -1 when a < b, 0 when equal (plain x.y.z). */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) > (pb[i] ?? 0) ? 1 : -1;
  return 0;
}
