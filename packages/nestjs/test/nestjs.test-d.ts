import type { DynamicModule } from '@nestjs/common';
import { expectTypeOf, test } from 'vitest';
import type { DenialResponse, KeyguardOptions, Provider, VerifiedKey, Verifier } from '@keyguard/core';
import { ApiKey, KEYGUARD, KeyguardModule, OptionalApiKey, RequirePermissions, SkipApiKey } from '@keyguard/nestjs';
import type { ApiKeyDenied, KeyguardRequest, RouteDecorator } from '@keyguard/nestjs';

declare const options: KeyguardOptions;
declare const verifier: Verifier;
declare const provider: Provider;

test('KeyguardModule.forRoot takes keyguard options, isGlobal and denialFilter, nothing else', () => {
  expectTypeOf(
    KeyguardModule.forRoot({ ...options, isGlobal: false, denialFilter: false }),
  ).toEqualTypeOf<DynamicModule>();
  // @ts-expect-error not an option of keyguard
  KeyguardModule.forRoot({ ...options, prefix: '/api' });
  // @ts-expect-error realm is a string
  KeyguardModule.forRoot({ ...options, realm: 401 });
  // @ts-expect-error a ready verifier, or the options to make one, not both
  KeyguardModule.forRoot({ verifier, provider });
});

test('forRootAsync factories return keyguard options', () => {
  KeyguardModule.forRootAsync({
    inject: ['CONFIG'],
    useFactory: async (config: { rootKey: string }) => ({ ...options, realm: config.rootKey }),
  });
  // @ts-expect-error a factory must return keyguard options
  KeyguardModule.forRootAsync({ useFactory: () => ({ realm: 401 }) });
  KeyguardModule.forRootAsync({
    useClass: class {
      createKeyguardOptions = () => options;
    },
  });
  KeyguardModule.forRootAsync({
    // @ts-expect-error an options class has createKeyguardOptions()
    useClass: class {
      create = () => options;
    },
  });
});

test('a denial carries the whole answer', () => {
  expectTypeOf<ApiKeyDenied['denial']>().toEqualTypeOf<DenialResponse>();
  expectTypeOf<ApiKeyDenied['code']>().toEqualTypeOf<string>();
  expectTypeOf<KeyguardRequest['apiKey']>().toEqualTypeOf<VerifiedKey | undefined>();
  expectTypeOf(KEYGUARD).toExtend<symbol>();
});

test('decorators go where Nest expects them', () => {
  expectTypeOf(ApiKey()).toEqualTypeOf<ParameterDecorator>();
  expectTypeOf(RequirePermissions('docs.read')).toEqualTypeOf<RouteDecorator>();
  expectTypeOf(OptionalApiKey()).toExtend<ClassDecorator>();
  expectTypeOf(SkipApiKey()).toExtend<MethodDecorator>();

  @RequirePermissions('docs.read')
  class Controller {
    @OptionalApiKey()
    @RequirePermissions('docs.write')
    route(@ApiKey() _apiKey: VerifiedKey | undefined) {}

    // @ts-expect-error @ApiKey() decorates a parameter, not a route
    @ApiKey()
    misplaced() {}
  }
  expectTypeOf(Controller).toBeConstructibleWith();
});
