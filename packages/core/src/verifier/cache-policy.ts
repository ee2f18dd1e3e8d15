import { latestExceededReset } from '../rate-limit-state.js';
import type { ProviderAnswer } from '../types.js';
import type { CacheSettings } from './options.js';

/** Answers remembered apart from valid keys, for `negativeMs`. */
export const NEGATIVE_CODES: ReadonlySet<string> = new Set(['NOT_FOUND', 'EXPIRED', 'DISABLED', 'USAGE_EXCEEDED']);

/** How memory keeps one provider answer, and until when (unix ms, this process's clock). */
export type Retention =
  /** A valid key: served fresh, then stale while refreshed, and after a provider failure; never past its expiry. */
  | {
      kind: 'valid';
      keyId: string;
      freshUntil: number;
      staleUntil: number;
      staleIfErrorUntil: number;
      expiresAt: number;
    }
  /** A metered key (without `cacheMeteredKeys`): remembered only as metered, never served from memory as such. */
  | { kind: 'metered'; keyId: string }
  /** A rate-limited key: turned away from memory until its window resets. */
  | { kind: 'rate_limited'; keyId: string | undefined; until: number }
  /** An unknown, expired, disabled or out-of-credit key, for `negativeMs`. */
  | { kind: 'negative'; keyId: string | undefined; until: number };

/**
 * The cache policy: how and how long an answer obtained at `now` is kept, or undefined when it is not kept at all
 * (an answer about a key already expired, a rate limit without a future reset, a code memory never keeps). Memory
 * (`rememberAnswer`) and what a fleet may share (`shareMs`) are both derived from it.
 */
export function retentionOf(answer: ProviderAnswer, settings: CacheSettings, now: number): Retention | undefined {
  if (answer.valid && answer.key) {
    const keyId = answer.key.id;
    const expiresAt = answer.key.expires ?? Number.POSITIVE_INFINITY;
    if (expiresAt <= now) return undefined;
    if (answer.metered && !settings.cacheMeteredKeys) return { kind: 'metered', keyId };
    return {
      kind: 'valid',
      keyId,
      freshUntil: now + settings.freshMs,
      staleUntil: now + settings.freshMs + settings.staleMs,
      staleIfErrorUntil: now + settings.staleIfErrorMs,
      expiresAt,
    };
  }
  if (answer.code === 'RATE_LIMITED') {
    const until = latestExceededReset(answer.ratelimits);
    return until !== undefined && until > now ? { kind: 'rate_limited', keyId: answer.keyId, until } : undefined;
  }
  return NEGATIVE_CODES.has(answer.code)
    ? { kind: 'negative', keyId: answer.keyId, until: now + settings.negativeMs }
    : undefined;
}

/**
 * How long a fleet may share an answer (ms, 0 for not at all), by memory's own policy: what memory serves as fresh
 * (a valid key's fresh window, never past its expiry; a rate limit until its reset; a negative answer for
 * `negativeMs`). A metered key is not shared (unless `cacheMeteredKeys`), and the stale windows stay per instance.
 */
export function shareMs(answer: ProviderAnswer, settings: CacheSettings, now: number): number {
  const retention = retentionOf(answer, settings, now);
  switch (retention?.kind) {
    case 'valid':
      return Math.min(settings.freshMs, retention.expiresAt - now);
    case 'rate_limited':
      return retention.until - now;
    case 'negative':
      return settings.negativeMs;
    default:
      return 0;
  }
}
