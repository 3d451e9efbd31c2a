import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll } from 'vitest';
import {
  createEntraValidator,
  type EntraAuthError,
  type EntraEvent,
  type EntraPrincipal,
  type EntraValidator,
  type EntraValidatorOptions,
  isEntraAuthError,
} from '../src/index.js';

export const OTHER_TENANT = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
export const CONSUMERS = '9188040d-6c67-4c5b-b112-36a304b66dad';

/** A clock the test moves by hand; shared by the kit (token times) and validators (checks). */
export class ManualClock {
  now = Date.UTC(2026, 10, 28, 12, 0, 0);
  readonly fn = (): number => this.now;
  advance(seconds: number): void {
    this.now += seconds * 1000;
  }
}

/** One local issuer per test file (RSA key generation is the slow part), with a manual clock. */
export function useMockEntra(options: { tenantId?: string } = {}): {
  entra: () => MockEntra;
  clock: ManualClock;
} {
  const clock = new ManualClock();
  let entra: MockEntra | undefined;
  beforeAll(async () => {
    entra = await createMockEntra({ ...options, clock: clock.fn });
  });
  afterAll(async () => {
    await entra?.close();
  });
  return {
    entra: () => {
      if (entra === undefined) throw new Error('the mock issuer is not started');
      return entra;
    },
    clock,
  };
}

/** A validator pointed at the kit, with the test's clock and an event log. */
export function validatorFor(
  entra: MockEntra,
  clock: ManualClock,
  extra: Partial<EntraValidatorOptions> = {},
): { validator: EntraValidator; events: EntraEvent[] } {
  const events: EntraEvent[] = [];
  const validator = createEntraValidator(
    entra.validatorOptions({
      clock: clock.fn,
      onEvent: (e: EntraEvent) => events.push(e),
      ...extra,
    }) as EntraValidatorOptions,
  );
  return { validator, events };
}

/** The error code a promise rejects with, or 'ok'. Fails the test on any non-Entra error. */
export async function codeOf(promise: Promise<EntraPrincipal>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (e) {
    if (!isEntraAuthError(e)) throw e;
    return e.code;
  }
}

/** The rejection itself (an EntraAuthError), failing if the promise resolves. */
export async function errorOf(promise: Promise<unknown>): Promise<EntraAuthError> {
  try {
    await promise;
  } catch (e) {
    if (isEntraAuthError(e)) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

/** Waits until `condition` holds (checked every few milliseconds), failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
