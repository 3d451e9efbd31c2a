/**
 * Where things are in the workspace, and which packages are published: every `packages/*` whose
 * package.json is not `private`. A new published package is checked without editing this project.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root: string = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The fields of a package.json these checks read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  type?: string;
  sideEffects?: boolean | string[];
  engines?: Record<string, string>;
  bin?: string | Record<string, string>;
  main?: string;
  module?: string;
  types?: string;
  exports?: Record<string, unknown>;
  files?: string[];
  keywords?: string[];
  repository?: { type?: string; url?: string; directory?: string };
  publishConfig?: Record<string, unknown> & { exports?: Record<string, unknown> };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}

export interface PublishedPackage {
  /** `@org/entra-core` */
  name: string;
  /** `core`: the folder under packages/ */
  folder: string;
  /** Absolute path of the package folder. */
  dir: string;
  manifest: Manifest;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** The published packages, in a stable order (by folder name). */
export function publishedPackages(): PublishedPackage[] {
  const packagesDir = join(root, 'packages');
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ folder: entry.name, dir: join(packagesDir, entry.name) }))
    .filter(({ dir }) => {
      try {
        return readManifest(dir).private !== true;
      } catch {
        return false;
      }
    })
    .map(({ folder, dir }) => {
      const manifest = readManifest(dir);
      return { name: manifest.name, folder, dir, manifest };
    })
    .sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
}

/** One entry point of a package: `.` (`index`) or a subpath such as `./adapter` (`adapter`). */
export interface EntryPoint {
  /** The key in `exports`: `.`, `./adapter`. */
  subpath: string;
  /** What users import: `@org/entra-core`, `@org/entra-core/adapter`. */
  specifier: string;
  /** The file name its build and sources use: `index`, `adapter`, `stores/redis` (a nested entry). */
  file: string;
  /** Absolute path of its TypeScript source (the `@org/source` condition). */
  source: string;
}

/** Every entry point in a package's `exports`, `./package.json` aside. */
export function entryPoints(pkg: PublishedPackage): EntryPoint[] {
  return Object.keys(pkg.manifest.exports ?? {})
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => {
      const file = subpath === '.' ? 'index' : subpath.slice(2);
      const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${file}`;
      return { subpath, specifier, file, source: join(pkg.dir, 'src', `${file}.ts`) };
    });
}

/** The export condition that points workspace consumers at the TypeScript sources. */
export const SOURCE_CONDITION = '@org/source';

/** `exports` without the source condition: what the published package.json must carry. */
export function withoutSourceCondition(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== SOURCE_CONDITION)
      .map(([key, inner]) => [key, withoutSourceCondition(inner)]),
  );
}
