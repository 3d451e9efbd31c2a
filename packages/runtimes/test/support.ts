import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, inject } from 'vitest';
import { type Cases, makeCases } from '../src/index.js';

/** One look-alike issuer for the test file, its port, and the four tokens. */
export function issuerForThisFile(): {
  readonly entra: MockEntra;
  readonly cases: Cases;
  readonly port: number;
} {
  const state = {} as { entra: MockEntra; cases: Cases; port: number };
  beforeAll(async () => {
    const buildError = inject('buildError');
    if (buildError !== undefined) throw new Error(buildError);
    state.entra = await createMockEntra();
    state.cases = makeCases(state.entra);
    state.port = Number(new URL(state.entra.authority).port);
  });
  afterAll(async () => {
    await state.entra?.close();
  });
  return state;
}
