import type { DynamicModule } from '@nestjs/common';
import { expectTypeOf, test } from 'vitest';
import type { RateLimitBackend } from '@keyguard/core';
import { RateLimit, RateLimitModule, SkipRateLimit } from '@keyguard/nestjs';
import type { RouteDecorator } from '@keyguard/nestjs';

declare const backend: RateLimitBackend;

test('@RateLimit and @SkipRateLimit decorate a controller or a handler', () => {
  expectTypeOf(RateLimit({ limit: 5, duration: '1m' })).toEqualTypeOf<RouteDecorator>();
  expectTypeOf(SkipRateLimit()).toEqualTypeOf<RouteDecorator>();
  RateLimit({ limits: [{ name: 'burst', limit: 10, duration: '1s' }], identifier: ['identity', 'ip'], cost: 2 });
  // @ts-expect-error a duration needs a unit keyguard knows
  RateLimit({ limit: 5, duration: '5 minutes' });
  // @ts-expect-error not an identifier source
  RateLimit({ limit: 5, duration: '1m', identifier: 'cookie' });
});

test('RateLimitModule.forRoot needs a backend and a namespace; forRootAsync factories return them', () => {
  expectTypeOf(
    RateLimitModule.forRoot({ backend, namespace: 'api', limit: 100, duration: '1m' }),
  ).toEqualTypeOf<DynamicModule>();
  RateLimitModule.forRoot({ backend, namespace: 'api', isGlobal: false });
  // @ts-expect-error the backend is required
  RateLimitModule.forRoot({ namespace: 'api' });
  RateLimitModule.forRootAsync({
    inject: ['CONFIG'],
    useFactory: (prefix: string) => ({ backend, namespace: prefix }),
  });
  // @ts-expect-error a factory must return the module's options
  RateLimitModule.forRootAsync({ useFactory: () => ({ namespace: 'api' }) });
});
