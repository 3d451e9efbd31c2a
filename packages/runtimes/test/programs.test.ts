// Node 20, 22 and 24, Bun and Deno: every suite (programs/suites) run as a program by each runtime
// against the look-alike issuer, importing the built @org/entra-core and @org/entra-fetch. The
// whole transcript is compared: which runtime (and version) ran it, then one line per token.
import { describe, expect, it } from 'vitest';
import {
  allRuntimes,
  deno,
  expectedCaseLines,
  programArgs,
  reportedVersion,
  runProgram,
  SUITES,
} from '../src/index.js';
import { issuerForThisFile } from './support.js';

const issuer = issuerForThisFile();

describe.each(allRuntimes().map((runtime) => [runtime.label, runtime] as const))('%s', (_label, runtime) => {
  it.each(SUITES)(
    '%s: valid 200, expired 401 token_expired, tampered 401 invalid_signature, wrong scope 403 insufficient_scope',
    async (suite) => {
      const version = reportedVersion(runtime);
      if (runtime.major !== undefined) expect(version.split('.')[0]).toBe(String(runtime.major));
      const lines = await runProgram(
        runtime.bin,
        programArgs(runtime, suite, issuer.port),
        issuer.cases.input,
      );
      expect(lines).toEqual([
        { suite, runtime: { name: runtime.kind, version } },
        ...expectedCaseLines(suite, issuer.cases),
        { suite, done: true },
      ]);
    },
  );
});

describe('deno permissions', () => {
  it('are enforced: allowed to reach another port only, the core gets no keys and answers 503 keys_unavailable', async () => {
    const runtime = deno();
    const args = programArgs(runtime, 'core', issuer.port + 1);
    const valid = issuer.cases.input.cases.slice(0, 1);
    const lines = await runProgram(runtime.bin, args, { ...issuer.cases.input, cases: valid });
    expect(lines).toEqual([
      { suite: 'core', runtime: { name: 'deno', version: reportedVersion(runtime) } },
      { suite: 'core', case: 'valid', status: 503, code: 'keys_unavailable' },
      { suite: 'core', done: true },
    ]);
  });
});
