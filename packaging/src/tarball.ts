/**
 * Reading a packed tarball: its files and its package.json as the registry would serve them.
 */
import { readFileSync } from 'node:fs';
import { createPackageFromTarballData, type Package } from '@arethetypeswrong/core';
import type { Manifest } from './workspace.js';

export interface Tarball {
  /** The raw bytes, for publint and attw. */
  bytes: Uint8Array;
  /** The analysed package (attw's model of it). */
  pkg: Package;
  /** File paths inside the package, relative to its root, sorted. */
  files: string[];
  /** The package.json inside the tarball. */
  manifest: Manifest;
}

export function readTarball(path: string): Tarball {
  const bytes = new Uint8Array(readFileSync(path));
  const pkg = createPackageFromTarballData(bytes);
  const prefix = `/node_modules/${pkg.packageName}/`;
  const files = pkg
    .listFiles()
    .map((file) => file.slice(prefix.length))
    .sort();
  const manifest = JSON.parse(pkg.readFile(`${prefix}package.json`)) as Manifest;
  return { bytes, pkg, files, manifest };
}
