// Every public export of every entry point of every published package (`@org/entra-core` and
// `@org/entra-core/adapter` alike), read with the TypeScript compiler from its source (types
// included; the per-package exports tests cover the runtime values): each must
// carry TSDoc with a summary and an @example, which is what the API reference in docs/api shows. The
// snapshot of names and kinds makes any change to the public surface visible in review.
import { expect, it } from 'vitest';
import { readApiSurface } from '../src/api-surface.js';
import { entryPoints, publishedPackages } from '../src/workspace.js';

const surface = readApiSurface(
  Object.fromEntries(publishedPackages().flatMap((p) => entryPoints(p).map((e) => [e.specifier, e.source]))),
);

it('documents every public export with TSDoc and an @example', () => {
  const undocumented: string[] = [];
  for (const [pkg, declarations] of Object.entries(surface)) {
    for (const d of declarations) {
      if (d.summary === '') undocumented.push(`${pkg}: ${d.name} (${d.file}) has no TSDoc summary`);
      if (!d.tags.includes('example')) undocumented.push(`${pkg}: ${d.name} (${d.file}) has no @example`);
    }
  }
  expect(undocumented).toEqual([]);
});

it('keeps the public API surface of each package (names and kinds)', () => {
  const names = Object.fromEntries(
    Object.entries(surface).map(([pkg, declarations]) => [
      pkg,
      declarations.map((d) => `${d.kind} ${d.name}`),
    ]),
  );
  expect(names).toMatchSnapshot();
});
