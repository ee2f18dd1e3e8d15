import type { BackoffStrategy, RetryConfig } from './retry-config.js';

/**
 * Unkey's and Clerk's generated SDKs document the shape but not the numbers. The interval and exponent are the usual generated-SDK
 * defaults; the budget is 10 s rather than an hour, like Unkey's own TypeScript SDK, because a caller (a CLI,
 * a deploy script) is usually waiting.
 */
export const DEFAULT_RETRY_CONFIG: Readonly<RetryConfig> = Object.freeze({
  strategy: 'backoff',
  backoff: Object.freeze({ initialInterval: 500, maxInterval: 5_000, exponent: 1.5, maxElapsedTime: 10_000 }),
  retryConnectionErrors: true,
});

/**
 * Wait before retry number `attempt` (0 for the first retry): exponential, capped, with "equal jitter" (half
 * fixed, half random) so that clients failing together do not retry together.
 */
export function backoffDelay(attempt: number, backoff: BackoffStrategy, random: () => number = Math.random): number {
  const base = Math.min(backoff.maxInterval, backoff.initialInterval * backoff.exponent ** attempt);
  return base / 2 + random() * (base / 2);
}

/** What to do after a failed attempt: give up, or retry (not before `retryAt`, unix ms, when the server said). */
export type RetryDecision = { retry: false } | { retry: true; retryAt?: number };

/** Resolves true after `ms`, or false at once when `signal` aborts (the client was closed). */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `attempt` until it succeeds, `decide` says the failure is final, or the next wait would end past
 * `maxElapsedTime`; then the last failure is thrown as is. A server's `retryAt` is honoured: never earlier.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  decide: (error: unknown) => RetryDecision,
  backoff: BackoffStrategy | undefined,
  signal: AbortSignal,
): Promise<T> {
  const started = Date.now();
  for (let retries = 0; ; retries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!backoff) throw error;
      const decision = decide(error);
      if (!decision.retry) throw error;
      const now = Date.now();
      const wait = Math.max(
        backoffDelay(retries, backoff),
        decision.retryAt === undefined ? 0 : decision.retryAt - now,
      );
      if (now + wait - started > backoff.maxElapsedTime) throw error;
      if (!(await sleep(wait, signal))) throw error;
    }
  }
}
