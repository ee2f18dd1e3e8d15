import type { RateLimitAnswer, RateLimitBackend, RateLimitCall } from '@keyguard/core';
import { UnkeyClient } from '../client/client.js';
import type { RatelimitLimitResponseData } from '../wire.js';

/**
 * Where `unkeyRateLimitBackend()` counts: Unkey (or `keyguard serve`) reached with a root key holding
 * `ratelimit.*.limit` (and `ratelimit.*.create_namespace` for a namespace not created yet), or an `UnkeyClient`
 * you already have (then closed by you, not by the backend).
 */
export type UnkeyRateLimitBackendOptions =
  | {
      /** Root key. Sent as `Authorization: Bearer …`; never put in an error, a message or a log. */
      rootKey: string;
      /** @default 'https://api.unkey.com' */
      baseUrl?: string;
      /**
       * Deadline of one call. The rate limiter's own `timeoutMs` usually ends the wait first.
       * @default 10000
       */
      timeoutMs?: number;
    }
  | {
      /** A client of yours; the backend never closes it. */
      client: UnkeyClient;
    };

/**
 * Unkey's `ratelimit.limit` answers `success: true` to `cost: 0` while the count has not gone past the limit, even
 * when nothing is left (its service tests `count + cost > limit`, github.com/unkeyed/unkey,
 * go/internal/services/ratelimit/service.go, as `keyguard serve` does). The contract reads a `cost: 0` answer as
 * "is anything left", so a read is a success only while `remaining > 0`.
 */
function answerOf(call: RateLimitCall, data: RatelimitLimitResponseData): RateLimitAnswer {
  const success = call.cost === 0 ? data.remaining > 0 : data.success;
  return {
    success,
    limit: data.limit,
    remaining: data.remaining,
    reset: data.reset,
    ...(data.overrideId ? { overrideId: data.overrideId } : {}),
  };
}

/** The call's answer, or the signal's reason once it aborts (the call itself runs on: it may have reached Unkey). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A client of the backend's own: no retries, as a limiter waits for its answer and `onBackendError` decides at once. */
function ownClient({ rootKey, baseUrl, timeoutMs }: { rootKey: string; baseUrl?: string; timeoutMs?: number }) {
  return new UnkeyClient({
    rootKey,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    retry: false,
  });
}

/**
 * A rate-limit backend on Unkey's `ratelimit.limit` (v2), for `rateLimit()` / `createRateLimiter()`: counts live in
 * Unkey, shared by every instance, and overrides set with `ratelimit.setOverride` (wildcards too) change the limit
 * it answers. It batches: `cost: n` settles n admissions in one call (all or none, as Unkey spends a cost), and
 * `cost: 0` reads. A call that may have reached Unkey is never retried (it may have spent); a failure rejects with an
 * `UnkeyApiError`, so the limiter's `onBackendError` applies.
 *
 * @example
 * ```ts
 * import { createRateLimiter } from '@keyguard/core';
 * import { unkeyRateLimitBackend } from '@keyguard/unkey';
 *
 * const limiter = createRateLimiter({
 *   backend: unkeyRateLimitBackend({ rootKey: process.env.UNKEY_ROOT_KEY! }),
 *   namespace: 'api.requests',
 *   limit: 100,
 *   duration: '1m',
 * });
 * ```
 */
export function unkeyRateLimitBackend(options: UnkeyRateLimitBackendOptions): RateLimitBackend {
  const given = 'client' in options ? options.client : undefined;
  const client = 'client' in options ? options.client : ownClient(options);
  return {
    kind: 'unkey',
    batching: true,
    async limit(call, signal) {
      signal?.throwIfAborted();
      const { namespace, identifier, limit, duration, cost } = call;
      const request = client.ratelimit.limit({ namespace, identifier, limit, duration, cost });
      const { data } = await untilAborted(request, signal);
      return answerOf(call, data);
    },
    ...(given ? {} : { close: () => client.close() }),
  };
}
