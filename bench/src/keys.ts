/**
 * Key-behaviour probes, against a kit of their own (keys are rotated and the issuer is taken down
 * here): how many requests a verifier makes, and whether it accepts what it should, when
 *
 * - 200 verifications start at once on a cold verifier;
 * - a burst of tokens with unknown kids arrives (forged, or from another issuer);
 * - a key is published, and its first token arrives;
 * - the key endpoint dies while a token's key is cached, and after the cache's age has run out.
 *
 * Every wait is bounded (`maxWaitMs`), every request goes to 127.0.0.1.
 */

import * as core from '@org/entra-core';
import { isEntraAuthError } from '@org/entra-core';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { envNumber, isMain, log, runMain, sleep, writeJson } from './lib/cli.js';
import { type KitInfo, kitInfo, mint, validatorOptions } from './lib/kit.js';
import {
  type Contender,
  type ContenderId,
  createContender,
  fetchJwks,
  joseRemote,
  jsonwebtoken,
  oauth2Bearer,
  ours,
  settle,
  settleWithin,
} from './lib/peers.js';

const PROBED: readonly ContenderId[] = [
  'ours',
  'aws-jwt-verify-remote',
  'jose-remote',
  'oauth2-jwt-bearer',
  'jsonwebtoken-jwks-rsa',
];

export interface ColdProbe {
  readonly id: string;
  readonly label: string;
  readonly concurrent: number;
  readonly accepted: number;
  readonly discoveryFetches: number;
  readonly jwksFetches: number;
  readonly ms: number;
}

export interface UnknownKidProbe {
  readonly id: string;
  readonly label: string;
  readonly burst: number;
  readonly burstMs: number;
  readonly jwksFetches: number;
  /** Verifications still pending after `verifyTimeoutMs` (queued behind a rate limiter). */
  readonly timedOut: number;
  /** A token with a known kid, sent right after the burst, is still accepted. */
  readonly knownKidStillAccepted: boolean;
}

export interface NewKeyProbe {
  readonly id: string;
  readonly label: string;
  /** Milliseconds from publication to the first acceptance, or null if not within `maxWaitMs`. */
  readonly acceptedAfterMs: number | null;
  readonly attempts: number;
  readonly acceptedOnFirstRequest: boolean;
}

export interface DeadEndpointProbe {
  readonly id: string;
  readonly label: string;
  /** The cache setting that makes the cached keys due for a refresh during the probe. */
  readonly cacheSetting: string;
  readonly acceptedRightAfter: boolean;
  readonly acceptedAfterCacheAge: boolean;
  readonly error?: string;
}

export interface KeysResult {
  readonly maxWaitMs: number;
  readonly cacheAgeMs: number;
  readonly verifyTimeoutMs: number;
  readonly pollMs: number;
  readonly cold: ColdProbe[];
  readonly unknownKids: UnknownKidProbe[];
  readonly newKey: NewKeyProbe[];
  readonly deadEndpoint: DeadEndpointProbe[];
  /** Ours past `maxStaleSeconds` with the issuer still down: by design a 503 `keys_unavailable`. */
  readonly pastMaxStale: { code: string | undefined; status: number | undefined };
}

export interface KeysOptions {
  maxWaitMs: number;
  /** The longest one verification may take in the burst probe before it counts as timed out. */
  verifyTimeoutMs: number;
  /** Key cache age in the dead-endpoint probes (real time: the probes wait 1.5 and 2.5 times this). */
  cacheAgeMs: number;
  pollMs: number;
  concurrent: number;
  burst: number;
}

export const DEFAULT_KEYS: KeysOptions = {
  maxWaitMs: 40_000,
  verifyTimeoutMs: 2000,
  cacheAgeMs: 1000,
  pollMs: 250,
  concurrent: 200,
  burst: 100,
};

function paths(kit: KitInfo) {
  return { discovery: new URL(kit.discoveryUrl).pathname, jwks: new URL(kit.jwksUri).pathname };
}

async function contenders(kit: KitInfo): Promise<Contender[]> {
  const jwks = await fetchJwks(kit);
  return PROBED.map((id) => createContender(id, { kit, jwks }));
}

async function coldProbe(entra: MockEntra, kit: KitInfo, options: KeysOptions): Promise<ColdProbe[]> {
  const p = paths(kit);
  const tokens = mint(entra, options.concurrent);
  const out: ColdProbe[] = [];
  for (const contender of await contenders(kit)) {
    entra.resetCounts();
    const t0 = performance.now();
    const settled = await Promise.all(tokens.map((t) => settleWithin(contender, t, 10_000)));
    out.push({
      id: contender.id,
      label: contender.label,
      concurrent: tokens.length,
      accepted: settled.filter((o) => o === 'accepted').length,
      discoveryFetches: entra.requestCount(p.discovery),
      jwksFetches: entra.requestCount(p.jwks),
      ms: performance.now() - t0,
    });
    contender.close?.();
  }
  return out;
}

async function unknownKidProbe(
  entra: MockEntra,
  kit: KitInfo,
  options: KeysOptions,
): Promise<UnknownKidProbe[]> {
  const p = paths(kit);
  // `signWith: 'unpublished'` puts a fresh random kid in each header.
  const forged = mint(entra, options.burst, {}, { signWith: 'unpublished' });
  const out: UnknownKidProbe[] = [];
  for (const contender of await contenders(kit)) {
    await settle(contender, entra.createToken());
    entra.resetCounts();
    const t0 = performance.now();
    const half = Math.floor(forged.length / 2);
    const within = (t: string) => settleWithin(contender, t, options.verifyTimeoutMs);
    const outcomes = await Promise.all(forged.slice(0, half).map(within));
    // The rest one by one, as a scanner would send them; a verifier that queues them is not waited
    // for beyond the first few.
    for (const t of forged.slice(half)) {
      const outcome = await within(t);
      outcomes.push(outcome);
      if (outcomes.filter((o) => o === 'timeout').length > 3) break;
      await sleep(10);
    }
    const burstMs = performance.now() - t0;
    const jwksFetches = entra.requestCount(p.jwks);
    const knownKidStillAccepted = (await within(entra.createToken())) === 'accepted';
    out.push({
      id: contender.id,
      label: contender.label,
      burst: outcomes.length,
      burstMs,
      jwksFetches,
      timedOut: outcomes.filter((o) => o === 'timeout').length,
      knownKidStillAccepted,
    });
    contender.close?.();
  }
  return out;
}

async function newKeyProbe(entra: MockEntra, kit: KitInfo, options: KeysOptions): Promise<NewKeyProbe[]> {
  const list = await contenders(kit);
  // Every contender fetches the key set now, as a server does at its first request.
  await Promise.all(list.map((c) => settle(c, entra.createToken())));
  await entra.rotateKeys();
  const published = performance.now();
  const token = entra.createToken();
  const out = await Promise.all(
    list.map(async (contender): Promise<NewKeyProbe> => {
      let attempts = 0;
      while (performance.now() - published < options.maxWaitMs) {
        attempts++;
        if ((await settleWithin(contender, token, options.verifyTimeoutMs)) === 'accepted') {
          return {
            id: contender.id,
            label: contender.label,
            acceptedAfterMs: performance.now() - published,
            attempts,
            acceptedOnFirstRequest: attempts === 1,
          };
        }
        await sleep(options.pollMs);
      }
      return {
        id: contender.id,
        label: contender.label,
        acceptedAfterMs: null,
        attempts,
        acceptedOnFirstRequest: false,
      };
    }),
  );
  for (const c of list) c.close?.();
  return out;
}

/** Contenders whose key cache runs out after `ageMs`, so the probe does not wait an hour. */
function shortLived(kit: KitInfo, jwks: { keys: Record<string, unknown>[] }, ageMs: number) {
  const cacheMaxAge = `cacheMaxAge: ${ageMs}`;
  return [
    {
      cacheSetting: `jwks.refreshIntervalSeconds: ${ageMs / 1000} (maxStaleSeconds: default 86400)`,
      contender: ours(
        'ours',
        '@org/entra-core',
        core,
        validatorOptions(kit, { tokenCache: false, jwks: { refreshIntervalSeconds: ageMs / 1000 } }),
      ),
    },
    {
      cacheSetting: 'no expiry (keys are kept until a kid is missing)',
      contender: createContender('aws-jwt-verify-remote', { kit, jwks }),
    },
    { cacheSetting: cacheMaxAge, contender: joseRemote(kit, { cacheMaxAge: ageMs }) },
    {
      cacheSetting: cacheMaxAge,
      contender: oauth2Bearer('oauth2-jwt-bearer', kit, { cacheMaxAge: ageMs }),
    },
    {
      cacheSetting: cacheMaxAge,
      contender: jsonwebtoken('jsonwebtoken-jwks-rsa', kit, { cacheMaxAge: ageMs }),
    },
  ];
}

async function deadEndpointProbe(
  entra: MockEntra,
  kit: KitInfo,
  ageMs: number,
): Promise<DeadEndpointProbe[]> {
  const list = shortLived(kit, await fetchJwks(kit), ageMs);
  await Promise.all(list.map(({ contender }) => settle(contender, entra.createToken())));
  entra.setFault('down');
  const right = await Promise.all(list.map(({ contender }) => settle(contender, entra.createToken())));
  await sleep(ageMs * 1.5);
  const errors: (string | undefined)[] = [];
  const later = await Promise.all(
    list.map(async ({ contender }, i) => {
      try {
        await contender.verify(entra.createToken());
        return true;
      } catch (error) {
        errors[i] = isEntraAuthError(error)
          ? error.code
          : error instanceof Error
            ? `${error.name}: ${error.message}`.slice(0, 120)
            : String(error);
        return false;
      }
    }),
  );
  entra.setFault(null);
  for (const { contender } of list) contender.close?.();
  return list.map(({ contender, cacheSetting }, i) => ({
    id: contender.id,
    label: contender.label,
    cacheSetting,
    acceptedRightAfter: right[i] === true,
    acceptedAfterCacheAge: later[i] === true,
    ...(errors[i] === undefined ? {} : { error: errors[i] }),
  }));
}

async function pastMaxStaleProbe(
  entra: MockEntra,
  kit: KitInfo,
  ageMs: number,
): Promise<KeysResult['pastMaxStale']> {
  const validator = core.createEntraValidator(
    validatorOptions(kit, {
      tokenCache: false,
      jwks: { refreshIntervalSeconds: ageMs / 1000, maxStaleSeconds: (2 * ageMs) / 1000 },
    }),
  );
  await validator.warmUp();
  entra.setFault('down');
  await sleep(ageMs * 2.5);
  try {
    await validator.verify(entra.createToken());
    return { code: undefined, status: 200 };
  } catch (error) {
    return isEntraAuthError(error)
      ? { code: error.code, status: error.status }
      : { code: String(error), status: undefined };
  } finally {
    entra.setFault(null);
    validator.close();
  }
}

export async function runKeys(options: KeysOptions = DEFAULT_KEYS): Promise<KeysResult> {
  const entra = await createMockEntra();
  try {
    const kit = kitInfo(entra);
    log(`keys: ${options.concurrent} concurrent cold verifications`);
    const cold = await coldProbe(entra, kit, options);
    log('keys: unknown-kid burst');
    const unknownKids = await unknownKidProbe(entra, kit, options);
    log(`keys: newly published key (waits up to ${Math.round(options.maxWaitMs / 1000)} s)`);
    const newKey = await newKeyProbe(entra, kit, options);
    log('keys: dead key endpoint');
    const deadEndpoint = await deadEndpointProbe(entra, kit, options.cacheAgeMs);
    const pastMaxStale = await pastMaxStaleProbe(entra, kit, options.cacheAgeMs);
    return {
      maxWaitMs: options.maxWaitMs,
      verifyTimeoutMs: options.verifyTimeoutMs,
      cacheAgeMs: options.cacheAgeMs,
      pollMs: options.pollMs,
      cold,
      unknownKids,
      newKey,
      deadEndpoint,
      pastMaxStale,
    };
  } finally {
    await entra.close();
  }
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const [outPath] = process.argv.slice(2);
    if (outPath === undefined) throw new Error('usage: keys.js <out.json>');
    writeJson(
      outPath,
      await runKeys({
        ...DEFAULT_KEYS,
        maxWaitMs: envNumber('BENCH_KEYS_MAX_WAIT_MS', DEFAULT_KEYS.maxWaitMs),
      }),
    );
  });
}
