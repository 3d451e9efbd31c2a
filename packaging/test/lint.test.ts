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
import { publishedPackages } from '../src/workspace.js';

const RESOLUTION_KINDS = ['node10', 'node16-cjs', 'node16-esm', 'bundler'] as const;

describe.each(publishedPackages())('$name', ({ name }) => {
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
    expect(Object.keys(analysis.entrypoints)).toEqual(['.', './package.json']);
    const entry = analysis.entrypoints['.'];
    const typesFiles = Object.fromEntries(
      RESOLUTION_KINDS.map((kind) => [kind, entry?.resolutions[kind].resolution?.fileName.split('/').pop()]),
    );
    // CommonJS resolutions get the .d.cts beside index.cjs; ESM and bundlers the .d.ts beside index.js.
    expect(typesFiles).toEqual({
      node10: 'index.d.cts',
      'node16-cjs': 'index.d.cts',
      'node16-esm': 'index.d.ts',
      bundler: 'index.d.ts',
    });
  });
});
