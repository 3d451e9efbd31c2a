/**
 * The page's sections, one a phase: micro-benchmarks, HTTP, keys, cold start, memory, profiles.
 * Each turns that phase's raw results into prose and tables.
 */
import { COLD_CONTENDERS, type ColdContender, type ColdStartResult } from '../coldstart.js';
import type { HttpResult } from '../http.js';
import type { KeysResult } from '../keys.js';
import { CORE_TOKEN_CACHE_MAX } from '../lib/kit.js';
import { type Summary, summarize } from '../lib/stats.js';
import type { MemoryResult } from '../memory.js';
import type { ProfileResult } from '../profile.js';
import { escapeMd, fixed, iqr, kreq, mb, ms, pct, table, times, us } from './format.js';
import type { AllResults } from './types.js';
import { httpView, type MicroView } from './views.js';

const PEER_IDS = [
  'aws-jwt-verify',
  'jose-keyobject',
  'jose-local',
  'oauth2-jwt-bearer',
  'jsonwebtoken-jwks-rsa',
];

export function microSection(m: MicroView): string {
  const r = m.r;
  const floor = m.get('floor');
  const rows: string[][] = [];
  const order = [
    'floor',
    'ours',
    'ours-authenticate',
    'ours-cache-miss',
    'ours-telemetry',
    'ours-webcrypto',
    ...PEER_IDS,
    'ours-cache-hit',
    'ours-cache-hit-telemetry',
    'ours-expired',
    'ours-wrong-audience',
    'ours-bad-signature',
    'ours-malformed',
    'floor-malformed',
  ];
  for (const id of order) {
    const c = m.get(id);
    if (c === undefined || floor === undefined) continue;
    const cpu = summarize(c.cpuUs);
    const wall = summarize(c.wallUs);
    const toFloor = m.ratio(id, 'floor') as Summary;
    const vsOurs = id === 'ours' || !c.id.startsWith('ours') ? m.ratio(id, 'ours') : undefined;
    const checks = r.checks[c.contender];
    const checkText =
      checks === undefined
        ? ''
        : [
            checks.acceptsValid ? '' : 'REFUSES VALID',
            checks.rejectsBadSignature ? '' : 'ACCEPTS BAD SIGNATURE',
            checks.rejectsWrongAudience ? '' : 'ACCEPTS WRONG AUDIENCE',
            checks.rejectsExpired ? '' : 'ACCEPTS EXPIRED',
          ]
            .filter(Boolean)
            .join(', ') || 'ok';
    const name = id.startsWith('ours') ? `**${escapeMd(c.label)}**` : escapeMd(c.label);
    rows.push([
      name,
      `${us(cpu.median)} (${iqr(cpu, (x) => fixed(x, 1))})`,
      us(wall.median),
      `${times(toFloor.median)} (${iqr(toFloor, (x) => fixed(x, 2))})`,
      vsOurs === undefined || id === 'ours' ? '' : times(vsOurs.median),
      c.unexpected === 0 ? checkText : `${checkText}; ${c.unexpected} unexpected outcomes`,
    ]);
  }
  const lines = [
    '## Micro-benchmarks: one warm verification',
    '',
    `Each call verifies a distinct valid token (a pool of ${r.pools.valid} minted beforehand by \`@org/entra-testing\`, ` +
      `RS256 / RSA-2048, ${r.tokenBytes.min === r.tokenBytes.max ? r.tokenBytes.min : `${r.tokenBytes.min}–${r.tokenBytes.max}`} bytes, ` +
      'Entra v2 delegated tokens), keys already imported or fetched, and our verified-token cache off ' +
      `unless a row says otherwise. ${r.rounds} rounds; in each round every case runs one batch (about ${r.batchMs} ms) in a ` +
      'rotated order. Per call: CPU time of the process (`process.cpuUsage`, all threads: WebCrypto works on ' +
      "libuv's pool) and wall time; **ratios use CPU time and are taken within a round**, then the median over the rounds " +
      '(IQR in brackets). "vs ours" is the row\'s time over ours: above 1, ours is faster.',
    '',
    table(['verifier', 'CPU per call (IQR)', 'wall per call', '× floor (IQR)', 'vs ours', 'checks'], rows, [
      'l',
      'r',
      'r',
      'r',
      'r',
      'l',
    ]),
    '',
    '"via authenticate(header)" is what every adapter calls: the `Authorization` value is parsed by the core ' +
      '(`extractBearerToken`) before the same verification.',
    '',
    '"(WebCrypto)" is the core as an edge bundler resolves it: `@org/entra-core` bundled by esbuild with the ' +
      `${(r.edgeConditions ?? []).map((c) => `\`${c}\``).join(', ')} conditions and not \`node\`, so package.json's \`imports\` ` +
      'give `#runtime` its `default`, the WebCrypto runtime; the bundle runs in this same Node process.',
    '',
    '"+ entraTelemetry()": the same validator with `onEvent: entraTelemetry({ meterProvider })` from `@org/entra-otel`, ' +
      'on an OpenTelemetry SDK meter provider (`@opentelemetry/sdk-metrics`) read by a pull reader, as a Prometheus ' +
      'scrape reads it: every verification counts one accepted verification and records its duration' +
      (r.telemetry === undefined
        ? '.'
        : ` (${r.telemetry.accepted.toLocaleString('en-US')} counted and ${r.telemetry.durations.toLocaleString('en-US')} durations recorded in this run).`),
    '',
    'The floor: `node:crypto.verify` (synchronous) with KeyObjects imported once, Buffer base64url decoding, ' +
      '`JSON.parse`, and the checks every verifier must make (alg, kid, signature, exp, nbf, iss, aud, ver, tid): ' +
      'no strict decoding, no principal, a plain `Error` on failure.',
    '',
    `"checks": every contender was first given a valid token, a bad signature, a wrong audience and an expired token; ` +
      '"ok" means it accepted the first and refused the others. `crypto.subtle.verify` calls per verification: ' +
      Object.entries(r.subtleCalls)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') +
      ' (0: node:crypto; 1: WebCrypto).',
  ];
  if (r.notes.length > 0) lines.push('', ...r.notes.map((n) => `> ${n}`));
  return lines.join('\n');
}

export function httpSection(h: HttpResult, pools: AllResults['tokenPool']): string {
  const o = h.options;
  const lines = [
    '## HTTP: requests per second through each framework',
    '',
    `autocannon, ${o.connections} connections, no pipelining, on the same machine as the server (loopback). ` +
      `Every request carries a token: **distinct** tokens cycle through a pool of ${h.pools.distinct} in order ` +
      `(more than our verified-token cache holds, ${CORE_TOKEN_CACHE_MAX} tokens with the least recently used evicted: every token has ` +
      `been evicted before it comes back, so none of our verifications is a cache hit${
        pools.valid <= CORE_TOKEN_CACHE_MAX
          ? ' — NOT the case in this run: the pool was too small, our distinct rows are cache hits'
          : ''
      }); ` +
      `**reused** tokens cycle through ${h.pools.reused}, as clients that keep their token send. Each variant runs in ` +
      `its own server process; after ${o.warmupSeconds} s of warm-up each, ${o.runs} rounds of ${o.seconds} s per variant, ` +
      'order rotated each round. Percentages are taken within a round, then the median. Server CPU per request is the ' +
      'server process\'s `process.cpuUsage()` delta over the run divided by its responses; "auth adds" subtracts the ' +
      "baseline's figure from the same round.",
  ];
  for (const f of h.frameworks) {
    const v = httpView(f);
    const rows: string[][] = [];
    for (const c of f.configs) {
      const rps = v.rps(c.id) as Summary;
      const ofBase = c.id === 'baseline' ? undefined : v.ratio(c.id, 'baseline');
      const ofFloor = c.id === 'baseline' || c.id === 'floor' ? undefined : v.ratio(c.id, 'floor');
      const cpu = summarize(c.runs.map((r) => r.cpuUsPerReq));
      const added = c.id === 'baseline' ? undefined : v.addedCpu(c.id);
      const p99 = summarize(c.runs.map((r) => r.latencyP99Ms));
      const bad = c.runs.reduce((a, r) => a + r.non2xx + r.errors, 0);
      const name = c.variant === 'ours' ? `**${escapeMd(c.label)}**` : escapeMd(c.label);
      rows.push([
        name,
        c.tokens,
        `${kreq(rps.median)} (${iqr(rps, kreq)})`,
        ofBase ? pct(ofBase.median) : '100 %',
        ofFloor ? pct(ofFloor.median) : c.id === 'floor' ? '100 %' : '',
        us(cpu.median),
        added ? us(added.median) : '',
        `${fixed(p99.median, 0)} ms`,
        bad === 0 ? '0' : `**${bad}**`,
      ]);
    }
    lines.push(
      '',
      `### ${f.label}`,
      '',
      table(
        [
          'variant',
          'tokens',
          'req/s (IQR)',
          '% of baseline',
          '% of floor',
          'server CPU / req',
          'auth adds',
          'p99',
          'non-2xx + errors',
        ],
        rows,
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
    );
  }
  return lines.join('\n');
}

export function keysSection(k: KeysResult): string {
  const cold = table(
    ['verifier', 'accepted', 'discovery fetches', 'JWKS fetches', 'time'],
    k.cold.map((c) => [
      escapeMd(c.label),
      `${c.accepted}/${c.concurrent}`,
      String(c.discoveryFetches),
      String(c.jwksFetches),
      ms(c.ms),
    ]),
    ['l', 'r', 'r', 'r', 'r'],
  );
  const burst = table(
    [
      'verifier',
      'unknown-kid tokens',
      'JWKS fetches',
      `timed out (> ${ms(k.verifyTimeoutMs)})`,
      'known kid accepted after',
      'time',
    ],
    k.unknownKids.map((u) => [
      escapeMd(u.label),
      String(u.burst),
      String(u.jwksFetches),
      String(u.timedOut),
      u.knownKidStillAccepted ? 'yes' : '**no**',
      ms(u.burstMs),
    ]),
    ['l', 'r', 'r', 'r', 'l', 'r'],
  );
  const fresh = table(
    ['verifier', 'first request accepted', 'accepted after publication', 'attempts'],
    k.newKey.map((n) => [
      escapeMd(n.label),
      n.acceptedOnFirstRequest ? 'yes' : '**no**',
      n.acceptedAfterMs === null ? `not within ${ms(k.maxWaitMs)}` : ms(n.acceptedAfterMs),
      String(n.attempts),
    ]),
    ['l', 'l', 'r', 'r'],
  );
  const dead = table(
    ['verifier', 'cache setting', 'endpoint just died', 'after the cache age ran out', 'error'],
    k.deadEndpoint.map((d) => [
      escapeMd(d.label),
      escapeMd(d.cacheSetting),
      d.acceptedRightAfter ? 'accepted' : '**refused**',
      d.acceptedAfterCacheAge ? 'accepted' : '**refused**',
      d.error === undefined ? '' : `\`${escapeMd(d.error)}\``,
    ]),
    ['l', 'l', 'l', 'l', 'l'],
  );
  return [
    '## Keys: discovery, cache and rotation',
    '',
    'Against a kit of its own, every wait bounded. Our validator is used with its defaults unless a row says ' +
      'otherwise; peers as their READMEs show (jwks-rsa with `cache` and `rateLimit` on).',
    '',
    `**200 concurrent verifications on a cold verifier** (requests counted by the kit):`,
    '',
    cold,
    '',
    `**A burst of tokens with unknown kids** (forged: a fresh random kid each, half at once, then one every 10 ms) ` +
      'right after the verifier fetched its keys:',
    '',
    burst,
    '',
    `**A newly published key**: every verifier fetched the key set, then the kit published a new signing key; ` +
      `its first token is retried every ${ms(k.pollMs)} until accepted (at most ${ms(k.maxWaitMs)}):`,
    '',
    fresh,
    '',
    `**A dead key endpoint**: each verifier fetched its keys, configured so that they are due for a refresh ${ms(k.cacheAgeMs)} ` +
      'later; then the endpoint died (connections reset) and valid tokens signed by the cached key arrived ' +
      `at once and ${ms(k.cacheAgeMs * 1.5)} later:`,
    '',
    dead,
    '',
    `Past \`maxStaleSeconds\` (set to ${ms(2 * k.cacheAgeMs)} for this check) with the issuer still down, ours refuses with ` +
      `\`${k.pastMaxStale.code ?? 'nothing'}\` (${k.pastMaxStale.status ?? '–'}), by design: keys that old are no longer trusted.`,
  ].join('\n');
}

const COLD_LABELS: Record<ColdContender, string> = {
  node: 'node alone (empty script)',
  fetch: "node + Node's fetch: its first call, then one GET",
  http: 'node + node:http: one GET',
  ours: '@org/entra-core',
  aws: 'aws-jwt-verify',
  'ours-store-empty': '@org/entra-core, keyStore (files) empty: fetches, then writes',
  'ours-store-warm': '@org/entra-core, keyStore (files) filled by the previous process',
};

export function coldSection(c: ColdStartResult): string {
  const rows = COLD_CONTENDERS.flatMap((id) => {
    const samples = c.contenders[id];
    if (samples === undefined || samples.length === 0) return [];
    const wall = summarize(samples.map((s) => s.wallMs));
    const origin = summarize(samples.map((s) => s.sinceOriginMs));
    const imported = summarize(samples.map((s) => s.importedMs));
    const requests = samples.some((s) => s.requests !== undefined)
      ? String(Math.max(...samples.map((s) => s.requests ?? 0)))
      : '';
    return [
      [
        COLD_LABELS[id],
        `${ms(wall.median)} (${iqr(wall, (x) => fixed(x, 0))})`,
        ms(origin.median),
        id === 'node' ? '' : ms(imported.median),
        requests,
      ],
    ];
  });
  return [
    '## Cold start: process start to first verified token',
    '',
    `A fresh \`node\` process per sample (${c.samples} samples each, the order reversed every other sample, after one ` +
      'unmeasured round): import the library, create the verifier against the loopback issuer, verify one token ' +
      '(ours fetches the discovery document and the key set through the global `fetch`, aws-jwt-verify the key set ' +
      'over `node:http`), print. "spawn → verified" is measured by the parent; "in process" is `performance.now()` in ' +
      'the child at that point (from its time origin); "import done at" is when the library was imported (for fetch: ' +
      'when its first call, on a `data:` URL, had loaded it). The fetch and node:http rows get the discovery document ' +
      'once and verify nothing: they show what the transport costs a fresh process.',
    '',
    c.keyStore
      ? 'The keyStore rows run in pairs sharing a fresh folder (a file a key, as replicas share Redis): the first ' +
        'process finds it empty, fetches and writes; the second reads what the first wrote. "requests" counts what ' +
        'each made (the most over the samples), through a `fetch` option that calls the global fetch.'
      : 'The built core has no `keyStore` option: the key-store rows were not measured.',
    '',
    table(['', 'spawn → verified (IQR)', 'in process', 'import done at', 'requests'], rows, [
      'l',
      'r',
      'r',
      'r',
      'r',
    ]),
  ].join('\n');
}

export function memorySection(m: MemoryResult): string {
  const rows = m.phases.map((p) => [
    p.id,
    p.cacheMax === false ? 'off' : String(p.cacheMax),
    p.verifications.toLocaleString('en-US'),
    p.distinct.toLocaleString('en-US'),
    us(p.usPerVerification),
    mb(p.plateauBytes),
    mb(p.finalBytes),
    String(p.rejected),
  ]);
  const main = m.phases.find((p) => p.id === 'default-cache');
  const curve = main?.samples
    .filter((_, i, a) => i % Math.max(1, Math.floor(a.length / 10)) === 0 || i === a.length - 1)
    .map((s) => `${(s.verifications / 1000).toFixed(0)}k: ${mb(s.heapBytes)}`)
    .join(' · ');
  return [
    '## Memory: heap under a stream of distinct tokens',
    '',
    `Method: minting a million RSA signatures takes 15 minutes or more here, so a pool of ${m.pool.toLocaleString('en-US')} ` +
      'distinct valid tokens — more than the cache holds — is cycled in order: the cache keeps a token from its first ' +
      'verification and evicts the least recently used, so every token is inserted and evicts another, the fullest ' +
      'the cache can be. ' +
      'Each token reaches the validator as a fresh string copied from a Buffer (as an HTTP parser hands it over), ' +
      'so cached entries hold their own copies. Heap used after a full GC (`--expose-gc`), minus the heap before ' +
      'the validator existed.' +
      (m.gcExposed ? '' : ' **GC was not exposed: figures include garbage.**'),
    '',
    table(
      [
        'phase',
        'tokenCache max',
        'verifications',
        'distinct tokens',
        'per verification',
        'heap (2nd half, median)',
        'heap at end',
        'rejected',
      ],
      rows,
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    `Heap along the default-cache phase: ${curve ?? '–'}.`,
    '',
    `One cache entry (the token's string, its principal and claims, the LRU's slot) costs about ` +
      `${(m.bytesPerEntry / 1024).toFixed(1)} KB: the default cache (${m.defaultCacheMax} entries) bounds the heap at about ` +
      `${mb(m.bytesPerEntry * m.defaultCacheMax)}. The forged phase sends distinct tokens with unknown kids: one key-set refetch, then refusals, nothing kept.`,
  ].join('\n');
}

export function profileSection(p: ProfileResult): string {
  const lines = [
    '## Where the core spends its time',
    '',
    `V8 CPU profiles (the profiler of \`node --cpu-prof\`) of each case looping for ${p.seconds} s after a warm-up, ` +
      'built code mapped back to `packages/core/src` through the source maps. Share of all samples; ' +
      'reproduce with `pnpm --filter @org/entra-bench profile <case>` (files in bench/results/profile/).',
  ];
  for (const c of p.cases) {
    const self = c.self
      .slice(0, 6)
      .map((e) => `${(e.share * 100).toFixed(1)} % ${escapeMd(e.where)}`)
      .join('; ');
    const incl = c.inclusive
      .slice(0, 8)
      .map((e) => `${(e.share * 100).toFixed(1)} % ${escapeMd(e.where)}`)
      .join('; ');
    lines.push(
      '',
      `**${c.case}** (${us(c.usPerCall)} per call, wall, while profiling)`,
      '',
      `- self: ${self}`,
      `- core, inclusive: ${incl}`,
    );
  }
  return lines.join('\n');
}
