// Every TypeScript block of the documentation compiles (see src/snippets.ts for which files, the
// `nocheck` marker and the prelude). One test per block, named by file and line; a failure lists
// the compiler's errors at their Markdown line.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkSnippets,
  extractSnippets,
  markdownFiles,
  type SnippetResult,
  snippetName,
} from '../src/snippets.js';
import { root } from '../src/workspace.js';

const files = markdownFiles();
const snippets = files.flatMap((file) => extractSnippets(file));
const sample = extractSnippets(join('packaging', 'fixtures', 'snippets', 'sample.md'));
let results = new Map<string, SnippetResult>();

beforeAll(() => {
  results = new Map(
    checkSnippets([...snippets, ...sample]).map((result) => [snippetName(result.snippet), result]),
  );
}, 180_000);

describe('the snippet checker', () => {
  it('reads README.md, docs/*.md and the README of every package and example', () => {
    expect(files).toContain('README.md');
    expect(files).toContain('docs/errors.md');
    expect(files).toContain('packages/core/README.md');
    expect(files).toContain('packages/express/README.md');
    expect(
      files.every((file) =>
        /^(README\.md|docs\/[^/]+\.md|(packages|examples)\/[^/]+\/README\.md)$/.test(file),
      ),
    ).toBe(true);
    expect(snippets.length).toBeGreaterThan(30);
  });

  it('takes ```ts and ```typescript blocks with their Markdown line, honours nocheck, ignores other languages', () => {
    expect(sample.map((s) => [s.line, s.nocheck])).toEqual([
      [4, false],
      [10, false],
      [14, true],
      [22, false],
    ]);
  });

  it('passes a block that compiles with the prelude, and fails one that does not, at its Markdown line', () => {
    const file = 'packaging/fixtures/snippets/sample.md';
    expect(results.get(`${file}:4`)?.errors).toEqual([]);
    expect(results.get(`${file}:22`)?.errors).toEqual([]);
    expect(results.get(`${file}:10`)?.errors).toEqual([
      `${file}:10:7 TS2322 Type 'string' is not assignable to type 'number'.`,
    ]);
    expect(results.has(`${file}:14`)).toBe(false);
  });
});

describe.each(files.filter((file) => snippets.some((s) => s.file === file)))('%s', (file) => {
  const blocks = snippets.filter((s) => s.file === file && !s.nocheck);
  it.each(blocks.map((s) => [snippetName(s)]))('%s compiles', (name) => {
    expect(results.get(name)?.errors, `${name}\n(in ${root})`).toEqual([]);
  });
});
