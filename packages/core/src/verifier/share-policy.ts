import { latestExceededReset } from '../rate-limit-state.js';
import type { ProviderAnswer } from '../types.js';
import type { CacheOptions } from './types.js';

/** Answers remembered apart from valid keys, for `negativeMs`. */
export const NEGATIVE_CODES: ReadonlySet<string> = new Set(['NOT_FOUND', 'EXPIRED', 'DISABLED', 'USAGE_EXCEEDED']);

/**
 * How long a fleet may share an answer (ms, 0 for not at all), by memory's own rules: a valid key for the fresh
 * window and never past its expiry, a metered key not at all unless `cacheMeteredKeys`, a rate-limited key until its
 * window resets, an unknown, expired or disabled key for `negativeMs`. The stale windows stay per instance.
 */
export function shareMs(answer: ProviderAnswer, settings: Required<CacheOptions>, now: number): number {
  if (answer.valid && answer.key) {
    const untilExpiry = (answer.key.expires ?? Number.POSITIVE_INFINITY) - now;
    if (untilExpiry <= 0 || (answer.metered && !settings.cacheMeteredKeys)) return 0;
    return Math.min(settings.freshMs, untilExpiry);
  }
  if (answer.code === 'RATE_LIMITED') return Math.max(0, (latestExceededReset(answer.ratelimits) ?? now) - now);
  return NEGATIVE_CODES.has(answer.code) ? settings.negativeMs : 0;
}
