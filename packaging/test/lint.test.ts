// publint (strict: warnings count as errors, and suggestions are shown too) and "Are the types
// wrong?" on the tarballs `pnpm pack` made: the artifacts the registry would receive. This is what
// `publint --strict` and `attw --pack` report, run on pnpm's tarball rather than an `npm pack` one
// (npm would neither rewrite workspace ranges nor apply publishConfig.exports). attw runs with its
// strict profile: every resolution mode, node10 included, must find types and the right format.
import { checkPackage } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, inject, it } from 'vitest';
import { readTarball } from '../src/tarball.js';
import { entryPoints, publishedPackages } from '../src/workspace.js';

const RESOLUTION_KINDS = ['node10', 'node16-cjs', 'node16-esm', 'bundler'] as const;

describe.each(publishedPackages())('$name', (published) => {
  const { name } = published;
  function tarball() {
    const packed = inject('packed');
    expect(packed.error).toBeUndefined();
    return readTarball(packed.tarballs[name] as string);
  }

  it('passes publint --strict with no message at all', async () => {
    const { bytes, manifest } = tarball();
    const { messages } = await publint({
      pack: { tarball: bytes.slice().buffer },
      strict: true,
      level: 'suggestion',
    });
    expect(
      messages.map((m) => `${m.type}: ${formatMessage(m, manifest, { color: false }) ?? m.code}`),
    ).toEqual([]);
  });

  it('passes attw with the strict profile: typed and correctly formatted in every resolution mode', async () => {
    const { pkg } = tarball();
    const analysis = await checkPackage(pkg);
    if (analysis.types === false) throw new Error(`${name} ships no types`);
    expect(analysis.problems).toEqual([]);
    const entries = entryPoints(published);
    expect(Object.keys(analysis.entrypoints)).toEqual([...entries.map((e) => e.subpath), './package.json']);
    for (const { subpath, file } of entries) {
      const entry = analysis.entrypoints[subpath];
      const typesFiles = Object.fromEntries(
        RESOLUTION_KINDS.map((kind) => [
          kind,
          // The path under dist/: `adapter.d.ts`, or `stores/redis.d.ts` for a nested entry.
          entry?.resolutions[kind].resolution?.fileName.split('/dist/').pop(),
        ]),
      );
      // CommonJS resolutions get the .d.cts beside the .cjs; ESM and bundlers the .d.ts beside the .js
      // (node10, which ignores `exports`, reaches a subpath through `typesVersions`).
      expect(typesFiles, subpath).toEqual({
        node10: `${file}.d.cts`,
        'node16-cjs': `${file}.d.cts`,
        'node16-esm': `${file}.d.ts`,
        bundler: `${file}.d.ts`,
      });
    }
  });
});
