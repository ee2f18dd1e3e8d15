import { Controller, Get, Inject, Injectable, Module, UseGuards } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import type { KeyguardOptions, RequestGuard, VerifiedKey } from '@keyguard/core';
import { ApiKey, ApiKeyGuard, KEYGUARD, KeyguardModule } from '@keyguard/nestjs';
import { STANDARD_KEYS, useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { PLATFORMS, appTracker } from './support/nest-app.js';

const READER = 'sk_nest_reader_1';

const { fake, verifier } = await useFakeUnkeyService({ [READER]: STANDARD_KEYS.reader });
const apps = appTracker();
beforeEach(() => verifier.invalidateAll());
afterEach(() => apps.closeAll());

@Controller('me')
@UseGuards(ApiKeyGuard)
class MeController {
  constructor(@Inject(KEYGUARD) private readonly keyguard: RequestGuard) {}

  @Get()
  me(@ApiKey() apiKey: VerifiedKey) {
    return { id: apiKey.id, cached: this.keyguard.verifier.stats().entries };
  }
}

describe.each(PLATFORMS)('KeyguardModule on %s', (platform) => {
  it('forRoot takes provider options, and closes the verifier it created when the application closes', async () => {
    @Module({
      imports: [KeyguardModule.forRoot({ provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url }) })],
      controllers: [MeController],
    })
    class AppModule {}
    const app = await apps.start(platform, AppModule);
    const keyguard = app.app.get<RequestGuard>(KEYGUARD);
    expect(await (await app.get('/me', { 'x-api-key': READER })).json()).toEqual({ id: 'key_reader', cached: 1 });
    await app.close();
    expect(keyguard.verifier.stats().entries).toBe(0);
  });

  it('leaves a verifier it was given open', async () => {
    @Module({ imports: [KeyguardModule.forRoot({ verifier })], controllers: [MeController] })
    class AppModule {}
    const app = await apps.start(platform, AppModule);
    await app.get('/me', { 'x-api-key': READER });
    await app.close();
    expect(verifier.stats().entries).toBe(1);
  });

  it('forRootAsync builds the options from ConfigService', async () => {
    const environment = { KEYGUARD_ROOT_KEY: fake.rootKey, KEYGUARD_BASE_URL: fake.url, KEYGUARD_REALM: 'documents' };
    @Module({
      imports: [
        KeyguardModule.forRootAsync({
          imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => environment] })],
          inject: [ConfigService],
          useFactory: (config: ConfigService): KeyguardOptions => ({
            provider: unkey({
              rootKey: config.getOrThrow('KEYGUARD_ROOT_KEY'),
              baseUrl: config.getOrThrow('KEYGUARD_BASE_URL'),
            }),
            realm: config.get('KEYGUARD_REALM'),
          }),
        }),
      ],
      controllers: [MeController],
    })
    class AppModule {}
    const app = await apps.start(platform, AppModule);
    expect((await app.get('/me', { 'x-api-key': READER })).status).toBe(200);
    expect((await app.get('/me')).headers.get('www-authenticate')).toBe('Bearer realm="documents"');
  });

  it('forRootAsync takes an options factory class', async () => {
    @Injectable()
    class KeyguardConfig {
      createKeyguardOptions(): KeyguardOptions {
        return { verifier, realm: 'from-class' };
      }
    }
    @Module({ imports: [KeyguardModule.forRootAsync({ useClass: KeyguardConfig })], controllers: [MeController] })
    class AppModule {}
    const app = await apps.start(platform, AppModule);
    expect((await app.get('/me')).headers.get('www-authenticate')).toBe('Bearer realm="from-class"');
  });

  it('is global by default; with isGlobal: false, feature modules import it to use the guard', async () => {
    @Module({ controllers: [MeController] })
    class FeatureModule {}
    @Module({ imports: [KeyguardModule.forRoot({ verifier, isGlobal: false }), FeatureModule] })
    class NotGlobal {}
    await expect(NestFactory.create(NotGlobal, { logger: false, abortOnError: false })).rejects.toThrow(
      /resolve dependencies of the ApiKeyGuard/,
    );

    @Module({ imports: [KeyguardModule.forRoot({ verifier })], controllers: [] })
    class Root {}
    @Module({ imports: [Root, FeatureModule] })
    class Global {}
    const app = await apps.start(platform, Global as Type);
    expect((await app.get('/me', { 'x-api-key': READER })).status).toBe(200);
  });

  it('refuses to start without a verifier or a provider', async () => {
    // A type error in TypeScript; from plain JavaScript, a ConfigurationError at start-up.
    @Module({ imports: [KeyguardModule.forRoot({} as KeyguardOptions)], controllers: [MeController] })
    class AppModule {}
    await expect(NestFactory.create(AppModule, { logger: false, abortOnError: false })).rejects.toThrow(
      ConfigurationError,
    );
  });
});
