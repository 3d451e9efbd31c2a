/**
 * The targets the page is judged by, each with the issue that set it, what was measured and a
 * verdict: met, not met, or not measured (and why). This round's targets come first (issues 11, 12
 * and 16, and the key store of DESIGN.md's "Operating it"); the standing ones of issue 6 follow.
 */
import type { ColdContender, ColdStartResult } from '../coldstart.js';
import type { HttpConfigResult, HttpResult } from '../http.js';
import type { KeysResult } from '../keys.js';
import { CORE_TOKEN_CACHE_MAX } from '../lib/kit.js';
import { relativeSpread, type Summary, summarize } from '../lib/stats.js';
import type { MemoryResult } from '../memory.js';
import { type Baseline, COMPARED_HTTP_ROWS } from './baseline.js';
import { fixed, iqr, mb, ms, pct, times, us } from './format.js';
import type { AllResults } from './types.js';
import { httpView, type MicroView, microView } from './views.js';

export type Verdict = { met: boolean | undefined; text: string };

export function verdictCell(v: Verdict): string {
  return v.met === undefined ? `not measured: ${v.text}` : `${v.met ? '**met**' : '**not met**'}: ${v.text}`;
}

export interface TargetRow {
  /** The issue that set the target, e.g. `#12`. */
  readonly issue: string;
  readonly target: string;
  readonly measured: string;
  readonly verdict: Verdict;
}

type Row = Omit<TargetRow, 'issue'>;

/** Warm verification: the ceiling over the floor set by issue 12 (issue 6 asked for 1.10). */
export const FLOOR_CEILING = 1.15;
/** What telemetry may add to a verification (issue 16). */
export const TELEMETRY_CEILING = 0.05;

/** A share added (or saved, when negative), with its sign. */
function signed(x: number): string {
  return x >= 0 ? `+${pct(x)}` : pct(x);
}

function notMeasured(target: string, why: string): Row {
  return { target, measured: '–', verdict: { met: undefined, text: why } };
}

// ---------------------------------------------------------------------------------------------
// This round

function warmVerification(m: MicroView | undefined): Row[] {
  const toFloor = m?.ratio('ours', 'floor');
  const toAws = m?.ratio('ours', 'aws-jwt-verify');
  const floorTarget = `Warm verification of a distinct token ≤ ${FLOOR_CEILING.toFixed(2)} × the floor`;
  const awsTarget = 'Warm verification faster than aws-jwt-verify';
  const rows: Row[] = [];
  if (toFloor) {
    const met = toFloor.median <= FLOOR_CEILING;
    rows.push({
      target: floorTarget,
      measured: `${times(toFloor.median)} (IQR ${iqr(toFloor, (x) => fixed(x, 2))})`,
      verdict: {
        met,
        text: met
          ? `within ${pct(FLOOR_CEILING - 1)} of node:crypto.verify plus the claim checks`
          : `ours costs ${pct(toFloor.median - 1)} more CPU than the floor per verification; see "Where the core spends its time"`,
      },
    });
  } else rows.push(notMeasured(floorTarget, 'no micro-benchmarks in these results'));
  if (toAws) {
    rows.push({
      target: awsTarget,
      measured: `ours / aws-jwt-verify = ${times(toAws.median)} (IQR ${iqr(toAws, (x) => fixed(x, 2))})`,
      verdict: {
        met: toAws.median < 1,
        text: toAws.median < 1 ? `${times(1 / toAws.median)} faster` : 'slower',
      },
    });
  } else rows.push(notMeasured(awsTarget, 'no micro-benchmarks in these results'));
  return rows;
}

/** Ours over HTTP now vs the earlier run of bench/baseline.json, as shares of the no-auth baseline. */
function httpVsBefore(http: HttpResult | undefined, before: Baseline | undefined): Row {
  const target = 'HTTP: our rows no worse than before, beyond the run-to-run spread';
  if (http === undefined) return notMeasured(target, 'no HTTP results');
  if (before === undefined) return notMeasured(target, 'no earlier figures (bench/baseline.json)');
  const parts: string[] = [];
  const worse: string[] = [];
  // A pool the cache can hold turns the distinct rows into cache hits: not the rows of before.
  const distinctIsMiss = http.pools.distinct > CORE_TOKEN_CACHE_MAX;
  for (const f of http.frameworks) {
    const v = httpView(f);
    for (const id of COMPARED_HTTP_ROWS) {
      if (id === 'ours' && !distinctIsMiss) continue;
      const now = v.ratio(id, 'baseline');
      const then = before.http[f.framework]?.[id];
      if (now === undefined || then === undefined) continue;
      // The larger of the two runs' spreads: a drop within it is noise, not a regression.
      const tolerance = Math.max(then.spread, relativeSpread(now));
      const name = `${f.framework}${id === 'ours' ? '' : ' reused'}`;
      parts.push(`${name} ${pct(then.share)} → ${pct(now.median)} (±${pct(tolerance)})`);
      if (now.median < then.share * (1 - tolerance)) worse.push(name);
    }
  }
  if (parts.length === 0) return notMeasured(target, 'no framework in common with the earlier figures');
  return {
    target,
    measured: `share of the no-auth baseline, before → now: ${parts.join(', ')}`,
    verdict: {
      met: worse.length === 0,
      text: [
        worse.length === 0
          ? 'no row fell by more than its spread'
          : `worse beyond the spread: ${worse.join(', ')}`,
        distinctIsMiss
          ? undefined
          : `distinct-token rows left out: the pool of ${http.pools.distinct} fits in the cache, so they were cache hits`,
        `before: ${before.source}`,
      ]
        .filter(Boolean)
        .join('; '),
    },
  };
}

function coldSummary(c: ColdStartResult, id: ColdContender, pick: (s: ColdSampleLike) => number) {
  const samples = c.contenders[id];
  return samples === undefined || samples.length === 0 ? undefined : summarize(samples.map(pick));
}

type ColdSampleLike = NonNullable<ColdStartResult['contenders'][ColdContender]>[number];

/** Cold start next to aws-jwt-verify, with what loading Node's fetch costs once (issue 11). */
function coldStart(c: ColdStartResult | undefined): Row {
  const target =
    "Cold start (process start to first verified token) next to aws-jwt-verify; the one-time load of Node's fetch stated";
  if (c === undefined) return notMeasured(target, 'no cold-start results');
  const wall = (s: ColdSampleLike) => s.wallMs;
  const ours = coldSummary(c, 'ours', wall);
  const aws = coldSummary(c, 'aws', wall);
  if (ours === undefined || aws === undefined) return notMeasured(target, 'ours or aws-jwt-verify missing');
  const fetchLoad = coldSummary(c, 'fetch', (s) => s.importedMs - (s.startedMs ?? 0));
  const fetchGet = coldSummary(c, 'fetch', (s) => s.sinceOriginMs - s.importedMs);
  const httpGet = coldSummary(c, 'http', (s) => s.sinceOriginMs - s.importedMs);
  const oursImport = coldSummary(c, 'ours', (s) => s.importedMs);
  const awsImport = coldSummary(c, 'aws', (s) => s.importedMs);
  const oursFirst = coldSummary(c, 'ours', (s) => s.sinceOriginMs - s.importedMs);
  const awsFirst = coldSummary(c, 'aws', (s) => s.sinceOriginMs - s.importedMs);
  const load = fetchLoad?.median ?? 0;
  // Slower than aws-jwt-verify by no more than loading fetch costs: the rest is on par.
  const met = ours.median <= aws.median + load;
  const diff =
    ours.median <= aws.median
      ? `no slower (${ms(aws.median - ours.median)} faster by the medians)`
      : `${ms(ours.median - aws.median)} slower by the medians` +
        (fetchLoad
          ? met
            ? ", no more than loading Node's fetch costs"
            : ", more than loading Node's fetch costs"
          : '');
  return {
    target,
    measured: `ours ${ms(ours.median)} (IQR ${ms(ours.q1)}–${ms(ours.q3)}), aws-jwt-verify ${ms(aws.median)} (IQR ${ms(aws.q1)}–${ms(aws.q3)})`,
    verdict: {
      met: fetchLoad === undefined ? undefined : met,
      text:
        fetchLoad === undefined
          ? "the cost of loading Node's fetch was not measured"
          : `${diff}. Node's fetch is loaded on its first call: ${ms(load)} once (measured alone), then a first request ` +
            `${ms(fetchGet?.median ?? Number.NaN)} vs ${ms(httpGet?.median ?? Number.NaN)} over node:http. ` +
            `Import done at ${ms(oursImport?.median ?? Number.NaN)} (ours) vs ${ms(awsImport?.median ?? Number.NaN)}; ` +
            `from there to the first verified token ${ms(oursFirst?.median ?? Number.NaN)} vs ${ms(awsFirst?.median ?? Number.NaN)}: ` +
            'ours makes two requests through the global fetch (the discovery document, which names the issuer and the key set, then the keys); ' +
            'aws-jwt-verify one over node:http (it is given the JWKS URI)',
    },
  };
}

/** What `entraTelemetry()` adds per verification, warm and on cache hits (issue 16). */
function telemetry(all: AllResults): Row[] {
  const warmTarget = `Telemetry (entraTelemetry() as onEvent) adds < ${pct(TELEMETRY_CEILING)} to a warm verification`;
  const hitTarget = `Telemetry adds < ${pct(TELEMETRY_CEILING)} of a verification to a cache hit`;
  const m = all.micro ? microView(all.micro) : undefined;
  const warm = m?.added('ours-telemetry', 'ours', 'ours');
  const hit = m?.added('ours-cache-hit-telemetry', 'ours-cache-hit', 'ours');
  const ofHit = m?.added('ours-cache-hit-telemetry', 'ours-cache-hit', 'ours-cache-hit');
  if (m === undefined || warm === undefined || hit === undefined) {
    const why =
      m === undefined ? 'no micro-benchmarks in these results' : 'no telemetry rows in these results';
    return [notMeasured(warmTarget, why), notMeasured(hitTarget, why)];
  }
  const recorded = all.micro?.telemetry;
  const idle = recorded === undefined || recorded.accepted === 0 || recorded.durations === 0;
  const idleText = 'the SDK recorded nothing: the listener did no work';
  const addedUs = (s: Summary) => us(s.median * summarize(m.get('ours')?.cpuUs ?? []).median);
  return [
    {
      target: warmTarget,
      measured: `${signed(warm.median)} (IQR ${pct(warm.q1)}–${pct(warm.q3)}), about ${addedUs(warm)} per verification`,
      verdict: idle
        ? { met: false, text: idleText }
        : {
            met: warm.median < TELEMETRY_CEILING,
            text: `counter and duration histogram on an OpenTelemetry SDK meter provider, ${recorded.accepted.toLocaleString('en-US')} verifications counted`,
          },
    },
    {
      target: hitTarget,
      measured: `${signed(hit.median)} of a warm verification (about ${addedUs(hit)}); ${signed(ofHit?.median ?? Number.NaN)} of the hit itself`,
      verdict: idle
        ? { met: false, text: idleText }
        : {
            met: hit.median < TELEMETRY_CEILING,
            text: 'a hit is answered without signature work, so the listener weighs more on it than on a verification',
          },
    },
  ];
}

/** Cold start with a key store another process filled vs without a store (DESIGN.md, keyStore). */
function keyStoreColdStart(c: ColdStartResult | undefined): Row {
  const target = 'Cold start with a warm key store (file-backed, filled by another process) vs without';
  if (c === undefined) return notMeasured(target, 'no cold-start results');
  if (!c.keyStore) return notMeasured(target, 'no keyStore option in the built core');
  const wall = (s: ColdSampleLike) => s.wallMs;
  const warm = coldSummary(c, 'ours-store-warm', wall);
  const empty = coldSummary(c, 'ours-store-empty', wall);
  const without = coldSummary(c, 'ours', wall);
  if (warm === undefined || without === undefined) return notMeasured(target, 'the store rows are missing');
  const requests = (c.contenders['ours-store-warm'] ?? []).reduce((a, s) => a + (s.requests ?? 0), 0);
  const met = warm.median < without.median && requests === 0;
  return {
    target,
    measured:
      `warm store ${ms(warm.median)} (IQR ${ms(warm.q1)}–${ms(warm.q3)}), no store ${ms(without.median)}` +
      (empty ? `, empty store (fetches, then writes) ${ms(empty.median)}` : ''),
    verdict: {
      met,
      text:
        requests === 0
          ? `the warm start made no request (discovery document and key set read from the store)${met ? `: ${ms(without.median - warm.median)} saved` : ', yet was not faster'}`
          : `the warm starts still made ${requests} requests`,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Standing targets (issue 6)

function microStanding(m: MicroView): Row[] {
  const rows: Row[] = [];
  const hit = m.ratio('ours-cache-hit', 'floor');
  if (hit) {
    const met = hit.median <= 0.1;
    rows.push({
      target: 'Verification-cache hit ≤ 1/10 of the floor (exp checked on every hit)',
      measured: `${times(hit.median)} the floor (${us(summarize(m.get('ours-cache-hit')?.cpuUs ?? []).median)})`,
      verdict: {
        met,
        text: met
          ? 'a hit is a map lookup and a time check'
          : 'see the cache-hit profile: the per-request work around the lookup costs more than the lookup',
      },
    });
  }
  const rejections = ['ours-expired', 'ours-wrong-audience', 'ours-bad-signature']
    .map((id) => [id, m.ratio(id, 'ours')] as const)
    .filter((x): x is readonly [string, Summary] => x[1] !== undefined);
  if (rejections.length > 0) {
    const worst = Math.max(...rejections.map(([, s]) => s.median));
    rows.push({
      target: 'Rejections cost no more than acceptances',
      measured:
        rejections.map(([id, s]) => `${id.replace('ours-', '')} ${times(s.median)}`).join(', ') +
        ' of an acceptance',
      verdict: {
        met: worst <= 1,
        text:
          worst <= 1
            ? 'every refusal is at most the cost of an acceptance'
            : `the costliest refusal is ${pct(worst - 1)} dearer than an acceptance`,
      },
    });
  }
  const malformed = m.ratio('ours-malformed', 'floor');
  if (malformed) {
    rows.push({
      target: 'Malformed input rejected at ≤ 1/4 of the floor',
      measured: `${times(malformed.median)} the floor`,
      verdict: {
        met: malformed.median <= 0.25,
        text: malformed.median <= 0.25 ? 'refused before any signature work' : 'too slow',
      },
    });
  }
  return rows;
}

/** Why the adapters fall short of the floor, from the micro-benchmarks of the same run. */
function adapterPathNote(m: MicroView | undefined): string {
  if (m === undefined) return '';
  const header = m.ratio('ours-authenticate', 'ours');
  const miss = m.ratio('ours-cache-miss', 'ours');
  const parts: string[] = [];
  if (header)
    parts.push(`authenticate(header), which adapters call, costs ${times(header.median)} verify(token)`);
  if (miss)
    parts.push(
      `a verification that misses the default cache costs ${times(miss.median)} one without a cache`,
    );
  return parts.length === 0 ? '' : `. In the micro-benchmarks of this run: ${parts.join('; ')}`;
}

function httpStanding(http: HttpResult, m: MicroView | undefined): Row[] {
  const rows: Row[] = [];
  const floorParts: string[] = [];
  const peerParts: string[] = [];
  const reusedParts: string[] = [];
  const cpuParts: string[] = [];
  let floorMet = true;
  let peerMet = true;
  let reusedMet = true;
  const missedFloor: string[] = [];
  const missedPeer: string[] = [];
  for (const f of http.frameworks) {
    const v = httpView(f);
    const name = f.framework;
    const toFloor = v.ratio('ours', 'floor');
    if (toFloor) {
      floorParts.push(`${name} ${pct(toFloor.median)}`);
      if (toFloor.median < 0.95) {
        floorMet = false;
        missedFloor.push(name);
      }
    }
    const worstPeer = v
      .peers()
      .map((p) => ({ p, s: v.ratio('ours', p.id) }))
      .filter((x): x is { p: HttpConfigResult; s: Summary } => x.s !== undefined)
      .sort((a, b) => a.s.median - b.s.median)[0];
    if (worstPeer) {
      peerParts.push(`${name} ${times(worstPeer.s.median)} ${worstPeer.p.label}`);
      if (worstPeer.s.median <= 1) {
        peerMet = false;
        missedPeer.push(`${name} (${worstPeer.p.label})`);
      }
    }
    const reused = v.ratio('ours-reused', 'baseline');
    if (reused) {
      reusedParts.push(`${name} ${pct(reused.median)}`);
      if (reused.median < 0.9) reusedMet = false;
    }
    const ours = v.addedCpu('ours');
    const floor = v.addedCpu('floor');
    const oursReused = v.addedCpu('ours-reused');
    if (ours && floor) {
      cpuParts.push(
        `${name}: ours ${us(ours.median)}, floor ${us(floor.median)}${oursReused ? `, ours reused ${us(oursReused.median)}` : ''}`,
      );
    }
  }
  rows.push({
    target: 'HTTP, distinct tokens: each adapter ≥ 95 % of the floor wired into its framework',
    measured: floorParts.join(', '),
    verdict: {
      met: floorMet,
      text: floorMet ? 'every framework' : `below in ${missedFloor.join(', ')}${adapterPathNote(m)}`,
    },
  });
  rows.push({
    target: 'HTTP, distinct tokens: ahead of every peer in the same run',
    measured: `ours / the strongest peer: ${peerParts.join('; ')}`,
    verdict: {
      met: peerMet,
      text: peerMet ? 'ahead of every peer in every framework' : `not ahead in ${missedPeer.join(', ')}`,
    },
  });
  rows.push({
    target: 'HTTP, 100 reused tokens: ≥ 90 % of the unauthenticated baseline',
    measured: reusedParts.join(', '),
    verdict: { met: reusedMet, text: reusedMet ? 'every framework' : 'not in every framework' },
  });
  rows.push({
    target: "Report the server CPU per request that authentication adds, next to the floor's",
    measured: cpuParts.join('; '),
    verdict: { met: true, text: 'reported (median of the rounds, minus the baseline of the same round)' },
  });
  return rows;
}

function keysStanding(k: KeysResult): Row[] {
  const rows: Row[] = [];
  const cold = k.cold.find((c) => c.id === 'ours');
  if (cold) {
    const met = cold.discoveryFetches === 1 && cold.jwksFetches === 1 && cold.accepted === cold.concurrent;
    rows.push({
      target: '200 concurrent cold verifications: one discovery and one JWKS fetch',
      measured: `${cold.discoveryFetches} discovery, ${cold.jwksFetches} JWKS, ${cold.accepted}/${cold.concurrent} accepted`,
      verdict: { met, text: met ? 'in-flight fetches are shared' : 'extra fetches' },
    });
  }
  const burst = k.unknownKids.find((u) => u.id === 'ours');
  if (burst) {
    const met = burst.jwksFetches <= 1 && burst.timedOut === 0;
    rows.push({
      target: 'A burst of unknown kids: at most one fetch per cooldown',
      measured: `${burst.jwksFetches} fetch for ${burst.burst} unknown kids in ${ms(burst.burstMs)}`,
      verdict: { met, text: met ? 'the rest refused without a request' : 'more than one fetch' },
    });
  }
  const fresh = k.newKey.find((n) => n.id === 'ours');
  if (fresh) {
    const slow = k.newKey.filter((n) => n.id !== 'ours' && !n.acceptedOnFirstRequest);
    rows.push({
      target: 'A newly published key accepted on the first request after publication',
      measured: `ours: ${fresh.acceptedAfterMs === null ? 'never' : ms(fresh.acceptedAfterMs)}${slow
        .map(
          (n) =>
            `; ${n.label}: ${n.acceptedAfterMs === null ? 'not within the wait' : ms(n.acceptedAfterMs)}`,
        )
        .join('')}`,
      verdict: {
        met: fresh.acceptedOnFirstRequest,
        text: fresh.acceptedOnFirstRequest ? 'first request' : 'refused at first',
      },
    });
  }
  const dead = k.deadEndpoint.find((d) => d.id === 'ours');
  if (dead) {
    const met = dead.acceptedRightAfter && dead.acceptedAfterCacheAge;
    rows.push({
      target: 'A dead key endpoint never fails a token whose key is cached',
      measured: `accepted right after the endpoint died: ${dead.acceptedRightAfter ? 'yes' : 'no'}; after the refresh was due: ${dead.acceptedAfterCacheAge ? 'yes' : 'no'}`,
      verdict: {
        met,
        text: met ? 'stale keys keep serving (up to maxStaleSeconds)' : 'a cached key was refused',
      },
    });
  }
  return rows;
}

function memoryBounded(m: MemoryResult): { bounded: boolean; text: string } {
  const main = m.phases.find((p) => p.id === 'default-cache');
  if (main === undefined) return { bounded: false, text: 'no default-cache phase' };
  const half = main.samples.slice(Math.ceil(main.samples.length / 2)).map((s) => s.heapBytes);
  const spread = Math.max(...half) - Math.min(...half);
  const limit = Math.max(2 * 2 ** 20, 0.1 * main.plateauBytes);
  const bounded = spread <= limit && main.finalBytes <= main.plateauBytes + limit;
  return {
    bounded,
    text:
      `${main.verifications.toLocaleString('en-US')} verifications: heap ${mb(main.plateauBytes)} over the second half ` +
      `(range ${mb(spread)}), ${mb(main.finalBytes)} at the end; ≈ ${(m.bytesPerEntry / 1024).toFixed(1)} KB per cache entry ` +
      `× ${m.defaultCacheMax} entries`,
  };
}

function memoryStanding(memory: MemoryResult): Row {
  const b = memoryBounded(memory);
  return {
    target: 'Memory: distinct tokens keep the heap bounded by the cache limits',
    measured: b.text,
    verdict: { met: b.bounded, text: b.bounded ? 'flat once the cache is full' : 'the heap kept growing' },
  };
}

// ---------------------------------------------------------------------------------------------

const tag = (issue: string, rows: Row[]): TargetRow[] => rows.map((r) => ({ issue, ...r }));

/** Every target, this round's first; `before` is the earlier run the HTTP rows are compared with. */
export function targets(all: AllResults, before?: Baseline): TargetRow[] {
  const m = all.micro ? microView(all.micro) : undefined;
  return [
    ...tag('#12, #11', warmVerification(m)),
    ...tag('#12', [httpVsBefore(all.http, before)]),
    ...tag('#11', [coldStart(all.coldstart)]),
    ...tag('#16', telemetry(all)),
    ...tag('key store', [keyStoreColdStart(all.coldstart)]),
    ...tag('#6', m ? microStanding(m) : []),
    ...tag('#6', all.http ? httpStanding(all.http, m) : []),
    ...tag('#6', all.keys ? keysStanding(all.keys) : []),
    ...tag('#6', all.memory ? [memoryStanding(all.memory)] : []),
  ];
}
