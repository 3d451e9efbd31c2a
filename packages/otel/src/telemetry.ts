/**
 * `entraTelemetry()`: the validator's events (`onEvent`) as OpenTelemetry metrics and spans.
 *
 * Everything that can be is prepared once, per meter provider: the instruments and the attribute
 * objects (one per outcome, error code and check, per trigger and reason). A verification then
 * costs one increment of a plain number and one histogram record without attributes. Nothing from a
 * token reaches an attribute: events carry no token, no key id and no claim value, and the only
 * strings copied from an event are words of fixed vocabularies (codes, checks, triggers, reasons)
 * and URLs that come from the validator's configuration.
 */
import {
  type Attributes,
  type Counter,
  type Histogram,
  type MeterProvider,
  metrics,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import type { EntraEvent } from '@org/entra-core';

/** The instrumentation scope of every metric and span: the core does the work being measured. */
const SCOPE = '@org/entra-core';

/**
 * Where metrics and spans go. Either may be left out: the global provider registered with
 * `@opentelemetry/api` (by `NodeSDK.start()`, say) is used.
 *
 * @example
 * ```ts
 * const options: EntraTelemetryOptions = { meterProvider, tracerProvider };
 * const validator = createEntraValidator({ tenantId, clientId, onEvent: entraTelemetry(options) });
 * ```
 */
export interface EntraTelemetryOptions {
  /** Default: the global meter provider (`metrics.getMeterProvider()`), read when `entraTelemetry()` is called. */
  meterProvider?: MeterProvider;
  /** Default: the global tracer provider (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
}

/**
 * The listener `entraTelemetry()` returns: give it to `createEntraValidator({ onEvent })`. It never
 * throws and returns nothing.
 *
 * @example
 * ```ts
 * const onEvent: EntraTelemetryListener = entraTelemetry();
 * const validator = createEntraValidator({ tenantId, clientId, onEvent });
 * ```
 */
export type EntraTelemetryListener = (event: EntraEvent) => void;

/**
 * Verification time buckets, in milliseconds: a verification answered from the token cache takes
 * microseconds, a signature check tens of microseconds, one that waits for keys up to the fetch
 * timeout (5 s by default).
 */
const DURATION_BUCKETS_MS = [
  0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000,
];

/** Rejection tallies, by code and check. Both are fixed vocabularies; the bound is a guard. */
const MAX_TALLIES = 256;

/** A `check` is one lowercase word of the core's list; anything else is left out. */
const CHECK_RE = /^[a-z][a-z_]{0,31}$/;

/** A running total and the attributes it is reported with. */
interface Tally {
  readonly attributes: Attributes;
  value: number;
}

function tally(attributes: Attributes): Tally {
  return { attributes: Object.freeze(attributes), value: 0 };
}

/**
 * What every listener on one meter provider shares: the instruments, made once, and the totals of
 * the counters that move with every verification.
 *
 * Those counters are observable: the hot path adds one to a number, and the totals are reported when
 * the SDK collects. Recording them through synchronous instruments would cost more than a
 * verification answered from the token cache, since the SDK hashes the attributes on every call.
 * Exporters see the same thing either way: a monotonic sum with the same attributes.
 */
class Meters {
  readonly accepted = tally({ 'entra.outcome': 'accepted' });
  /** By code, then by check ('' without one). */
  readonly #rejected = new Map<string, Map<string, Tally>>();
  #rejectedCount = 0;
  readonly staleKeysServed = tally({});
  readonly unknownKidThrottled = tally({});
  readonly duration: Histogram;
  readonly keyFetches: Counter;
  readonly discoveryFetches: Counter;
  readonly #keyFetchAttributes = new Map<string, Attributes>();
  readonly #discoveryFetchAttributes = new Map<string, Attributes>();

  constructor(provider: MeterProvider) {
    const meter = provider.getMeter(SCOPE);
    meter
      .createObservableCounter('entra.auth.verifications', {
        description: 'Access tokens verified, by outcome (accepted or rejected), error code and failed check',
        unit: '{verification}',
      })
      .addCallback((result) => {
        result.observe(this.accepted.value, this.accepted.attributes);
        for (const byCheck of this.#rejected.values()) {
          for (const t of byCheck.values()) result.observe(t.value, t.attributes);
        }
      });
    meter
      .createObservableCounter('entra.keys.stale_served', {
        description:
          'Verifications that used cached keys past their refresh because the issuer was unreachable',
        unit: '{verification}',
      })
      .addCallback((result) => result.observe(this.staleKeysServed.value));
    meter
      .createObservableCounter('entra.keys.unknown_kid_throttled', {
        description: 'Tokens naming an unknown key refused without a refetch (cooldown in force)',
        unit: '{token}',
      })
      .addCallback((result) => result.observe(this.unknownKidThrottled.value));
    this.duration = meter.createHistogram('entra.auth.duration', {
      description: 'Wall time of a verification, waits for discovery and keys included',
      unit: 'ms',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS_MS },
    });
    this.keyFetches = meter.createCounter('entra.keys.fetches', {
      description: 'Requests for a signing key set, by outcome (ok or error), trigger and failure reason',
      unit: '{request}',
    });
    this.discoveryFetches = meter.createCounter('entra.discovery.fetches', {
      description:
        'Requests for an OpenID Connect discovery document, by outcome, version and failure reason',
      unit: '{request}',
    });
  }

  rejected(code: string, check: string | undefined): Tally {
    let byCheck = this.#rejected.get(code);
    const found = byCheck?.get(check ?? '');
    if (found !== undefined) return found;
    const made = tally(
      check === undefined
        ? { 'entra.outcome': 'rejected', 'entra.error.code': code }
        : { 'entra.outcome': 'rejected', 'entra.error.code': code, 'entra.error.check': check },
    );
    // Past the bound (which fixed vocabularies never reach) a tally is counted but not reported.
    if (this.#rejectedCount < MAX_TALLIES) {
      if (byCheck === undefined) {
        byCheck = new Map();
        this.#rejected.set(code, byCheck);
      }
      byCheck.set(check ?? '', made);
      this.#rejectedCount++;
    }
    return made;
  }

  keyFetchAttributes(trigger: string, reason: string | undefined): Attributes {
    return memo(this.#keyFetchAttributes, `${trigger} ${reason ?? ''}`, () =>
      reason === undefined
        ? { 'entra.outcome': 'ok', 'entra.keys.trigger': trigger }
        : { 'entra.outcome': 'error', 'entra.keys.trigger': trigger, 'error.type': reason },
    );
  }

  discoveryFetchAttributes(version: string, reason: string | undefined): Attributes {
    return memo(this.#discoveryFetchAttributes, `${version} ${reason ?? ''}`, () =>
      reason === undefined
        ? { 'entra.outcome': 'ok', 'entra.metadata.version': version }
        : { 'entra.outcome': 'error', 'entra.metadata.version': version, 'error.type': reason },
    );
  }
}

function memo(sets: Map<string, Attributes>, key: string, make: () => Attributes): Attributes {
  let set = sets.get(key);
  if (set === undefined) {
    set = Object.freeze(make());
    if (sets.size < MAX_TALLIES) sets.set(key, set);
  }
  return set;
}

/** One set of instruments per meter provider, however many validators report to it. */
const metersByProvider = new WeakMap<MeterProvider, Meters>();

function metersFor(provider: MeterProvider): Meters {
  let meters = metersByProvider.get(provider);
  if (meters === undefined) {
    meters = new Meters(provider);
    metersByProvider.set(provider, meters);
  }
  return meters;
}

/** A finite, non-negative duration; anything else counts as zero rather than breaking an exporter. */
function duration(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * A finished span for work that has already happened: it ends now and starts `durationMs` earlier.
 * Background refreshes start a new trace; other fetches belong to the request that waited for them.
 */
function recordFetchSpan(
  tracer: Tracer,
  name: string,
  durationMs: number,
  attributes: Attributes,
  failure: string | undefined,
  root: boolean,
): void {
  const end = performance.now();
  const span = tracer.startSpan(name, {
    kind: SpanKind.CLIENT,
    startTime: end - durationMs,
    attributes,
    root,
  });
  if (failure !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
  span.end(end);
}

/**
 * Returns an `onEvent` listener that turns the validator's events into OpenTelemetry metrics and
 * spans (meter and tracer named `@org/entra-core`):
 *
 * - `entra.auth.verifications` (counter): `entra.outcome` (`accepted` | `rejected`), `entra.error.code`
 *   and, when the core names it, `entra.error.check`;
 * - `entra.auth.duration` (histogram, ms): wall time of every verification, waits for keys included;
 * - `entra.keys.fetches` (counter): `entra.outcome` (`ok` | `error`), `entra.keys.trigger`, `error.type`;
 * - `entra.discovery.fetches` (counter): `entra.outcome`, `entra.metadata.version`, `error.type`;
 * - `entra.keys.stale_served`, `entra.keys.unknown_kid_throttled` (counters);
 * - spans `entra.keys.fetch` and `entra.discovery.fetch`, with the configured URL (`url.full`),
 *   timed from the fetch's duration, status error with the reason when the fetch failed.
 *
 * No attribute ever holds a token, a part of one, a claim value or a key id. Instruments are made
 * once per meter provider, when the first listener for it is made: create the listener after the
 * OpenTelemetry SDK has registered its global providers, or pass the providers.
 *
 * @example
 * ```ts
 * import { createEntraValidator } from '@org/entra-core';
 * import { entraTelemetry } from '@org/entra-otel';
 *
 * const validator = createEntraValidator({
 *   tenantId: process.env.TENANT_ID!,
 *   clientId: process.env.API_CLIENT_ID!,
 *   onEvent: entraTelemetry(), // the global providers, as registered by the OpenTelemetry SDK
 * });
 * ```
 */
export function entraTelemetry(options: EntraTelemetryOptions = {}): EntraTelemetryListener {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      'entraTelemetry: options must be an object such as { meterProvider, tracerProvider }',
    );
  }
  // Own properties only: a polluted Object.prototype must not choose where telemetry goes.
  const meterProvider = Object.hasOwn(options, 'meterProvider') ? options.meterProvider : undefined;
  const tracerProvider = Object.hasOwn(options, 'tracerProvider') ? options.tracerProvider : undefined;
  const meters = metersFor(meterProvider ?? metrics.getMeterProvider());
  const tracer = (tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);

  const onEvent = (event: EntraEvent): void => {
    switch (event.type) {
      case 'token_verified':
        meters.accepted.value++;
        meters.duration.record(duration(event.durationMs));
        return;
      case 'token_rejected': {
        // A fixed vocabulary in the core; checked again so nothing else can become an attribute value.
        const check = CHECK_RE.test(event.check) ? event.check : undefined;
        meters.rejected(String(event.code), check).value++;
        meters.duration.record(duration(event.durationMs));
        return;
      }
      case 'keys_fetched':
      case 'keys_fetch_failed': {
        const reason = event.type === 'keys_fetch_failed' ? event.reason : undefined;
        meters.keyFetches.add(1, meters.keyFetchAttributes(event.trigger, reason));
        const attributes: Attributes = { 'url.full': event.jwksUri, 'entra.keys.trigger': event.trigger };
        if (event.type === 'keys_fetched') {
          attributes['entra.keys.count'] = event.keyCount;
          attributes['entra.keys.ignored'] = event.ignoredCount;
        } else {
          attributes['error.type'] = event.reason;
        }
        recordFetchSpan(
          tracer,
          'entra.keys.fetch',
          duration(event.durationMs),
          attributes,
          reason,
          event.trigger === 'refresh',
        );
        return;
      }
      case 'metadata_fetched':
      case 'metadata_fetch_failed': {
        const reason = event.type === 'metadata_fetch_failed' ? event.reason : undefined;
        meters.discoveryFetches.add(1, meters.discoveryFetchAttributes(event.version, reason));
        const attributes: Attributes = { 'url.full': event.url, 'entra.metadata.version': event.version };
        if (reason !== undefined) attributes['error.type'] = reason;
        recordFetchSpan(
          tracer,
          'entra.discovery.fetch',
          duration(event.durationMs),
          attributes,
          reason,
          false,
        );
        return;
      }
      case 'stale_keys_served':
        meters.staleKeysServed.value++;
        return;
      case 'unknown_kid_throttled':
        meters.unknownKidThrottled.value++;
        return;
      default:
        // An event type a newer core added: ignored until this package knows it.
        return;
    }
  };

  return (event) => {
    try {
      onEvent(event);
    } catch {
      // Telemetry must never be the reason a verification fails; the core guards too.
    }
  };
}
