import { Inject, Module } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { createKeyguard } from '@keyguard/core';
import type { KeyguardOptions, RequestGuard } from '@keyguard/core';
import { ApiKeyGuard } from '../guard/api-key.guard.js';
import { KEYGUARD_OPTIONS, KeyguardConfigurableModule } from './keyguard-module-definition.js';
import { KEYGUARD } from './tokens.js';

/**
 * Creates one keyguard (core's `createKeyguard`) from `forRoot(options)` or `forRootAsync({ useFactory, inject })`,
 * provides it as `KEYGUARD` with `ApiKeyGuard`, and installs `ApiKeyDeniedFilter` (unless `denialFilter: false`) so
 * denials are written exactly.
 * Options are validated when the module is created: a wrong one stops the application from starting.
 *
 * @example
 * ```ts
 * import { Controller, Get, Module } from '@nestjs/common';
 * import { APP_GUARD } from '@nestjs/core';
 * import type { VerifiedKey } from '@keyguard/core';
 * import { ApiKey, ApiKeyGuard, KeyguardModule, RequirePermissions } from '@keyguard/nestjs';
 * import { unkey } from '@keyguard/unkey';
 *
 * @Controller()
 * class DocumentsController {
 *   @Get('me')
 *   me(@ApiKey() apiKey: VerifiedKey) {
 *     return { id: apiKey.id };
 *   }
 *
 *   @Get('documents')
 *   @RequirePermissions('documents.read')
 *   list() {
 *     return [];
 *   }
 * }
 *
 * @Module({
 *   imports: [KeyguardModule.forRoot({ provider: unkey({ rootKey: process.env.KEYGUARD_ROOT_KEY! }) })],
 *   controllers: [DocumentsController],
 *   providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }],
 * })
 * export class AppModule {}
 * ```
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

  constructor(@Inject(KEYGUARD) private readonly keyguard: RequestGuard) {
    super();
  }

  // After the HTTP server has closed (Nest calls shutdown hooks last): no request is still being verified. Once
  // only: an application closed twice runs its shutdown hooks twice.
  /** Closes the guard (and the verifier it created) when the application shuts down. */
  onApplicationShutdown(): Promise<void> {
    this.closing ??= this.keyguard.close();
    return this.closing;
  }
}
