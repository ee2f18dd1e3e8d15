import { Controller, Get, Module } from '@nestjs/common';
import { APP_GUARD, HttpAdapterHost } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, KeyguardError, PermissionQuerySyntaxError, createKeyguard } from '@keyguard/core';
import type { VerifiedKey } from '@keyguard/core';
import { ApiKey, ApiKeyGuard, KeyguardModule, OptionalApiKey, RequirePermissions, SkipApiKey } from '@keyguard/nestjs';
import { STANDARD_KEYS, useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { PLATFORMS, appTracker } from './support/nest-app.js';

const READER = 'sk_nest_reader_1';
const { verifier } = await useFakeUnkeyService({ [READER]: STANDARD_KEYS.reader });
const apps = appTracker();
afterEach(() => apps.closeAll());

describe('route decorators at declaration', () => {
  it('parse the permission query now: a bad one throws before the application starts', () => {
    expect(() => RequirePermissions('docs.read AND')).toThrow(PermissionQuerySyntaxError);
    expect(() => RequirePermissions('')).toThrow(PermissionQuerySyntaxError);
  });

  it('refuse contradicting settings on the same route or controller', () => {
    expect(() => {
      class Contradiction {
        @SkipApiKey()
        @RequirePermissions('docs.read')
        route() {}
      }
      return Contradiction;
    }).toThrow(ConfigurationError);
    expect(() => {
      @OptionalApiKey()
      @SkipApiKey()
      class Contradiction {}
      return Contradiction;
    }).toThrow(/@SkipApiKey\(\) and @OptionalApiKey\(\)/);
  });
});

@Controller()
class UnguardedController {
  @Get('unguarded')
  unguarded(@ApiKey() apiKey: VerifiedKey) {
    return { id: apiKey.id };
  }
}

@Controller()
class PublicController {
  @Get('public')
  @SkipApiKey()
  open(@ApiKey() apiKey: VerifiedKey | undefined) {
    return { id: apiKey?.id ?? null };
  }
}

describe.each(PLATFORMS)('@ApiKey() on %s', (platform) => {
  it('fails closed (500, a typed error logged without the key) on a route no ApiKeyGuard protects', async () => {
    @Module({ imports: [KeyguardModule.forRoot({ verifier })], controllers: [UnguardedController] })
    class AppModule {}
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const app = await apps.start(platform, AppModule);
    const response = await app.get('/unguarded', { 'x-api-key': READER });
    expect(response.status).toBe(500);
    // Silenced here, so checked here rather than by the suite's leak watch.
    expect(JSON.stringify(logged.mock.calls)).toContain('API_KEY_GUARD_MISSING');
    expect(JSON.stringify(logged.mock.calls)).not.toContain(READER);
    logged.mockRestore();
  });

  it('fails closed on a @SkipApiKey() route too', async () => {
    @Module({
      imports: [KeyguardModule.forRoot({ verifier })],
      controllers: [PublicController],
      providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }],
    })
    class AppModule {}
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const app = await apps.start(platform, AppModule);
    expect((await app.get('/public', { 'x-api-key': READER })).status).toBe(500);
    expect(JSON.stringify(logged.mock.calls)).not.toContain(READER);
    logged.mockRestore();
  });
});

describe('ApiKeyGuard outside HTTP', () => {
  class MessageHandlers {
    handle() {}
    @SkipApiKey()
    open() {}
  }

  it('refuses to guard another kind of handler unless it is marked public', () => {
    const guard = new ApiKeyGuard(createKeyguard({ verifier }), new HttpAdapterHost());
    const rpc = (handler: () => void) => {
      const context = new ExecutionContextHost([{ pattern: 'documents.list' }, {}], MessageHandlers, handler);
      context.setType('rpc');
      return context;
    };
    expect(() => guard.canActivate(rpc(MessageHandlers.prototype.handle))).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_CONTEXT' }),
    );
    expect(() => guard.canActivate(rpc(MessageHandlers.prototype.handle))).toThrow(KeyguardError);
    expect(guard.canActivate(rpc(MessageHandlers.prototype.open))).toBe(true);
  });
});
