import { KeyguardError } from '@keyguard/core';

/**
 * The Redis rate-limit backend could not count: Redis is not connected (`REDIS_UNAVAILABLE`, answered at once, no
 * command queued) or a command failed (`REDIS_FAILED`). The limiter's `onBackendError` decides what the request gets.
 * Never carries an identifier or a key.
 */
export class RateLimitRedisError extends KeyguardError {
  static override readonly brand: string = 'keyguard.redis.RateLimitRedisError';

  constructor(code: 'REDIS_UNAVAILABLE' | 'REDIS_FAILED', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
