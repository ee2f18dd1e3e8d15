import type { Cluster, Redis } from 'ioredis';
import type { RateLimitAnswer, RateLimitBackend, RateLimitCall } from '@keyguard/core';
import { layoutFor } from '../keys/layout.js';
import { checkedPrefix } from '../options.js';
import { RateLimitRedisError } from './errors.js';
import { LIMIT } from './script.js';

/** What `redisRateLimitBackend()` takes. */
export interface RedisRateLimitBackendOptions {
  /** Your ioredis `Redis` or `Cluster`; the backend never closes it. */
  redis: Redis | Cluster;
  /**
   * Starts every counter's key, as the hash tag `{prefix}:` (one Cluster slot): the fleet's prefix, so one ACL
   * pattern covers both. Counters are
   * `{prefix}:r:<window ms>:<namespace length>:<namespace>:<identifier>:<window start>`.
   * @default 'keyguard'
   */
  prefix?: string;
}

/**
 * The counter of one rule and identifier, less its window (the script adds it); the namespace's length keeps `a:b` +
 * `c` apart from `a` + `b:c`.
 */
function counterKey(root: string, call: RateLimitCall): string {
  return `${root}r:${call.duration}:${call.namespace.length}:${call.namespace}:${call.identifier}`;
}

/** The script's answer, or the signal's reason once it aborts (the script runs on: it may already have spent). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** ioredis's states before a client's first `ready` (`wait`: created with `lazyConnect`). */
const FIRST_CONNECTION = new Set(['wait', 'connecting', 'connect']);

async function spend(client: Redis | Cluster, root: string, call: RateLimitCall): Promise<RateLimitAnswer> {
  try {
    const reply = (await LIMIT.run(client, counterKey(root, call), [call.limit, call.duration, call.cost])) as number[];
    const [spent, remaining, reset] = reply;
    return { success: spent === 1, limit: call.limit, remaining: Number(remaining), reset: Number(reset) };
  } catch (error) {
    throw new RateLimitRedisError('REDIS_FAILED', 'the rate-limit count on Redis failed', { cause: error });
  }
}

/**
 * A rate-limit backend on Redis (or Valkey), for `rateLimit()` / `createRateLimiter()`: every instance given the same
 * Redis and prefix shares the counts. One Lua script per call counts fixed windows aligned to the epoch (as Unkey's
 * `ratelimit.limit` and the memory backend, see rate-limit/script.ts), each key expiring with its window; it batches: `cost: n` settles n admissions at
 * once, `cost: 0` reads. Works on a single Redis, Sentinel or Cluster (every key shares the prefix's slot). Once the
 * client has been connected, a call while it is not rejects at once with a `RateLimitRedisError` (`REDIS_UNAVAILABLE`) instead of
 * waiting in ioredis's offline queue, so the limiter's `onBackendError` applies.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createRateLimiter } from '@keyguard/core';
 * import { redisRateLimitBackend } from '@keyguard/redis';
 *
 * const limiter = createRateLimiter({
 *   backend: redisRateLimitBackend({ redis: new Redis('redis://127.0.0.1:6379') }),
 *   namespace: 'api',
 *   limit: 100,
 *   duration: '1m',
 * });
 * ```
 */
export function redisRateLimitBackend(options: RedisRateLimitBackendOptions): RateLimitBackend {
  const { redis } = options;
  const { root } = layoutFor(checkedPrefix(options.prefix));
  // Until the client is first seen ready a call waits for it (ioredis queues it; the limiter's timeout bounds the
  // wait): an app's first request should not fail because its new client is still connecting. After that, not ready
  // means Redis went away.
  let seenReady = false;
  return {
    kind: 'redis',
    batching: true,
    limit(call, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      if (redis.status === 'ready') seenReady = true;
      else if (seenReady || !FIRST_CONNECTION.has(redis.status)) {
        return Promise.reject(new RateLimitRedisError('REDIS_UNAVAILABLE', `Redis is not connected (${redis.status})`));
      }
      return untilAborted(spend(redis, root, call), signal);
    },
  };
}
