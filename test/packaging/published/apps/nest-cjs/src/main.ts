import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { unkey } from '@keyguard/unkey';
import { ApiKeyGuard, KeyguardModule } from '@keyguard/nestjs';
import { DocumentsController } from './documents.controller';

// A NestJS app outside the keyguard workspace, with the packed packages installed by npm, compiled by tsc to
// CommonJS (Nest's default): every keyguard package is loaded through `require`.
@Module({
  imports: [
    KeyguardModule.forRoot({
      provider: unkey({ rootKey: process.env.KEYGUARD_ROOT_KEY!, baseUrl: process.env.KEYGUARD_BASE_URL }),
    }),
  ],
  controllers: [DocumentsController],
  providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }],
})
class AppModule {}

async function bootstrap() {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  console.log(`listening ${(await app.getUrl()).replace('[::1]', '127.0.0.1')}`);
}
void bootstrap();
