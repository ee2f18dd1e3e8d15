import { createRequire } from 'node:module';
import { createOpenTelemetry, isOpenTelemetryApi } from '../telemetry/opentelemetry.js';
import type { Telemetry } from '../telemetry/types.js';

let found: Telemetry | null | undefined;

/**
 * OpenTelemetry, when the app has `@opentelemetry/api` installed: looked up once per process with a synchronous
 * `require` from core's own location, so the ESM and the CommonJS builds both find it and neither fails to load
 * without it. The API keeps its registered SDK in a process-wide global, so this copy sees the SDK the app started
 * through its own import. Nothing is recorded until an SDK is registered.
 */
export function findOpenTelemetry(): Telemetry | undefined {
  if (found === undefined) found = load() ?? null;
  return found ?? undefined;
}

function load(): Telemetry | undefined {
  let api: unknown;
  try {
    api = createRequire(import.meta.url)('@opentelemetry/api');
  } catch {
    return undefined;
  }
  return isOpenTelemetryApi(api) ? createOpenTelemetry(api) : undefined;
}
