import { Inject, Module } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { createRateLimiter, RouteRateLimiters } from '@keyguard/core';
import { RATE_LIMIT_OPTIONS, RateLimitConfigurableModule } from './rate-limit-module-definition.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { ROUTE_RATE_LIMITERS } from './tokens.js';

/**
 * Rate limits no key carries, as @nestjs/throttler's `ThrottlerModule`: `forRoot({ backend, namespace, limit,
 * duration })` (or `forRootAsync`) gives the defaults, `@RateLimit()` a route's own limits, `@SkipRateLimit()`
 * exempts; `RateLimitGuard` counts. Denials go through `ApiKeyDeniedFilter`, which `KeyguardModule` installs.
 *
 * @example
 * ```ts
 * import { Controller, Get, Module } from '@nestjs/common';
 * import { APP_GUARD } from '@nestjs/core';
 * import { memoryRateLimitBackend } from '@keyguard/core';
 * import { ApiKeyGuard, KeyguardModule, RateLimit, RateLimitGuard, RateLimitModule } from '@keyguard/nestjs';
 * import { unkey } from '@keyguard/unkey';
 *
 * @Controller()
 * class ReportsController {
 *   @Get('reports')
 *   @RateLimit({ limit: 5, duration: '1m' })
 *   list() {
 *     return [];
 *   }
 * }
 *
 * @Module({
 *   imports: [
 *     KeyguardModule.forRoot({ provider: unkey({ rootKey: process.env.KEYGUARD_ROOT_KEY! }) }),
 *     RateLimitModule.forRoot({ backend: memoryRateLimitBackend(), namespace: 'api', identifier: 'apiKey' }),
 *   ],
 *   controllers: [ReportsController],
 *   providers: [
 *     { provide: APP_GUARD, useClass: ApiKeyGuard },
 *     { provide: APP_GUARD, useClass: RateLimitGuard },
 *   ],
 * })
 * export class AppModule {}
 * ```
 */
@Module({
  providers: [
    { provide: ROUTE_RATE_LIMITERS, useFactory: () => new RouteRateLimiters<object>(createRateLimiter) },
    RateLimitGuard,
  ],
  // The options too: an `APP_GUARD` RateLimitGuard is instantiated in the application's module, not in this one.
  exports: [RATE_LIMIT_OPTIONS, ROUTE_RATE_LIMITERS, RateLimitGuard],
})
export class RateLimitModule extends RateLimitConfigurableModule implements OnApplicationShutdown {
  private closing?: Promise<void>;

  constructor(@Inject(ROUTE_RATE_LIMITERS) private readonly limiters: RouteRateLimiters<object>) {
    super();
  }

  // After the HTTP server has closed: no request is still being counted. Pending admissions are settled first.
  /** Closes every route's limiter when the application shuts down. */
  onApplicationShutdown(): Promise<void> {
    this.closing ??= this.limiters.close();
    return this.closing;
  }
}
