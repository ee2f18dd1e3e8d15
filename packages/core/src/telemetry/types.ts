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

/** What a telemetry integration sees of one rate limiter (shapes of its own: telemetry imports no rate-limit code). */
export interface RateLimiterTelemetryTarget {
  /** The limiter's namespace. */
  readonly namespace: string;
  /** The backend's `kind`. */
  readonly backend: string;
  /** The limiter's decision counts, read when metrics are collected. */
  stats(): { allowed: number; limited: number; unavailable: number; failedOpen: number };
}

/** One rate limiter's instrumentation, made when the limiter is created. */
export interface RateLimiterInstrumentation {
  /** Runs one backend call (`cost` tokens of the limit `name`) inside a span. */
  call<T>(name: string, cost: number, run: () => Promise<T>): Promise<T>;
  /** The limiter was closed: its counts stay in the totals, it is no longer read. */
  close(): void;
}

/**
 * Where a verifier reports what it does. `openTelemetry()` from `@keyguard/core/opentelemetry` is one; on Node it is
 * found automatically when `@opentelemetry/api` is installed (see the README, "Operating keyguard").
 */
export interface Telemetry {
  /** Called once per verifier, when it is created. */
  instrument(target: TelemetryTarget): VerifierInstrumentation;
  /** Called once per rate limiter (`createRateLimiter()`, each adapter's `rateLimit()`), when it is created. */
  instrumentRateLimiter?(target: RateLimiterTelemetryTarget): RateLimiterInstrumentation;
}
