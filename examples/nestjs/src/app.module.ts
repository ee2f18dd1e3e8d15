import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import type { KeyguardOptions } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { ApiKeyGuard, KeyguardModule } from '@keyguard/nestjs';
import { AccountController } from './account.controller.js';
import { DocumentsController } from './documents/documents.controller.js';
import { DocumentsService } from './documents/documents.service.js';

/**
 * Against the local key service (`keyguard serve`) with KEYGUARD_ROOT_KEY (and KEYGUARD_BASE_URL, default
 * http://127.0.0.1:8787); against Unkey itself with UNKEY_ROOT_KEY alone.
 */
function keyguardOptions(config: ConfigService): KeyguardOptions {
  const localRootKey = config.get<string>('KEYGUARD_ROOT_KEY');
  const rootKey = localRootKey ?? config.getOrThrow<string>('UNKEY_ROOT_KEY');
  const baseUrl = config.get<string>('KEYGUARD_BASE_URL') ?? (localRootKey ? 'http://127.0.0.1:8787' : undefined);
  return { provider: unkey({ rootKey, baseUrl }) };
}

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }),
    KeyguardModule.forRootAsync({ inject: [ConfigService], useFactory: keyguardOptions }),
  ],
  controllers: [AccountController, DocumentsController],
  // Every route requires a key unless it says otherwise (@SkipApiKey, @OptionalApiKey).
  providers: [DocumentsService, { provide: APP_GUARD, useClass: ApiKeyGuard }],
})
export class AppModule {}
