/**
 * The core as an edge bundler resolves it: `@org/entra-core` bundled by esbuild for a runtime that
 * is not Node (the `workerd`, `worker` and `browser` conditions, as Wrangler sets them, and no
 * `node`), so package.json's `imports` map `#runtime` to its `default`, the WebCrypto runtime.
 * The bundle is a module of its own, loaded beside the Node copy that the rest of the process uses.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Core from '@org/entra-core';
import { build } from 'esbuild';
import { benchRoot } from './machine.js';

export type CoreModule = typeof Core;

/** The conditions an edge bundler resolves packages with (Wrangler's, for Cloudflare Workers). */
export const EDGE_CONDITIONS = ['workerd', 'worker', 'browser'] as const;

/**
 * Bundles the core for the edge and imports the bundle. Run from the bench's build, the bundle is
 * made of the core's build (dist/, as published); run from its TypeScript sources (the smoke test),
 * of the core's sources, through the workspace's `@org/source` condition.
 */
export async function loadEdgeCore(): Promise<CoreModule> {
  const fromSource = import.meta.url.endsWith('.ts');
  const result = await build({
    stdin: {
      contents: "export * from '@org/entra-core';",
      resolveDir: benchRoot,
      sourcefile: 'edge-entry.js',
      loader: 'js',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: fromSource ? ['@org/source', ...EDGE_CONDITIONS] : [...EDGE_CONDITIONS],
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text;
  if (code === undefined) throw new Error('esbuild produced no bundle of @org/entra-core');
  if (/\bfrom\s*["']node:/.test(code)) {
    throw new Error(
      'the edge bundle of @org/entra-core imports a node: module: it did not resolve for the edge',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'entra-edge-core-'));
  const file = join(dir, 'core.mjs');
  writeFileSync(file, code);
  try {
    return (await import(pathToFileURL(file).href)) as CoreModule;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
