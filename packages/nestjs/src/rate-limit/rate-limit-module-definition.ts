import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { RateLimitBackend, RateLimitRouteOptions } from '@keyguard/core';

/**
 * What `RateLimitModule.forRoot` takes: the backend and namespace every route shares, and the default limits of the
 * routes `RateLimitGuard` guards (routes without `@RateLimit()` are not limited when no default limit is given).
 */
export type RateLimitModuleOptions = RateLimitRouteOptions & {
  /** Where counts live (`memoryRateLimitBackend()`, a Redis fleet's, Unkey's). */
  backend: RateLimitBackend;
  /** Each route counts in `<namespace>:<Controller>.<handler>` unless its `@RateLimit()` names a namespace. */
  namespace: string;
};

/** Options of the module definition itself, beside the rate limits. */
export interface RateLimitModuleExtras {
  /**
   * Provide `RateLimitGuard` to every module (default true), so `@UseGuards(RateLimitGuard)` works in feature modules
   * without importing `RateLimitModule` there.
   * @default true
   */
  isGlobal?: boolean;
}

// Nest's own builder, as KeyguardModule's: `forRoot(options)` and `forRootAsync({ imports, inject, useFactory, … })`.
export const {
  ConfigurableModuleClass: RateLimitConfigurableModule,
  /** Injection token of the options the module was given. */
  MODULE_OPTIONS_TOKEN: RATE_LIMIT_OPTIONS,
  OPTIONS_TYPE: RATE_LIMIT_MODULE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: RATE_LIMIT_MODULE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<RateLimitModuleOptions>({ moduleName: 'KeyguardRateLimit' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createRateLimitOptions')
  .setExtras<RateLimitModuleExtras>({ isGlobal: true }, (definition: DynamicModule, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

/** `RateLimitModule.forRoot`'s argument: the rate-limit options and `isGlobal`. */
export type RateLimitModuleRootOptions = typeof RATE_LIMIT_MODULE_OPTIONS_TYPE;
/** `RateLimitModule.forRootAsync`'s argument: `imports`, `inject` and a factory of the options, and `isGlobal`. */
export type RateLimitModuleAsyncOptions = typeof RATE_LIMIT_MODULE_ASYNC_OPTIONS_TYPE;
