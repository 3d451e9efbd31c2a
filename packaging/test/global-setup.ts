/**
 * Before the packaging tests: build the published packages (a turbo cache hit after the test
 * command's build step: well under a second) and pack each one once with `pnpm pack`, into a
 * temporary folder the tests share and that is removed afterwards. `pnpm pack` is what `changeset
 * publish` runs through `pnpm publish`: it rewrites `workspace:` ranges and applies
 * `publishConfig.exports`, so the tarballs are exactly what the registry would receive.
 *
 * A failure is handed to the tests (which then fail with it) rather than thrown, so it does not
 * abort every other project of the root run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { publishedPackages, root } from '../src/workspace.js';

export interface Packed {
  /** The folder holding the tarballs. */
  dir: string;
  /** Package name → absolute path of its tarball. */
  tarballs: Record<string, string>;
  /** Why building or packing failed, if it did. */
  error?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    packed: Packed;
  }
}

function pnpm(args: string[]): { ok: boolean; stdout: string; output: string } {
  const r = spawnSync('pnpm', args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
    maxBuffer: 64 * 1024 * 1024,
    shell: process.platform === 'win32',
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
  return { ok: r.status === 0, stdout: r.stdout ?? '', output };
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'entra-packed-'));
  const packed: Packed = { dir, tarballs: {} };
  const filters = publishedPackages().flatMap((p) => ['--filter', p.name]);
  const build = pnpm(['turbo', 'run', 'build', ...filters, '--output-logs=errors-only']);
  if (!build.ok) {
    packed.error = `pnpm turbo run build failed:\n${build.output.slice(-4000)}`;
  } else {
    const pack = pnpm(['-r', ...filters, 'pack', '--pack-destination', dir, '--json']);
    if (!pack.ok) {
      packed.error = `pnpm pack failed:\n${pack.output.slice(-4000)}`;
    } else {
      const parsed = JSON.parse(pack.stdout.slice(pack.stdout.search(/[[{]/))) as
        | { name: string; filename: string }
        | { name: string; filename: string }[];
      for (const entry of Array.isArray(parsed) ? parsed : [parsed])
        packed.tarballs[entry.name] = entry.filename;
    }
  }
  project.provide('packed', packed);
  return () => rmSync(dir, { recursive: true, force: true });
}
