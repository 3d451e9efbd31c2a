/**
 * Runs the scenario table against adapters. Each target starts its app three times (normal, issuer
 * down, preflights authenticated); every scenario is sent to each, checked against the table, and
 * finally compared across targets: status, challenge, cache and retry headers and body must be equal.
 */
import type { EntraValidatorOptions } from '@org/entra-core';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, parse } from './check.js';
import type { StartedApp } from './http.js';
import { ROUTES } from './routes.js';
import { type AppKind, SCENARIOS, type Scenario } from './scenarios.js';

/** How one app is configured: validator options (the adapter owns its validator) and preflight mode. */
export interface AppConfig {
  readonly auth: EntraValidatorOptions;
  readonly corsPreflight: 'pass' | 'authenticate';
}

/** An adapter under test: starts the app of `routes.ts` for a configuration. */
export interface ConformanceTarget {
  readonly name: string;
  start(config: AppConfig): Promise<StartedApp>;
}

/** What must be identical across adapters. */
interface Observed {
  status: number;
  wwwAuthenticate: string | undefined;
  cacheControl: string | undefined;
  retryAfter: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

/** Declares the conformance suite for the targets, with one pair of local issuers for the whole run. */
export function describeConformance(targets: readonly ConformanceTarget[]): void {
  let entra: MockEntra | undefined;
  let down: MockEntra | undefined;
  const requests = new Map<Scenario, Record<string, string | readonly string[]>>();
  const observed = new Map<Scenario, Map<string, Observed>>();

  beforeAll(async () => {
    [entra, down] = await Promise.all([createMockEntra(), createMockEntra()]);
    down.setFault('down');
    // One request per scenario, sent to every target: the same token everywhere.
    for (const s of SCENARIOS) requests.set(s, s.headers?.(s.app === 'keysDown' ? down : entra) ?? {});
  });
  afterAll(async () => {
    await Promise.all([entra?.close(), down?.close()]);
  });

  for (const target of targets) {
    describe(target.name, () => {
      const apps = new Map<AppKind, StartedApp>();
      beforeAll(async () => {
        const kits = { main: entra!, keysDown: down!, authenticatePreflight: entra! };
        for (const kind of Object.keys(kits) as AppKind[]) {
          const corsPreflight = kind === 'authenticatePreflight' ? 'authenticate' : 'pass';
          apps.set(kind, await target.start({ auth: kits[kind].validatorOptions(), corsPreflight }));
        }
      });
      afterAll(async () => {
        await Promise.all([...apps.values()].map((app) => app.close()));
      });

      for (const scenario of SCENARIOS) {
        it(scenario.name, async () => {
          const headers = requests.get(scenario)!;
          const res = await apps
            .get(scenario.app ?? 'main')!
            .send({ method: scenario.method ?? 'GET', path: scenario.path, headers });
          const seen = observed.get(scenario) ?? new Map<string, Observed>();
          observed.set(scenario, seen);
          seen.set(target.name, {
            status: res.status,
            wwwAuthenticate: res.headers['www-authenticate'],
            cacheControl: res.headers['cache-control'],
            retryAfter: res.headers['retry-after'],
            // Success bodies are the app's own: only an error's content type is the adapter's.
            contentType: res.status >= 400 ? res.headers['content-type'] : undefined,
            body: parse(res.body),
          });
          check(scenario, headers, res);
        });
      }
    });
  }

  it('the table names each scenario once and reaches every route', () => {
    expect(new Set(SCENARIOS.map((s) => s.name)).size).toBe(SCENARIOS.length);
    expect(new Set(SCENARIOS.map((s) => s.path))).toEqual(new Set(ROUTES.map((r) => r.path)));
  });

  describe('every adapter answers alike', () => {
    for (const scenario of SCENARIOS) {
      it(scenario.name, () => {
        const seen = [...(observed.get(scenario) ?? new Map<string, Observed>())];
        expect(seen.map(([name]) => name)).toEqual(targets.map((t) => t.name));
        const [, reference] = seen[0]!;
        for (const [, answer] of seen) expect(answer).toEqual(reference);
      });
    }
  });
}
