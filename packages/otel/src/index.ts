/**
 * `@org/entra-otel`: OpenTelemetry metrics and spans from the events of `@org/entra-core`'s validator.
 *
 * @packageDocumentation
 * @module \@org/entra-otel
 */
export type { EntraTelemetryListener, EntraTelemetryOptions } from './telemetry.js';
export { entraTelemetry } from './telemetry.js';
