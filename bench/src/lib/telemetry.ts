/**
 * `entraTelemetry()` as an app would run it: on an OpenTelemetry SDK meter provider whose metrics
 * are read when scraped (a pull reader, as a Prometheus endpoint reads them), so that what the
 * listener records on every verification goes into real SDK instruments, not into the API's no-op.
 * Spans are made only around key and discovery fetches, never per verification: the tracer is
 * left to the API's default.
 */
import type { DataPoint, Histogram } from '@opentelemetry/sdk-metrics';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { EntraEventListener } from '@org/entra-core';
import { entraTelemetry } from '@org/entra-otel';

/** Metrics are read only when `collect()` is called, as by a scrape. */
class ScrapeReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface BenchTelemetry {
  readonly onEvent: EntraEventListener;
  /** What the SDK holds now: accepted verifications counted, and durations recorded. */
  totals(): Promise<{ accepted: number; durations: number }>;
  close(): Promise<void>;
}

export function benchTelemetry(): BenchTelemetry {
  const reader = new ScrapeReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    onEvent: entraTelemetry({ meterProvider }),
    async totals() {
      const { resourceMetrics } = await reader.collect();
      let accepted = 0;
      let durations = 0;
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          if (metric.descriptor.name === 'entra.auth.verifications') {
            for (const point of metric.dataPoints as DataPoint<number>[]) {
              if (point.attributes['entra.outcome'] === 'accepted') accepted += point.value;
            }
          } else if (metric.descriptor.name === 'entra.auth.duration') {
            for (const point of metric.dataPoints as DataPoint<Histogram>[]) durations += point.value.count;
          }
        }
      }
      return { accepted, durations };
    },
    close: () => meterProvider.shutdown(),
  };
}
