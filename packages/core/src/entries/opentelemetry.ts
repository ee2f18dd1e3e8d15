// `@keyguard/core/opentelemetry`: OpenTelemetry for a verifier, chosen explicitly. On Node the same telemetry is
// found automatically when `@opentelemetry/api` is installed; this entry is for edge runtimes, bundles that drop
// modules they cannot see imported, and tracer or meter providers other than the global ones.
import * as api from '@opentelemetry/api';
import { createOpenTelemetry, type OpenTelemetryOptions } from '../telemetry/opentelemetry.js';
import type { Telemetry } from '../telemetry/types.js';

/**
 * Verifier telemetry over `@opentelemetry/api`: pass it as `createVerifier({ …, telemetry: openTelemetry() })`.
 *
 * @param options - Tracer and meter providers; by default the global ones, once an SDK registers them.
 * @returns Telemetry for the verifier's `telemetry` option.
 *
 * @example
 * ```ts
 * import { createVerifier } from '@keyguard/core';
 * import { openTelemetry } from '@keyguard/core/opentelemetry';
 * import { unkey } from '@keyguard/unkey';
 *
 * const verifier = createVerifier({
 *   provider: unkey({ rootKey: process.env.UNKEY_ROOT_KEY! }),
 *   telemetry: openTelemetry(),
 * });
 * ```
 */
export function openTelemetry(options: OpenTelemetryOptions = {}): Telemetry {
  return createOpenTelemetry(api, options);
}

export type { OpenTelemetryOptions } from '../telemetry/opentelemetry.js';
export type {
  RateLimiterInstrumentation,
  RateLimiterTelemetryTarget,
  Telemetry,
  TelemetryTarget,
  VerifierInstrumentation,
} from '../telemetry/types.js';
export * from '../telemetry/names.js';
