import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { KeyguardOptions } from '@keyguard/core';

/** What `KeyguardModule.forRoot` takes, and what a `forRootAsync` factory returns: the options of every adapter. */
export type KeyguardModuleOptions = KeyguardOptions;

/** Options of the module definition itself, beside keyguard's own. */
export interface KeyguardModuleExtras {
  /**
   * Provide the keyguard and `ApiKeyGuard` to every module (default true), so `@UseGuards(ApiKeyGuard)` and the
   * route decorators work in feature modules without importing `KeyguardModule` there.
   */
  isGlobal?: boolean;
}

// Nest's own builder: `forRoot(options)` and `forRootAsync({ imports, inject, useFactory | useClass | useExisting })`.
export const {
  ConfigurableModuleClass: KeyguardConfigurableModule,
  MODULE_OPTIONS_TOKEN: KEYGUARD_OPTIONS,
  OPTIONS_TYPE: KEYGUARD_MODULE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: KEYGUARD_MODULE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<KeyguardModuleOptions>({ moduleName: 'Keyguard' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createKeyguardOptions')
  .setExtras<KeyguardModuleExtras>({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** `KeyguardModule.forRoot`'s argument: keyguard's options and `isGlobal`. */
export type KeyguardModuleRootOptions = typeof KEYGUARD_MODULE_OPTIONS_TYPE;
/** `KeyguardModule.forRootAsync`'s argument: `imports`, `inject` and a factory of keyguard's options, and `isGlobal`. */
export type KeyguardModuleAsyncOptions = typeof KEYGUARD_MODULE_ASYNC_OPTIONS_TYPE;
