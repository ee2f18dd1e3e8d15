import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryRateLimitBackend } from '@keyguard/core';
import type { VerifiedKey } from '@keyguard/core';
import {
  ApiKey,
  ApiKeyGuard,
  KeyguardModule,
  RateLimit,
  RateLimitGuard,
  RateLimitModule,
  SkipApiKey,
  SkipRateLimit,
} from '@keyguard/nestjs';
import { STANDARD_KEYS, useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { appTracker, PLATFORMS } from './support/nest-app.js';

const READER = 'sk_nest_rl_reader_1';
registerSecret(READER);

const { verifier } = await useFakeUnkeyService({ [READER]: STANDARD_KEYS.reader });
const apps = appTracker();
afterAll(() => apps.closeAll());

@Controller()
@SkipApiKey()
@RateLimit({ limit: 1, duration: '1m' })
class PublicController {
  @Get('strict')
  strict() {
    return { route: 'strict' };
  }

  @Get('other')
  other() {
    return { route: 'other' };
  }

  @Get('roomy')
  @RateLimit({ limit: 3, duration: '10s' })
  roomy() {
    return { route: 'roomy' };
  }

  @Get('free')
  @SkipRateLimit()
  free() {
    return { route: 'free' };
  }

  // Guarded twice (globally and here): counted once.
  @Get('twice')
  @UseGuards(RateLimitGuard)
  twice() {
    return { route: 'twice' };
  }
}

@Controller('keyed')
class KeyedController {
  @Get()
  @RateLimit({ limit: 1, duration: '1m', identifier: 'apiKey' })
  keyed(@ApiKey() apiKey: VerifiedKey) {
    return { id: apiKey.id };
  }
}

function appModule() {
  @Module({
    imports: [
      KeyguardModule.forRoot({ verifier }),
      RateLimitModule.forRootAsync({
        // A clock that stands still: no fixed window ends between one test's requests, however loaded the machine.
        useFactory: () => {
          const frozen = Date.now();
          return {
            backend: memoryRateLimitBackend({ now: () => frozen }),
            namespace: 'nest',
            limit: 50,
            duration: '1h',
          };
        },
      }),
    ],
    controllers: [PublicController, KeyedController],
    providers: [
      { provide: APP_GUARD, useClass: ApiKeyGuard },
      { provide: APP_GUARD, useClass: RateLimitGuard },
    ],
  })
  class AppModule {}
  return AppModule;
}

const statuses = async (get: (path: string) => Promise<Response>, path: string, count: number) => {
  const answers: number[] = [];
  for (let index = 0; index < count; index++) answers.push((await get(path)).status);
  return answers;
};

describe.each(PLATFORMS)('RateLimitGuard on %s', (platform) => {
  it("limits each route on its own: the handler's @RateLimit over the controller's, @SkipRateLimit exempts", async () => {
    const { get } = await apps.start(platform, appModule());
    expect(await statuses(get, '/strict', 2)).toEqual([200, 429]);
    expect(await statuses(get, '/other', 2)).toEqual([200, 429]);
    expect(await statuses(get, '/roomy', 4)).toEqual([200, 200, 200, 429]);
    expect(await statuses(get, '/free', 3)).toEqual([200, 200, 200]);
    const limited = await get('/strict');
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('ratelimit')).toMatch(/^"1m";r=0;t=\d+$/);
    expect(await limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
  });

  it('counts a route guarded twice once', async () => {
    const { get } = await apps.start(platform, appModule());
    const first = await get('/twice');
    expect(first.headers.get('ratelimit')).toMatch(/^"1m";r=0;t=\d+$/);
    expect((await get('/twice')).status).toBe(429);
  });

  it('after ApiKeyGuard, counts by the verified key', async () => {
    const { get } = await apps.start(platform, appModule());
    expect((await get('/keyed', { 'x-api-key': READER })).status).toBe(200);
    const denied = await get('/keyed', { 'x-api-key': READER });
    expect(denied.status).toBe(429);
    expect(await denied.text()).not.toContain(READER);
  });
});
