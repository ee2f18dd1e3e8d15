import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { KeyguardOptions } from '@keyguard/core';
import { ApiKeyDeniedFilter } from '../denial/api-key-denied.filter.js';

/** What `KeyguardModule.forRoot` takes, and what a `forRootAsync` factory returns: the options of every adapter. */
export type KeyguardModuleOptions = KeyguardOptions;

/** Options of the module definition itself, beside keyguard's own. */
export interface KeyguardModuleExtras {
  /**
   * Provide the keyguard and `ApiKeyGuard` to every module (default true), so `@UseGuards(ApiKeyGuard)` and the
   * route decorators work in feature modules without importing `KeyguardModule` there.
   * @default true
   */
  isGlobal?: boolean;
  /**
   * Install `ApiKeyDeniedFilter` as a global filter (default true). Nest asks global filters registered later
   * first, and a module's imports are registered after the module itself: keyguard's filter is asked before an
   * `APP_FILTER` of your application module. To answer denials with an `APP_FILTER` of yours, set this to false.
   * @default true
   */
  denialFilter?: boolean;
}

function withExtras(definition: DynamicModule, extras: KeyguardModuleExtras): DynamicModule {
  const providers = [...(definition.providers ?? [])];
  if (extras.denialFilter) providers.push({ provide: APP_FILTER, useClass: ApiKeyDeniedFilter });
  return { ...definition, providers, global: extras.isGlobal };
}

// Nest's own builder: `forRoot(options)` and `forRootAsync({ imports, inject, useFactory | useClass | useExisting })`.
export const {
  ConfigurableModuleClass: KeyguardConfigurableModule,
  /** Injection token of the options the module was given. */
  MODULE_OPTIONS_TOKEN: KEYGUARD_OPTIONS,
  OPTIONS_TYPE: KEYGUARD_MODULE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: KEYGUARD_MODULE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<KeyguardModuleOptions>({ moduleName: 'Keyguard' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createKeyguardOptions')
  .setExtras<KeyguardModuleExtras>({ isGlobal: true, denialFilter: true }, withExtras)
  .build();

/** `KeyguardModule.forRoot`'s argument: keyguard's options, `isGlobal` and `denialFilter`. */
export type KeyguardModuleRootOptions = typeof KEYGUARD_MODULE_OPTIONS_TYPE;
/** `KeyguardModule.forRootAsync`'s argument: `imports`, `inject` and a factory of keyguard's options, `isGlobal` and `denialFilter`. */
export type KeyguardModuleAsyncOptions = typeof KEYGUARD_MODULE_ASYNC_OPTIONS_TYPE;
