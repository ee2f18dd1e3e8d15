import type { RateLimitRouteOptions } from '@keyguard/core';
import type { RouteDecorator } from '../routes/decorators.js';
import { recordRateLimit } from './route-limits.js';
import type { RateLimitSetting } from './route-limits.js';

function recording(setting: RateLimitSetting): RouteDecorator {
  return ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    recordRateLimit(descriptor ? (descriptor.value as object) : target, setting);
  }) as RouteDecorator;
}

/**
 * This controller's or route's limits, over `RateLimitModule`'s (as @nestjs/throttler's `@Throttle()`): `limit` and
 * `duration`, or `limits`, and any other rate-limit option (`identifier`, `cost`, `onBackendError`, even `backend`).
 * Each route counts on its own. `RateLimitGuard` does the counting: apply it globally or with `@UseGuards()`.
 */
export function RateLimit(options: RateLimitRouteOptions): RouteDecorator {
  return recording({ skip: false, options });
}

/** Exempts a controller or a route from `RateLimitGuard` (as @nestjs/throttler's `@SkipThrottle()`). */
export function SkipRateLimit(): RouteDecorator {
  return recording({ skip: true });
}
