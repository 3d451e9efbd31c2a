/**
 * Runs the scenario table against adapters. Each target starts its app five times (default options,
 * issuer down, and each `corsPreflight` value given explicitly); every scenario is sent to each,
 * checked against the table, and finally compared across targets: status, challenge, cache and retry
 * headers and body must be equal.
 */
import {
  combineValidators,
  createEntraValidator,
  type EntraValidator,
  type EntraValidatorOptions,
  type RequireGroupsOptions,
} from '@org/entra-core';
import type { CorsPreflightMode } from '@org/entra-core/adapter';
import { createMockEntra, createMockGraph, type MockEntra, type MockGraph } from '@org/entra-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, parse } from './check.js';
import type { StartedApp } from './http.js';
import { GROUP, OVERAGE_MEMBER, ROUTES } from './routes.js';
import { type AppKind, type Kits, SCENARIOS, type Scenario } from './scenarios.js';

/**
 * How one app is configured: validator options (the adapter owns its validator) or, for the
 * `combined` app, a validator made by `combineValidators` (pass it wherever the adapter takes a
 * validator); and the preflight mode, `undefined` for none given (the adapter's default). Apps pass
 * it with {@link preflightOption}.
 */
export interface AppConfig {
  readonly auth: EntraValidatorOptions | EntraValidator;
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
  combined: undefined,
};

/** A workforce tenant, an Azure AD B2C tenant and an Entra External ID tenant, behind one validator. */
function combinedValidator(kits: Kits): EntraValidator {
  return combineValidators([
    createEntraValidator(kits.workforce.validatorOptions()),
    createEntraValidator(kits.b2c.validatorOptions()),
    createEntraValidator(kits.externalId.validatorOptions()),
  ]);
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

/** Declares the conformance suite for the targets, with one set of local issuers for the whole run. */
export function describeConformance(targets: readonly ConformanceTarget[]): void {
  let entra: MockEntra | undefined;
  let down: MockEntra | undefined;
  let graph: MockGraph | undefined;
  let graphDown: MockGraph | undefined;
  let groups: AppConfig['groups'] | undefined;
  let kits: Kits | undefined;
  const requests = new Map<Scenario, Record<string, string | readonly string[]>>();
  const observed = new Map<Scenario, Map<string, Observed>>();

  beforeAll(async () => {
    const [workforce, offline, b2c, externalId, up, unreachable] = await Promise.all([
      createMockEntra(),
      createMockEntra(),
      createMockEntra({ flavour: 'b2c', policies: ['B2C_1_signupsignin', 'B2C_1_passwordreset'] }),
      createMockEntra({ flavour: 'externalId', tenantId: '3f8c1a2b-4d5e-4f60-9a7b-8c9d0e1f2a3b' }),
      createMockGraph({ groups: { [OVERAGE_MEMBER]: [GROUP] } }),
      createMockGraph(),
    ]);
    [entra, down, kits, graph, graphDown] = [
      workforce,
      offline,
      { workforce, b2c, externalId },
      up,
      unreachable,
    ];
    offline.setFault('down');
    unreachable.setFault('down');
    groups = {
      up: { getGraphToken: () => 'graph-token', graphUrl: up.url },
      down: { getGraphToken: () => 'graph-token', graphUrl: unreachable.url, timeoutMs: 2000 },
    };
    // One request per scenario, sent to every target: the same token everywhere.
    for (const s of SCENARIOS)
      requests.set(s, s.headers?.(s.app === 'keysDown' ? offline : workforce, kits) ?? {});
  });
  afterAll(async () => {
    await Promise.all([
      entra?.close(),
      down?.close(),
      kits?.b2c.close(),
      kits?.externalId.close(),
      graph?.close(),
      graphDown?.close(),
    ]);
  });

  for (const target of targets) {
    describe(target.name, () => {
      const apps = new Map<AppKind, StartedApp>();
      const given: EntraValidator[] = [];
      beforeAll(async () => {
        for (const kind of Object.keys(PREFLIGHT_MODES) as AppKind[]) {
          const kit = kind === 'keysDown' ? down! : entra!;
          const corsPreflight = PREFLIGHT_MODES[kind];
          const combined = kind === 'combined' ? combinedValidator(kits!) : undefined;
          if (combined !== undefined) given.push(combined);
          apps.set(
            kind,
            await target.start({ auth: combined ?? kit.validatorOptions(), corsPreflight, groups: groups! }),
          );
        }
      });
      afterAll(async () => {
        await Promise.all([...apps.values()].map((app) => app.close()));
        // A validator the app was given is the caller's to close.
        for (const v of given) v.close();
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
