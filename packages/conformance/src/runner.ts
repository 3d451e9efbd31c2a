/**
 * Runs the scenario table against adapters. Each target starts its app five times (default options,
 * issuer down, and each `corsPreflight` value given explicitly); every scenario is sent to each,
 * checked against the table, and finally compared across targets: status, challenge, cache and retry
 * headers and body must be equal.
 */
import type { EntraValidatorOptions, RequireGroupsOptions } from '@org/entra-core';
import type { CorsPreflightMode } from '@org/entra-core/adapter';
import { createMockEntra, createMockGraph, type MockEntra, type MockGraph } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, parse } from './check.js';
import type { StartedApp } from './http.js';
import { GROUP, OVERAGE_MEMBER, ROUTES } from './routes.js';
import { type AppKind, SCENARIOS, type Scenario } from './scenarios.js';

/**
 * How one app is configured: validator options (the adapter owns its validator) and the preflight
 * mode, `undefined` for none given (the adapter's default). Apps pass it with {@link preflightOption}.
 */
export interface AppConfig {
  readonly auth: EntraValidatorOptions;
  readonly corsPreflight: CorsPreflightMode | undefined;
  /** Options of the group routes' checks: a Graph look-alike that answers, and one that is down. */
  readonly groups: Readonly<Record<'up' | 'down', RequireGroupsOptions>>;
}

/** `{ corsPreflight }` when the config names a mode, `{}` otherwise (so the default is what runs). */
export function preflightOption(config: AppConfig): { corsPreflight?: CorsPreflightMode } {
  return config.corsPreflight === undefined ? {} : { corsPreflight: config.corsPreflight };
}

const PREFLIGHT_MODES: Record<AppKind, CorsPreflightMode | undefined> = {
  main: undefined,
  keysDown: undefined,
  answerPreflight: 'answer',
  authenticatePreflight: 'authenticate',
  passPreflight: 'pass',
};

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
  let graph: MockGraph | undefined;
  let graphDown: MockGraph | undefined;
  let groups: AppConfig['groups'] | undefined;
  const requests = new Map<Scenario, Record<string, string | readonly string[]>>();
  const observed = new Map<Scenario, Map<string, Observed>>();

  beforeAll(async () => {
    [entra, down, graph, graphDown] = await Promise.all([
      createMockEntra(),
      createMockEntra(),
      createMockGraph({ groups: { [OVERAGE_MEMBER]: [GROUP] } }),
      createMockGraph(),
    ]);
    down.setFault('down');
    graphDown.setFault('down');
    groups = {
      up: { getGraphToken: () => 'graph-token', graphUrl: graph.url },
      down: { getGraphToken: () => 'graph-token', graphUrl: graphDown.url, timeoutMs: 2000 },
    };
    // One request per scenario, sent to every target: the same token everywhere.
    for (const s of SCENARIOS) requests.set(s, s.headers?.(s.app === 'keysDown' ? down : entra) ?? {});
  });
  afterAll(async () => {
    await Promise.all([entra?.close(), down?.close(), graph?.close(), graphDown?.close()]);
  });

  for (const target of targets) {
    describe(target.name, () => {
      const apps = new Map<AppKind, StartedApp>();
      beforeAll(async () => {
        for (const kind of Object.keys(PREFLIGHT_MODES) as AppKind[]) {
          const kit = kind === 'keysDown' ? down! : entra!;
          const corsPreflight = PREFLIGHT_MODES[kind];
          apps.set(
            kind,
            await target.start({ auth: kit.validatorOptions(), corsPreflight, groups: groups! }),
          );
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
