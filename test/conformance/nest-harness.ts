import { Controller, Get, Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { memoryRateLimitBackend } from '@keyguard/core';
import type { RateLimitRouteOptions, VerifiedKey } from '@keyguard/core';
import {
  AcceptTokenKinds,
  ApiKey,
  ApiKeyGuard,
  KeyguardModule,
  OptionalApiKey,
  RateLimit,
  RateLimitGuard,
  RateLimitModule,
  RequirePermissions,
  SkipApiKey,
} from '@keyguard/nestjs';
import { API_KEY_KINDS, GUARD_QUERY, MACHINE_KINDS, passed, passedKind, verifierFor } from './fixtures.js';
import type { Harness } from './fixtures.js';
import { failingBackend, localUnkeyBackend, RATE_LIMITED_ROUTES } from './rate-limit-routes.js';
import type { RateLimitedPath } from './rate-limit-routes.js';

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

// The routes that take one kind of credential each, by `@AcceptTokenKinds` under the same global guard.
@Controller()
class TokenKindsController {
  @Get('machines')
  @AcceptTokenKinds(...MACHINE_KINDS)
  machines(@ApiKey() apiKey: VerifiedKey) {
    return passedKind(apiKey);
  }

  @Get('api-keys')
  @AcceptTokenKinds(...API_KEY_KINDS)
  @RequirePermissions(GUARD_QUERY)
  apiKeys(@ApiKey() apiKey: VerifiedKey) {
    return passedKind(apiKey);
  }
}

/** A route's limits for `@RateLimit()`: the module's backend, or the failing one the route brings. */
function limitsOf(path: RateLimitedPath): RateLimitRouteOptions {
  const { failing, unkey, ...options } = RATE_LIMITED_ROUTES.find((route) => route.path === path)!.options;
  if (failing) return { ...options, backend: failingBackend };
  return unkey ? { ...options, backend: localUnkeyBackend } : options;
}

// The rate-limited routes, under the global RateLimitGuard (listed after ApiKeyGuard, so `'apiKey'` has the key).
@Controller('limited')
class RateLimitedController {
  @Get('ip')
  @SkipApiKey()
  @RateLimit(limitsOf('/limited/ip'))
  ip() {
    return passed(undefined);
  }

  @Get('limits')
  @SkipApiKey()
  @RateLimit(limitsOf('/limited/limits'))
  limits() {
    return passed(undefined);
  }

  @Get('cost')
  @SkipApiKey()
  @RateLimit(limitsOf('/limited/cost'))
  cost() {
    return passed(undefined);
  }

  @Get('header')
  @SkipApiKey()
  @RateLimit(limitsOf('/limited/header'))
  header() {
    return passed(undefined);
  }

  @Get('key')
  @RateLimit(limitsOf('/limited/key'))
  key(@ApiKey() apiKey: VerifiedKey) {
    return passed(apiKey);
  }

  @Get('metered')
  @RateLimit(limitsOf('/limited/metered'))
  metered(@ApiKey() apiKey: VerifiedKey) {
    return passed(apiKey);
  }

  @Get('function')
  @SkipApiKey()
  @RateLimit(limitsOf('/limited/function'))
  byFunction() {
    return passed(undefined);
  }

  @Get('fail-open')
  @SkipApiKey()
  @RateLimit(limitsOf('/limited/fail-open'))
  failOpen() {
    return passed(undefined);
  }

  @Get('override')
  @SkipApiKey()
  @RateLimit(limitsOf('/limited/override'))
  override() {
    return passed(undefined);
  }

  @Get('fail-closed')
  @SkipApiKey()
  @RateLimit(limitsOf('/limited/fail-closed'))
  failClosed() {
    return passed(undefined);
  }
}

/** The same Nest application on `@nestjs/platform-express` or `@nestjs/platform-fastify`. */
export function nestHarness(platform: 'express' | 'fastify'): Harness {
  return {
    name: `nest-${platform}`,
    async start(config) {
      const verifier = verifierFor(config);
      @Module({
        imports: [
          KeyguardModule.forRoot({ verifier }),
          RateLimitModule.forRoot({ backend: memoryRateLimitBackend(), namespace: 'conformance' }),
        ],
        controllers: [ConformanceController, TokenKindsController, RateLimitedController],
        providers: [
          { provide: APP_GUARD, useClass: ApiKeyGuard },
          { provide: APP_GUARD, useClass: RateLimitGuard },
        ],
      })
      class ConformanceModule {}
      const adapter = platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
      const app: INestApplication = await NestFactory.create(ConformanceModule, adapter, {
        logger: false,
        forceCloseConnections: true,
        // A module that fails to start throws here, with its reason, instead of ending the test process.
        abortOnError: false,
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
