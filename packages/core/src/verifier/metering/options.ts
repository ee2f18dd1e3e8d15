import { ConfigurationError } from '../../errors.js';

/**
 * How the verifier treats metered keys (keys with credits or rate limits, whose every verification spends something
 * upstream).
 */
export interface MeteringOptions {
  /**
   * `strict` (the default): every request of a metered key is verified upstream, one call each.
   * `batched`: after one upstream answer, requests are admitted from memory while the key's known limits and credits
   * allow, and reported upstream in batches (one `keys.verifyKey` with `credits.cost = n` and `ratelimits[].cost = n`);
   * near each limit's edge the key is verified upstream per request again. Needs a provider with `supportsCost`.
   * @default 'strict'
   */
  mode: 'strict' | 'batched';
  /**
   * Admissions settled by one upstream call: an integer from 1 to 1,000,000.
   * @default 100
   */
  maxBatch?: number;
  /**
   * Longest an admission waits before it is settled, in ms: an integer from 1 to 60,000.
   * @default 1_000
   */
  maxDelayMs?: number;
  /**
   * Requests are no longer admitted from memory once a limit or the credits would have this many or fewer left, as
   * this instance sees them; they are verified upstream one by one (default and minimum: `maxBatch`).
   * @default maxBatch
   */
  margin?: number;
  /**
   * Most admissions of one key, or of one limit shared by an identity's keys, that this instance holds without the
   * service having confirmed them (waiting for a batch or in a settlement under way); past it, requests are verified
   * upstream. It bounds how far several instances together can go past a limit (default 10 × `maxBatch`, minimum
   * `maxBatch`).
   * @default 10 * maxBatch
   */
  maxUnsettled?: number;
}

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
  if (options === null || typeof options !== 'object') throw new ConfigurationError("metering must be an object such as { mode: 'batched' }");
  const { mode, maxBatch, maxDelayMs, margin, maxUnsettled } = options;
  if (mode !== 'strict' && mode !== 'batched') throw new ConfigurationError("metering.mode must be 'strict' or 'batched'");
  if (mode === 'strict') {
    const batchedOnly = Object.entries({ maxBatch, maxDelayMs, margin, maxUnsettled }).filter(([, value]) => value !== undefined);
    if (batchedOnly.length > 0) {
      throw new ConfigurationError(`metering.${batchedOnly.map(([name]) => name).join(', ')} only apply to mode 'batched'`);
    }
    return undefined;
  }
  const batch = maxBatch === undefined ? DEFAULT_MAX_BATCH : integerIn('maxBatch', maxBatch, 1, MAX_BATCH);
  return {
    maxBatch: batch,
    maxDelayMs: maxDelayMs === undefined ? DEFAULT_MAX_DELAY_MS : integerIn('maxDelayMs', maxDelayMs, 1, MAX_DELAY_MS),
    margin: margin === undefined ? batch : integerIn('margin', margin, batch, Number.MAX_SAFE_INTEGER, `of at least maxBatch (${batch})`),
    maxUnsettled: maxUnsettled === undefined ? 10 * batch : integerIn('maxUnsettled', maxUnsettled, batch, Number.MAX_SAFE_INTEGER, `of at least maxBatch (${batch})`),
  };
}
