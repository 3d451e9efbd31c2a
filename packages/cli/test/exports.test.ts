// The public API of the package, as runtime values: a change here is a change for every user, so it
// shows in review. Type-only exports are snapshotted with the rest in packaging/test/api.test.ts.
import { expect, it } from 'vitest';
import * as entry from '../src/index.js';

it('exports exactly its public API', () => {
  expect(Object.keys(entry).sort()).toMatchInlineSnapshot(`
    [
      "CHECKS",
      "EXPLANATIONS",
      "UsageError",
      "createStyle",
      "decodeToken",
      "describeTime",
      "explainRefusal",
      "explainToken",
      "formatDuration",
      "formatRelative",
      "isoDate",
      "normalizeToken",
      "renderDecode",
      "renderExplain",
      "renderVerify",
      "summarize",
      "verifyToken",
    ]
  `);
});
