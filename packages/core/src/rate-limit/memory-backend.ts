import { LRUCache } from 'lru-cache';
import { ConfigurationError } from '../errors.js';
import type { RateLimitAnswer, RateLimitBackend, RateLimitCall } from './types.js';

/** Options of `memoryRateLimitBackend()`. */
export interface MemoryRateLimitBackendOptions {
  /**
   * Most counters kept (one per namespace, window length and identifier). Past it the least recently used is
   * dropped, so a flood of distinct identifiers (spoofed addresses, random header values) cannot exhaust memory; a
   * dropped counter starts again from zero, and a client that keeps sending stays recent and keeps its count.
   * @default 10000
   */
  maxIdentifiers?: number;
  /**
   * The clock, in unix ms (tests move it instead of waiting).
   * @default Date.now
   */
  now?: () => number;
}

/** The memory backend: a `RateLimitBackend` that also tells how many counters it holds. */
export interface MemoryRateLimitBackend extends RateLimitBackend {
  /** Counters held now (never more than `maxIdentifiers`). */
  readonly size: number;
}

interface Counter {
  windowStart: number;
  used: number;
}

const DEFAULT_MAX_IDENTIFIERS = 10_000;
const MAX_MAX_IDENTIFIERS = 10_000_000;

/**
 * Counts in this process's memory: for one instance, tests and development. Windows are fixed and aligned to the
 * epoch (`floor(now / duration) * duration`), as Unkey's `ratelimit.limit` counts: moving from this backend to the
 * Redis or Unkey one changes where counts live, not which requests pass. A call that does not fit spends nothing;
 * `cost: 0` reads. Batching: counts are exact, so `cost = n` spends exactly n.
 *
 * @example
 * ```ts
 * import { createRateLimiter, memoryRateLimitBackend } from '@keyguard/core';
 *
 * const limiter = createRateLimiter({ backend: memoryRateLimitBackend(), namespace: 'login', limit: 5, duration: '1m' });
 * const outcome = await limiter.check({ headers: {}, ip: '203.0.113.7' });
 * console.log(outcome.allowed); // true for the first 5 requests of each minute
 * ```
 */
export function memoryRateLimitBackend(options: MemoryRateLimitBackendOptions = {}): MemoryRateLimitBackend {
  const max = options.maxIdentifiers ?? DEFAULT_MAX_IDENTIFIERS;
  if (!Number.isSafeInteger(max) || max < 1 || max > MAX_MAX_IDENTIFIERS)
    throw new ConfigurationError(`maxIdentifiers must be an integer from 1 to ${MAX_MAX_IDENTIFIERS}`);
  if (options.now !== undefined && typeof options.now !== 'function')
    throw new ConfigurationError('now must be a function returning unix ms');
  const now = options.now ?? Date.now;
  const counters = new LRUCache<string, Counter>({ max });

  return {
    kind: 'memory',
    batching: true,
    get size(): number {
      return counters.size;
    },
    limit(call: RateLimitCall, signal?: AbortSignal): Promise<RateLimitAnswer> {
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      const time = now();
      const windowStart = Math.floor(time / call.duration) * call.duration;
      const key = `${call.namespace}\u0000${call.duration}\u0000${call.identifier}`;
      let counter = counters.get(key);
      if (!counter || counter.windowStart !== windowStart) {
        counter = { windowStart, used: 0 };
        counters.set(key, counter);
      }
      const fits = call.cost === 0 ? counter.used < call.limit : counter.used + call.cost <= call.limit;
      if (fits) counter.used += call.cost;
      return Promise.resolve({
        success: fits,
        limit: call.limit,
        remaining: Math.max(0, call.limit - counter.used),
        reset: windowStart + call.duration,
      });
    },
    async close(): Promise<void> {
      counters.clear();
    },
  };
}
