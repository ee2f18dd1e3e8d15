import type { Runtime } from '../runtime/types.js';
import type { Telemetry, TelemetryTarget, VerifierInstrumentation } from './types.js';

/**
 * The verifier's instrumentation: the telemetry it was given, else what the runtime finds by itself (OpenTelemetry
 * on Node), else none. `false` turns it off. `telemetry` was checked with the other options (verifier/options.ts).
 */
export function instrumentVerifier(
  runtime: Runtime,
  telemetry: Telemetry | false | undefined,
  target: TelemetryTarget,
): VerifierInstrumentation | undefined {
  const chosen = telemetry === false ? undefined : (telemetry ?? runtime.findTelemetry?.());
  return chosen?.instrument(target);
}
