import { RateLimitBackendError } from './backend-error.js';
import type { RateLimitAnswer, RateLimitBackend, RateLimitCall } from './types.js';

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** The answer as the limiter relies on it; anything else (NaN, a missing reset) is a failure, never a pass. */
function checked(answer: unknown, backend: RateLimitBackend): RateLimitAnswer {
  const value = answer as Partial<RateLimitAnswer> | null | undefined;
  if (
    value &&
    typeof value.success === 'boolean' &&
    isCount(value.limit) &&
    isCount(value.remaining) &&
    isCount(value.reset)
  )
    return value as RateLimitAnswer;
  throw new RateLimitBackendError(
    'RATE_LIMIT_BACKEND_BAD_ANSWER',
    `the ${backend.kind} rate-limit backend gave an answer without success, limit, remaining and reset`,
    backend.kind,
  );
}

/**
 * Asks the backend, giving up after `timeoutMs`: the call's signal is aborted then, so a backend that honours it
 * (fetch, a Redis command) stops waiting too. Every failure is a `RateLimitBackendError`.
 */
export async function callBackend(
  backend: RateLimitBackend,
  call: RateLimitCall,
  timeoutMs: number,
): Promise<RateLimitAnswer> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new RateLimitBackendError(
        'RATE_LIMIT_BACKEND_TIMEOUT',
        `the ${backend.kind} rate-limit backend did not answer within ${timeoutMs} ms`,
        backend.kind,
      );
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    const answer = await Promise.race([backend.limit(call, controller.signal), timedOut]);
    return checked(answer, backend);
  } catch (error) {
    if (error instanceof RateLimitBackendError) throw error;
    throw new RateLimitBackendError(
      'RATE_LIMIT_BACKEND_FAILED',
      `the ${backend.kind} rate-limit backend failed`,
      backend.kind,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}
