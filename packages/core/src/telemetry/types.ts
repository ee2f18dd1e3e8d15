import type { Provider, Verification } from '../types.js';
import type { VerifierStats } from '../verifier/stats.js';

/** What a telemetry integration sees of one verifier. */
export interface TelemetryTarget {
  /** The verifier's provider, before instrumentation. */
  readonly provider: Provider;
  /** The verifier's counters and cache sizes, read when metrics are collected. */
  stats(): VerifierStats;
}

/** One verifier's instrumentation, made when the verifier is created. */
export interface VerifierInstrumentation {
  /** The provider the verifier calls: its own, wrapped so that each call is traced and timed. */
  readonly provider: Provider;
  /** Every answer the verifier gives, from memory, the provider or the local pre-checks. On the cached path: keep it cheap. */
  answered(verification: Verification): void;
  /** The verifier was closed: stop observing it. */
  close(): void;
}

/**
 * Where a verifier reports what it does. `openTelemetry()` from `@keyguard/core/opentelemetry` is one; on Node it is
 * found automatically when `@opentelemetry/api` is installed (see the README, "Operating keyguard").
 */
export interface Telemetry {
  /** Called once per verifier, when it is created. */
  instrument(target: TelemetryTarget): VerifierInstrumentation;
}
