import { Catch, Controller, Get, HttpStatus, Inject, Module, UseFilters } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, BaseExceptionFilter, HttpAdapterHost } from '@nestjs/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdapterOptions, VerifiedKey } from '@keyguard/core';
import { ApiKey, ApiKeyDenied, ApiKeyGuard, KeyguardModule } from '@keyguard/nestjs';
import { STANDARD_KEYS, useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { PLATFORMS, appTracker } from './support/nest-app.js';

const READER = 'sk_nest_reader_1';
// The fake's rate-limit window outlives a test: one limited key per platform.
const LIMITED = { express: 'sk_nest_limited_express', fastify: 'sk_nest_limited_fastify' };

const { fake, verifier } = await useFakeUnkeyService({
  [READER]: STANDARD_KEYS.reader,
  [LIMITED.express]: STANDARD_KEYS.limited,
  [LIMITED.fastify]: STANDARD_KEYS.limited,
});
const apps = appTracker();
// Each test starts from the key service's state, not from what an earlier test left in the verifier's cache.
beforeEach(() => verifier.invalidateAll());
afterEach(() => apps.closeAll());

@Controller()
class ItemsController {
  @Get('items')
  items(@ApiKey() apiKey: VerifiedKey) {
    return { id: apiKey.id };
  }
}

function appModule(options: AdapterOptions = {}, controllers: Type[] = [ItemsController]): Type {
  @Module({
    imports: [KeyguardModule.forRoot({ verifier, ...options })],
    controllers,
    providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }],
  })
  class AppModule {}
  return AppModule;
}

const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'x-powered-by', 'etag']);
function headersOf(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!TRANSPORT_HEADERS.has(name)) headers[name] = value;
  });
  return headers;
}

describe.each(PLATFORMS)('denials on %s', (platform) => {
  it('are written as the other adapters write them: status, problem+json, challenge, no-store', async () => {
    const app = await apps.start(platform, appModule());
    const response = await app.get('/items');
    expect(response.status).toBe(401);
    expect(headersOf(response)).toEqual({
      'content-type': expect.stringMatching(/^application\/problem\+json(;|$)/),
      'cache-control': 'no-store',
      'www-authenticate': 'Bearer realm="api"',
    });
    expect(await response.json()).toEqual({
      type: 'urn:keyguard:problem:missing-key',
      title: 'API key required',
      status: 401,
      detail: 'This request needs an API key.',
      code: 'MISSING_KEY',
    });
  });

  it('put RateLimit headers on a metered answer, then 429 with Retry-After', async () => {
    const app = await apps.start(platform, appModule());
    const allowed = await app.get('/items', { 'x-api-key': LIMITED[platform] });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('ratelimit-limit')).toBe('1');
    expect(allowed.headers.get('ratelimit-remaining')).toBe('0');
    const limited = await app.get('/items', { 'x-api-key': LIMITED[platform] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
  });

  it('answer 503 with Retry-After when the key service is down', async () => {
    const app = await apps.start(platform, appModule());
    fake.fault = { kind: 'status', status: 500 };
    const response = await app.get('/items', { 'x-api-key': READER });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
  });

  it('follow realm, rateLimitHeaders and onDenied', async () => {
    const onDenied = (denial: ApiKeyDenied['denial']) => ({
      ...denial,
      status: HttpStatus.NOT_FOUND,
      body: { ...denial.body, status: 404 },
    });
    const app = await apps.start(platform, appModule({ realm: 'documents', rateLimitHeaders: 'draft-7', onDenied }));
    const response = await app.get('/items');
    expect(response.status).toBe(404);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="documents"');
    const limitedKey = `sk_nest_limited_draft7_${platform}`;
    fake.add(limitedKey, STANDARD_KEYS.limited);
    const allowed = await app.get('/items', { 'x-api-key': limitedKey });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('ratelimit')).toMatch(/^limit=1, remaining=0, reset=\d+$/);
  });

  it('read keys from the sources configured, query strings included', async () => {
    const app = await apps.start(platform, appModule({ sources: [{ query: 'api_key' }] }));
    expect(await (await app.get(`/items?api_key=${READER}`)).json()).toEqual({ id: 'key_reader' });
    expect((await app.get('/items', { 'x-api-key': READER })).status).toBe(401);
  });

  describe('reshaped by filters of the application', () => {
    @Catch(ApiKeyDenied)
    class HouseStyle implements ExceptionFilter<ApiKeyDenied> {
      constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}
      catch(exception: ApiKeyDenied, host: ArgumentsHost) {
        const response: unknown = host.switchToHttp().getResponse();
        this.adapterHost.httpAdapter.reply(response, { error: exception.code.toLowerCase() }, exception.getStatus());
      }
    }

    @Controller()
    @UseFilters(HouseStyle)
    class HouseStyleController {
      @Get('house')
      house(@ApiKey() apiKey: VerifiedKey) {
        return { id: apiKey.id };
      }
    }

    it('a filter bound to the controller writes its own body; the challenge and no-store stay', async () => {
      const app = await apps.start(platform, appModule({}, [HouseStyleController]));
      const response = await app.get('/house');
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api"');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ error: 'missing_key' });
    });

    it("an APP_FILTER of the application module answers once keyguard's filter is left out (denialFilter: false)", async () => {
      const module = (denialFilter: boolean) => {
        @Module({
          imports: [KeyguardModule.forRoot({ verifier, denialFilter })],
          controllers: [ItemsController],
          providers: [
            { provide: APP_GUARD, useClass: ApiKeyGuard },
            { provide: APP_FILTER, useClass: HouseStyle },
          ],
        })
        class AppModule {}
        return AppModule;
      };
      // Imported modules register their global filters after the importing module's, and Nest asks later ones first.
      const withKeyguardFilter = await apps.start(platform, module(true));
      expect((await withKeyguardFilter.get('/items')).headers.get('content-type')).toMatch(
        /^application\/problem\+json/,
      );
      const withoutKeyguardFilter = await apps.start(platform, module(false));
      const response = await withoutKeyguardFilter.get('/items');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api"');
      expect(await response.json()).toEqual({ error: 'missing_key' });
    });

    it("a catch-all filter given to app.useGlobalFilters gets it first; Nest's default writing keeps the headers", async () => {
      @Catch()
      class EverythingFilter extends BaseExceptionFilter {
        override catch(exception: unknown, host: ArgumentsHost) {
          super.catch(exception, host);
        }
      }
      const app = await apps.start(platform, appModule(), (nest) =>
        nest.useGlobalFilters(new EverythingFilter(nest.get(HttpAdapterHost).httpAdapter)),
      );
      const response = await app.get('/items');
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api"');
      expect(await response.json()).toMatchObject({ code: 'MISSING_KEY', status: 401 });
    });
  });
});
