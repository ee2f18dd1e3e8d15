import { Controller, Get, Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { VerifiedKey } from '@keyguard/core';
import { ApiKey, ApiKeyGuard, KeyguardModule, OptionalApiKey, RequirePermissions } from '@keyguard/nestjs';
import { GUARD_QUERY, passed, verifierFor } from './fixtures.js';
import type { Harness } from './fixtures.js';

// The harness's three routes, under a global ApiKeyGuard (the setup the @keyguard/nestjs README leads with).
@Controller()
class ConformanceController {
  @Get('protected')
  protected(@ApiKey() apiKey: VerifiedKey) {
    return passed(apiKey);
  }

  @Get('optional')
  @OptionalApiKey()
  optional(@ApiKey() apiKey: VerifiedKey | undefined) {
    return passed(apiKey);
  }

  @Get('guarded')
  @RequirePermissions(GUARD_QUERY)
  guarded(@ApiKey() apiKey: VerifiedKey) {
    return passed(apiKey);
  }
}

/** The same Nest application on `@nestjs/platform-express` or `@nestjs/platform-fastify`. */
export function nestHarness(platform: 'express' | 'fastify'): Harness {
  return {
    name: `nest-${platform}`,
    async start(config) {
      const verifier = verifierFor(config);
      @Module({
        imports: [KeyguardModule.forRoot({ verifier })],
        controllers: [ConformanceController],
        providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }],
      })
      class ConformanceModule {}
      const adapter = platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
      const app: INestApplication = await NestFactory.create(ConformanceModule, adapter, {
        logger: false,
        forceCloseConnections: true,
      });
      await app.listen(0, '127.0.0.1');
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      return {
        url,
        async close() {
          await app.close();
          await verifier.close();
        },
      };
    },
  };
}
