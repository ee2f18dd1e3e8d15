import { requireAddressSource } from '@keyguard/core/edge';
import type {
  CreateRateLimiter,
  RateLimitOptions,
  RateLimitOutcome,
  RateLimiter,
  RateLimitRequest,
} from '@keyguard/core';
import type { OptionsOrFactory } from './options.js';

/** Where middleware runs, for the error about counting by `'ip'` there. */
export const MIDDLEWARE_PLATFORM = 'Next.js middleware';

/** Counts one request: the part `withRateLimit`, `withRateLimitPages`, `rateLimitMiddleware` and `keyguardMiddleware` share. */
export interface RateGate {
  (request: RateLimitRequest): Promise<RateLimitOutcome>;
  /** The RateLimiter behind it (created on first use when the options are a function). */
  rateLimiter(): RateLimiter;
}

/**
 * One limiter per guard, created once: now when `options` is an object (bad options throw at import), on the first
 * request when it is a function. `platform` names a place that gives no socket address (route handlers, middleware),
 * where counting by `'ip'` needs `trustProxy`; undefined where the socket is at hand (Pages API routes).
 */
export function createRateGate(
  createRateLimiter: CreateRateLimiter,
  options: OptionsOrFactory<RateLimitOptions>,
  platform?: string,
): RateGate {
  const init = (): RateLimiter => {
    const resolved = typeof options === 'function' ? options() : options;
    if (platform) requireAddressSource(resolved, platform);
    return createRateLimiter(resolved);
  };
  let limiter: RateLimiter | undefined = typeof options === 'function' ? undefined : init();
  const gate = async (request: RateLimitRequest): Promise<RateLimitOutcome> => (limiter ??= init()).check(request);
  return Object.assign(gate, { rateLimiter: () => (limiter ??= init()) });
}
