import { Inject, Module } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { createKeyguard } from '@keyguard/core';
import type { Keyguard, KeyguardOptions } from '@keyguard/core';
import { ApiKeyGuard } from '../guard/api-key.guard.js';
import { KEYGUARD_OPTIONS, KeyguardConfigurableModule } from './keyguard-module-definition.js';
import { KEYGUARD } from './tokens.js';

/**
 * Creates one keyguard (core's `createKeyguard`) from `forRoot(options)` or `forRootAsync({ useFactory, inject })`,
 * provides it as `KEYGUARD` with `ApiKeyGuard`, and installs `ApiKeyDeniedFilter` (unless `denialFilter: false`) so
 * denials are written exactly.
 * Options are validated when the module is created: a wrong one stops the application from starting.
 */
@Module({
  providers: [
    {
      provide: KEYGUARD,
      useFactory: (options: KeyguardOptions) => createKeyguard(options),
      inject: [KEYGUARD_OPTIONS],
    },
    ApiKeyGuard,
  ],
  exports: [KEYGUARD, ApiKeyGuard],
})
export class KeyguardModule extends KeyguardConfigurableModule implements OnApplicationShutdown {
  private closing?: Promise<void>;

  constructor(@Inject(KEYGUARD) private readonly keyguard: Keyguard) {
    super();
  }

  // After the HTTP server has closed (Nest calls shutdown hooks last): no request is still being verified. Once
  // only: an application closed twice runs its shutdown hooks twice.
  onApplicationShutdown(): Promise<void> {
    this.closing ??= this.keyguard.close();
    return this.closing;
  }
}
