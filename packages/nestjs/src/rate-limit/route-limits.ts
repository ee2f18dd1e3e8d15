import type { RateLimitRouteOptions } from '@keyguard/core';

/** What `@RateLimit()` and `@SkipRateLimit()` record on a controller class or a handler. */
export type RateLimitSetting = { skip: true } | { skip: false; options: RateLimitRouteOptions };

const RATE_LIMIT = Symbol('keyguard:rate-limit');

/** Records the setting of one class or handler (a second decorator on the same target replaces the first). */
export function recordRateLimit(target: object, setting: RateLimitSetting): void {
  Reflect.defineMetadata(RATE_LIMIT, setting, target);
}

/**
 * The route's setting: its handler's own, else its controller's. A `@RateLimit()` on the handler limits it in a
 * controller marked `@SkipRateLimit()`, and the other way round.
 */
export function rateLimitOf(controller: object, handler: object): RateLimitSetting | undefined {
  return (
    (Reflect.getOwnMetadata(RATE_LIMIT, handler) as RateLimitSetting | undefined) ??
    (Reflect.getOwnMetadata(RATE_LIMIT, controller) as RateLimitSetting | undefined)
  );
}
