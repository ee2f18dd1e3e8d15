import { ConfigurationError } from '../errors.js';
import type { Runtime } from '../runtime/types.js';
import type { Telemetry, TelemetryTarget, VerifierInstrumentation } from './types.js';

/**
 * The verifier's instrumentation: the telemetry it was given, else what the runtime finds by itself (OpenTelemetry
 * on Node), else none. `false` turns it off.
 */
export function instrumentVerifier(
  runtime: Runtime,
  telemetry: Telemetry | false | undefined,
  target: TelemetryTarget,
): VerifierInstrumentation | undefined {
  if (
    telemetry !== undefined &&
    telemetry !== false &&
    typeof (telemetry as Partial<Telemetry> | null)?.instrument !== 'function'
  ) {
    throw new ConfigurationError(
      'the telemetry option takes openTelemetry() from @keyguard/core/opentelemetry, or false',
    );
  }
  const chosen = telemetry === false ? undefined : (telemetry ?? runtime.findTelemetry?.());
  return chosen?.instrument(target);
}
