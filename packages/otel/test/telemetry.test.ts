// The listener against a real validator and the loopback issuer, read back through the OpenTelemetry
// SDK's in-memory exporters: what each outcome records, the spans of key and discovery fetches, and
// that nothing of a token, a key id or a claim value ever reaches an attribute.
import { metrics, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createEntraValidator, type EntraEvent, type EntraValidator } from '@org/entra-core';
import { createMockEntra, type MockEntra } from '@org/entra-testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as entry from '../src/index.js';
import { entraTelemetry } from '../src/index.js';

let now = Date.UTC(2026, 5, 1, 12);
const clock = () => now;
let entra: MockEntra;
const validators: EntraValidator[] = [];

beforeAll(async () => {
  entra = await createMockEntra({ clock });
});
afterEach(() => {
  for (const v of validators.splice(0)) v.close();
  entra.setFault(null);
});
afterAll(() => entra.close());

/** Fresh SDK providers with in-memory exporters, and readers for what they hold. */
function telemetry() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // An export interval no test reaches: data is read with forceFlush, never on a timer.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  return {
    meterProvider,
    tracerProvider,
    onEvent: entraTelemetry({ meterProvider, tracerProvider }),
    /** Every metric of the last collection, by name. */
    async metrics(): Promise<Map<string, MetricData>> {
      exporter.reset();
      await reader.forceFlush();
      const out = new Map<string, MetricData>();
      for (const resource of exporter.getMetrics()) {
        for (const scope of resource.scopeMetrics) {
          expect(scope.scope.name).toBe('@org/entra-core');
          for (const metric of scope.metrics) out.set(metric.descriptor.name, metric);
        }
      }
      return out;
    },
    spans: (): ReadableSpan[] => spanExporter.getFinishedSpans(),
    /** Everything recorded, as text: for the leak checks. */
    async serialized(): Promise<string> {
      exporter.reset();
      await reader.forceFlush();
      const spans = spanExporter.getFinishedSpans().map((s) => ({
        name: s.name,
        attributes: s.attributes,
        events: s.events,
        status: s.status,
        links: s.links,
        resource: s.resource.attributes,
      }));
      return JSON.stringify({ metrics: exporter.getMetrics(), spans });
    },
    async shutdown() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
    },
  };
}

function validator(
  onEvent: (event: EntraEvent) => void,
  extra: Record<string, unknown> = {},
): EntraValidator {
  const v = createEntraValidator(entra.validatorOptions({ clock, tokenCache: false, onEvent, ...extra }));
  validators.push(v);
  return v;
}

/** The value of the data point of a sum whose attributes are exactly these. */
/**
 * The sum of the data points whose attributes include `attributes` (a rejection also carries the
 * check that failed); `undefined` when none does.
 */
function sumOf(metric: MetricData | undefined, attributes: Record<string, unknown>): number | undefined {
  const points = ((metric?.dataPoints ?? []) as DataPoint<number>[]).filter((p) =>
    Object.entries(attributes).every(([name, value]) => p.attributes[name] === value),
  );
  return points.length === 0 ? undefined : points.reduce((sum, p) => sum + p.value, 0);
}

/** The data point whose attributes are exactly `attributes`. */
function exactly(metric: MetricData | undefined, attributes: Record<string, unknown>): number | undefined {
  const point = (metric?.dataPoints as DataPoint<number>[] | undefined)?.find(
    (p) => JSON.stringify(sorted(p.attributes)) === JSON.stringify(sorted(attributes)),
  );
  return point?.value;
}

/** The one data point of a histogram without attributes. */
function histogramOf(metric: MetricData | undefined): Histogram {
  const points = (metric?.dataPoints ?? []) as DataPoint<Histogram>[];
  expect(points).toHaveLength(1);
  return (points[0] as DataPoint<Histogram>).value;
}

function sorted(o: Record<string, unknown>): [string, unknown][] {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (e: { code: string }) => e.code,
  );
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}

it('exports exactly its public API', () => {
  expect(Object.keys(entry).sort()).toMatchInlineSnapshot(`
    [
      "entraTelemetry",
    ]
  `);
});

describe('verifications', () => {
  it('counts an accepted token and records its wall time in ms', async () => {
    const t = telemetry();
    const v = validator(t.onEvent);
    await v.verify(entra.createToken({ scp: 'Orders.Read' }));
    await v.verify(entra.createToken({ scp: 'Orders.Read', uti: 'second' }));
    const m = await t.metrics();
    const verifications = m.get('entra.auth.verifications');
    expect(verifications?.descriptor.unit).toBe('{verification}');
    expect(sumOf(verifications, { 'entra.outcome': 'accepted' })).toBe(2);
    const duration = m.get('entra.auth.duration');
    expect(duration?.descriptor.unit).toBe('ms');
    const histogram = histogramOf(duration);
    expect(histogram.count).toBe(2);
    // The first verification waited for discovery and keys over loopback: more than nothing, less than a timeout.
    expect(histogram.sum).toBeGreaterThan(0);
    expect(histogram.max).toBeLessThan(5000);
    expect(histogram.buckets.boundaries.slice(0, 5)).toEqual([0.05, 0.1, 0.25, 0.5, 1]);
    await t.shutdown();
  });

  it('counts refusals by error code, each with its duration', async () => {
    const t = telemetry();
    const v = validator(t.onEvent);
    await v.warmUp();
    const expired = entra.createToken({}, { issuedAt: -7200, expiresIn: 600 });
    const forged = entra.createToken({}, { signWith: 'unpublished', kid: entra.currentKid });
    const codes = [
      await codeOf(v.verify('not-a-token')),
      await codeOf(v.verify(expired)),
      await codeOf(v.verify(entra.createToken({ aud: 'api://someone-else' }))),
      await codeOf(v.verify(forged)),
      await codeOf(v.verify(entra.createToken({ aud: 'api://someone-else', uti: 'again' }))),
      await codeOf(v.verify(entra.createToken({ scp: 'Orders.Read' }))),
    ];
    expect(codes).toEqual([
      'malformed_token',
      'token_expired',
      'invalid_audience',
      'invalid_signature',
      'invalid_audience',
      'ok',
    ]);
    const m = await t.metrics();
    const verifications = m.get('entra.auth.verifications');
    const rejected = (code: string) =>
      sumOf(verifications, { 'entra.outcome': 'rejected', 'entra.error.code': code });
    // Each refusal also names the check that failed, one word of the core's list.
    const expiredPoint = { 'entra.outcome': 'rejected', 'entra.error.code': 'token_expired' };
    expect(exactly(verifications, { ...expiredPoint, 'entra.error.check': 'exp' })).toBe(1);
    expect(
      exactly(verifications, {
        'entra.outcome': 'rejected',
        'entra.error.code': 'invalid_signature',
        'entra.error.check': 'signature',
      }),
    ).toBe(1);
    expect(rejected('malformed_token')).toBe(1);
    expect(rejected('token_expired')).toBe(1);
    expect(rejected('invalid_audience')).toBe(2);
    expect(rejected('invalid_signature')).toBe(1);
    expect(sumOf(verifications, { 'entra.outcome': 'accepted' })).toBe(1);
    expect(histogramOf(m.get('entra.auth.duration')).count).toBe(6);
    await t.shutdown();
  });

  it('records the failed check as entra.error.check when the event names one, and only a check word', async () => {
    const t = telemetry();
    t.onEvent({ type: 'token_rejected', code: 'token_expired', check: 'exp', durationMs: 0.2 } as EntraEvent);
    t.onEvent({ type: 'token_rejected', code: 'token_expired', check: 'exp', durationMs: 0.3 } as EntraEvent);
    // Not a check word (an attacker-chosen value would look like this): left out, the code still counts.
    t.onEvent({
      type: 'token_rejected',
      code: 'token_expired',
      check: 'eyJhbGciOi.x',
      durationMs: 1,
    } as unknown as EntraEvent);
    // An event without a check (an older core): counted by its code alone.
    t.onEvent({ type: 'token_rejected', code: 'token_expired', durationMs: 1 } as EntraEvent);
    const verifications = (await t.metrics()).get('entra.auth.verifications');
    expect(
      sumOf(verifications, {
        'entra.outcome': 'rejected',
        'entra.error.code': 'token_expired',
        'entra.error.check': 'exp',
      }),
    ).toBe(2);
    expect(exactly(verifications, { 'entra.outcome': 'rejected', 'entra.error.code': 'token_expired' })).toBe(
      2,
    );
    expect(JSON.stringify(verifications)).not.toContain('eyJ');
    await t.shutdown();
  });

  it('adds up the counts of every validator reporting to one provider', async () => {
    const t = telemetry();
    const second = entraTelemetry({ meterProvider: t.meterProvider, tracerProvider: t.tracerProvider });
    await validator(t.onEvent).verify(entra.createToken());
    await validator(second).verify(entra.createToken({ uti: 'other' }));
    await codeOf(validator(second).verify('x.y.z'));
    const m = await t.metrics();
    expect(sumOf(m.get('entra.auth.verifications'), { 'entra.outcome': 'accepted' })).toBe(2);
    expect(histogramOf(m.get('entra.auth.duration')).count).toBe(3);
    await t.shutdown();
  });
});

describe('key and discovery fetches', () => {
  it('warm-up: one discovery and one key fetch, counted ok and traced with their configured URLs', async () => {
    const t = telemetry();
    const v = validator(t.onEvent);
    const before = performance.timeOrigin + performance.now();
    await v.warmUp();
    const m = await t.metrics();
    expect(
      sumOf(m.get('entra.keys.fetches'), { 'entra.outcome': 'ok', 'entra.keys.trigger': 'warm_up' }),
    ).toBe(1);
    expect(
      sumOf(m.get('entra.discovery.fetches'), { 'entra.outcome': 'ok', 'entra.metadata.version': '2.0' }),
    ).toBe(1);

    const spans = t.spans();
    expect(spans.map((s) => s.name).sort()).toEqual(['entra.discovery.fetch', 'entra.keys.fetch']);
    const discovery = spans.find((s) => s.name === 'entra.discovery.fetch') as ReadableSpan;
    const keys = spans.find((s) => s.name === 'entra.keys.fetch') as ReadableSpan;
    expect(discovery.attributes).toEqual({
      'url.full': `${entra.authority}/${entra.tenantId}/v2.0/.well-known/openid-configuration`,
      'entra.metadata.version': '2.0',
    });
    expect(keys.attributes).toEqual({
      'url.full': `${entra.authority}/${entra.tenantId}/discovery/v2.0/keys`,
      'entra.keys.trigger': 'warm_up',
      'entra.keys.count': entra.jwks().keys.length,
      'entra.keys.ignored': 0,
    });
    for (const span of spans) {
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.kind).toBe(1 + 1); // SpanKind.CLIENT
      // Back-dated: the span starts when the fetch started, not when the event arrived.
      const startMs = span.startTime[0] * 1000 + span.startTime[1] / 1e6;
      const durationMs = span.duration[0] * 1000 + span.duration[1] / 1e6;
      expect(startMs).toBeGreaterThanOrEqual(before - 5);
      expect(durationMs).toBeGreaterThanOrEqual(0);
      expect(durationMs).toBeLessThan(5000);
    }
    // The key fetch came after discovery.
    const startOf = (s: ReadableSpan) => s.startTime[0] * 1e9 + s.startTime[1];
    expect(startOf(keys)).toBeGreaterThanOrEqual(startOf(discovery));
    await t.shutdown();
  });

  it('a key set that cannot be fetched: error count with trigger and reason, a span with status error', async () => {
    const t = telemetry();
    const v = validator(t.onEvent, { jwks: { timeoutMs: 2000 } });
    entra.setFault('down', { target: 'jwks' });
    expect(await codeOf(v.verify(entra.createToken()))).toBe('keys_unavailable');
    const m = await t.metrics();
    expect(
      sumOf(m.get('entra.keys.fetches'), {
        'entra.outcome': 'error',
        'entra.keys.trigger': 'initial',
        'error.type': 'network',
      }),
    ).toBe(1);
    expect(
      sumOf(m.get('entra.auth.verifications'), {
        'entra.outcome': 'rejected',
        'entra.error.code': 'keys_unavailable',
      }),
    ).toBe(1);
    const keys = t.spans().find((s) => s.name === 'entra.keys.fetch') as ReadableSpan;
    expect(keys.status).toEqual({ code: SpanStatusCode.ERROR, message: 'network' });
    expect(keys.attributes).toMatchObject({ 'entra.keys.trigger': 'initial', 'error.type': 'network' });
    await t.shutdown();
  });

  it('a discovery document that cannot be fetched: error count and span', async () => {
    const t = telemetry();
    const v = validator(t.onEvent);
    entra.setFault('garbage', { target: 'discovery' });
    expect(await codeOf(v.verify(entra.createToken()))).toBe('keys_unavailable');
    const m = await t.metrics();
    expect(
      sumOf(m.get('entra.discovery.fetches'), {
        'entra.outcome': 'error',
        'entra.metadata.version': '2.0',
        'error.type': 'invalid_json',
      }),
    ).toBe(1);
    const discovery = t.spans().find((s) => s.name === 'entra.discovery.fetch') as ReadableSpan;
    expect(discovery.status).toEqual({ code: SpanStatusCode.ERROR, message: 'invalid_json' });
    await t.shutdown();
  });

  it('stale keys served and throttled unknown kids are counted', async () => {
    const t = telemetry();
    const v = validator(t.onEvent, {
      jwks: { refreshIntervalSeconds: 60, maxStaleSeconds: 600, cooldownSeconds: 30 },
    });
    await v.warmUp();
    // Two unknown kids in a row: the first refetches, the second is inside the cooldown.
    await codeOf(v.verify(entra.createToken({}, { signWith: 'unpublished' })));
    await codeOf(v.verify(entra.createToken({}, { signWith: 'unpublished' })));
    entra.setFault('down');
    now += 120_000;
    try {
      expect(await codeOf(v.verify(entra.createToken()))).toBe('ok'); // starts a refresh, which fails
      await waitFor(() => t.spans().some((s) => s.status.code === SpanStatusCode.ERROR));
      expect(await codeOf(v.verify(entra.createToken({ uti: 'stale' })))).toBe('ok');
    } finally {
      now -= 120_000;
    }
    const m = await t.metrics();
    expect(sumOf(m.get('entra.keys.unknown_kid_throttled'), {})).toBe(1);
    expect(sumOf(m.get('entra.keys.stale_served'), {})).toBeGreaterThanOrEqual(1);
    expect(
      sumOf(m.get('entra.keys.fetches'), { 'entra.outcome': 'ok', 'entra.keys.trigger': 'unknown_kid' }),
    ).toBe(1);
    expect(
      sumOf(m.get('entra.keys.fetches'), {
        'entra.outcome': 'error',
        'entra.keys.trigger': 'refresh',
        'error.type': 'network',
      }),
    ).toBe(1);
    // A background refresh starts its own trace rather than joining a request's.
    const refresh = t.spans().find((s) => s.attributes['entra.keys.trigger'] === 'refresh') as ReadableSpan;
    expect(refresh.parentSpanContext).toBeUndefined();
    await t.shutdown();
  });
});

describe('what never reaches telemetry', () => {
  it('no token or token part, no kid, no claim value in any metric, attribute, span name or event', async () => {
    const t = telemetry();
    const v = validator(t.onEvent, { jwks: { cooldownSeconds: 0.001 } });
    const user = {
      oid: '0b7d8a3e-9c4f-4e21-b6a5-3f2e1d0c9b8a',
      sub: 'pairwise-subject-AbCdEf0123456789xyz',
      upn: 'ada.lovelace@contoso.example',
      preferred_username: 'ada.lovelace@contoso.example',
      name: 'Ada Lovelace (Leak Probe)',
      scp: 'Orders.Read',
    };
    const tokens = [
      entra.createToken(user),
      entra.createToken({ ...user, aud: 'api://another-api' }),
      entra.createToken(user, { issuedAt: -7200, expiresIn: 600 }),
      entra.createToken(user, { kid: 'attacker-chosen-kid-0001' }),
      entra.createToken(user, { signWith: 'unpublished', kid: 'attacker-chosen-kid-0002' }),
      entra.createToken({ ...user, tid: 'f00dfeed-0000-4000-8000-00000000beef' }),
    ];
    for (const token of tokens) await codeOf(v.verify(token));
    entra.setFault('down', { target: 'jwks' });
    await codeOf(v.verify(entra.createToken(user, { kid: 'attacker-chosen-kid-0003' })));

    const text = await t.serialized();
    expect(text).toContain('entra.auth.verifications'); // something was recorded
    const forbidden = new Set<string>([
      user.oid,
      user.sub,
      user.upn,
      user.name,
      'Leak Probe',
      'attacker-chosen-kid',
      'f00dfeed-0000-4000-8000-00000000beef',
      entra.currentKid,
      ...entra.jwks().keys.map((k) => String(k.kid)),
      ...entra.jwks().keys.map((k) => String(k.n).slice(0, 40)),
    ]);
    for (const token of tokens) {
      forbidden.add(token);
      for (const part of token.split('.')) forbidden.add(part.slice(0, 40));
      const payload = JSON.parse(
        Buffer.from(token.split('.')[1] as string, 'base64url').toString(),
      ) as Record<string, unknown>;
      for (const claim of ['aio', 'uti', 'sid', 'rh', 'azp', 'oid', 'sub', 'upn', 'name']) {
        const value = payload[claim];
        if (typeof value === 'string' && value.length >= 6) forbidden.add(value);
      }
    }
    const leaked = [...forbidden].filter((value) => text.includes(value));
    expect(leaked).toEqual([]);
    // The only URLs are the configured issuer's.
    for (const [url] of text.matchAll(/https?:\/\/[^"\\\s]+/g))
      expect(url.startsWith(entra.authority)).toBe(true);
    await t.shutdown();
  });
});

describe('wiring', () => {
  it('uses the global providers when none are given', async () => {
    const t = telemetry();
    metrics.setGlobalMeterProvider(t.meterProvider);
    trace.setGlobalTracerProvider(t.tracerProvider);
    try {
      const v = validator(entraTelemetry());
      await v.verify(entra.createToken());
      const m = await t.metrics();
      expect(sumOf(m.get('entra.auth.verifications'), { 'entra.outcome': 'accepted' })).toBe(1);
      expect(t.spans().map((s) => s.name)).toContain('entra.keys.fetch');
    } finally {
      metrics.disable();
      trace.disable();
      await t.shutdown();
    }
  });

  it('works, and costs nothing to set up, with no SDK registered (the no-op providers)', async () => {
    const onEvent = entraTelemetry();
    const v = validator(onEvent);
    expect(await codeOf(v.verify(entra.createToken()))).toBe('ok');
  });

  it('never throws, whatever the event', () => {
    const t = telemetry();
    const odd = [
      { type: 'token_verified', durationMs: Number.NaN },
      { type: 'token_verified', durationMs: -1 },
      { type: 'token_rejected', code: 'token_expired', durationMs: Number.POSITIVE_INFINITY },
      { type: 'a_future_event' },
      { type: 'keys_fetched' },
      null,
    ];
    for (const event of odd) expect(() => t.onEvent(event as unknown as EntraEvent)).not.toThrow();
  });

  it('refuses options that are not an object, and reads only own properties', async () => {
    expect(() => entraTelemetry(null as never)).toThrow(TypeError);
    const t = telemetry();
    const polluted = Object.create({ meterProvider: t.meterProvider }) as object;
    const onEvent = entraTelemetry(polluted);
    onEvent({ type: 'token_verified', durationMs: 1 });
    // The inherited provider was not used: nothing reached it.
    expect(sumOf((await t.metrics()).get('entra.auth.verifications'), { 'entra.outcome': 'accepted' })).toBe(
      0,
    );
    await t.shutdown();
  });
});
