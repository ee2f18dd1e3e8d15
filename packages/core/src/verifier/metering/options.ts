import { ConfigurationError } from '../../errors.js';
import type { MeteringOptions } from '../types.js';

export type { MeteringOptions } from '../types.js';

/** Batched metering's settings, every one set. */
export interface BatchedMeteringSettings {
  maxBatch: number;
  maxDelayMs: number;
  margin: number;
  maxUnsettled: number;
}

export const DEFAULT_MAX_BATCH = 100;
export const DEFAULT_MAX_DELAY_MS = 1000;
const MAX_BATCH = 1_000_000;
const MAX_DELAY_MS = 60_000;

/** The longest the fleet's view of the other instances' unconfirmed admissions may go unrefreshed while in use. */
const MAX_SHARED_REFRESH_MS = 50;

/**
 * How often a fleet sharing metering counts writes this instance's and reads the others' (per budget in use): a
 * quarter of `maxDelayMs`, so several times per settlement, and at most 50 ms apart.
 */
export function sharedMeteringRefreshMs(maxDelayMs: number): number {
  return Math.max(1, Math.min(MAX_SHARED_REFRESH_MS, Math.round(maxDelayMs / 4)));
}

function integerIn(name: string, value: unknown, min: number, max: number, range = `from ${min} to ${max}`): number {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw new ConfigurationError(`metering.${name} must be an integer ${range}`);
  }
  return value as number;
}

/** Checks the `metering` option at creation: undefined for strict metering, the settings for batched. */
export function resolveMetering(options: MeteringOptions | undefined): BatchedMeteringSettings | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object')
    throw new ConfigurationError("metering must be an object such as { mode: 'batched' }");
  const { mode, maxBatch, maxDelayMs, margin, maxUnsettled } = options;
  if (mode !== 'strict' && mode !== 'batched')
    throw new ConfigurationError("metering.mode must be 'strict' or 'batched'");
  if (mode === 'strict') {
    const batchedOnly = Object.entries({ maxBatch, maxDelayMs, margin, maxUnsettled }).filter(
      ([, value]) => value !== undefined,
    );
    if (batchedOnly.length > 0) {
      throw new ConfigurationError(
        `metering.${batchedOnly.map(([name]) => name).join(', ')} only apply to mode 'batched'`,
      );
    }
    return undefined;
  }
  const batch = maxBatch === undefined ? DEFAULT_MAX_BATCH : integerIn('maxBatch', maxBatch, 1, MAX_BATCH);
  return {
    maxBatch: batch,
    maxDelayMs: maxDelayMs === undefined ? DEFAULT_MAX_DELAY_MS : integerIn('maxDelayMs', maxDelayMs, 1, MAX_DELAY_MS),
    margin:
      margin === undefined
        ? batch
        : integerIn('margin', margin, batch, Number.MAX_SAFE_INTEGER, `of at least maxBatch (${batch})`),
    maxUnsettled:
      maxUnsettled === undefined
        ? 10 * batch
        : integerIn('maxUnsettled', maxUnsettled, batch, Number.MAX_SAFE_INTEGER, `of at least maxBatch (${batch})`),
  };
}
