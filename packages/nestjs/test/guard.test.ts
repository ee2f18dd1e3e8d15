import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VerifiedKey } from '@keyguard/core';
import { ApiKey, ApiKeyGuard, KeyguardModule, OptionalApiKey, RequirePermissions, SkipApiKey } from '@keyguard/nestjs';
import { STANDARD_KEYS, useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { PLATFORMS, appTracker } from './support/nest-app.js';

const READER = 'sk_nest_reader_1';
const WRITER = 'sk_nest_writer_2';
const METERED = 'sk_nest_metered_3';

const { fake, verifier } = await useFakeUnkeyService({
  [READER]: STANDARD_KEYS.reader,
  [WRITER]: STANDARD_KEYS.writer,
  [METERED]: STANDARD_KEYS.metered,
});
const apps = appTracker();
// Each test starts from the key service's state, not from what an earlier test left in the verifier's cache.
beforeEach(() => verifier.invalidateAll());
afterEach(() => apps.closeAll());

const idOf = (apiKey: VerifiedKey | undefined) => ({ id: apiKey?.id ?? null });

@Controller('docs')
class DocumentsController {
  @Get()
  list(@ApiKey() apiKey: VerifiedKey) {
    return idOf(apiKey);
  }

  @Get('health')
  @SkipApiKey()
  health() {
    return { ok: true };
  }

  @Get('greeting')
  @OptionalApiKey()
  greeting(@ApiKey() apiKey: VerifiedKey | undefined) {
    return idOf(apiKey);
  }

  @Get('drafts')
  @RequirePermissions('docs.write')
  drafts(@ApiKey() apiKey: VerifiedKey) {
    return idOf(apiKey);
  }
}

@Controller('admin')
@RequirePermissions('docs.read')
class AdminController {
  @Get('read')
  read(@ApiKey() apiKey: VerifiedKey) {
    return idOf(apiKey);
  }

  // The controller's query and the route's both apply.
  @Get('write')
  @RequirePermissions('docs.write')
  write(@ApiKey() apiKey: VerifiedKey) {
    return idOf(apiKey);
  }
}

@Controller('public')
@SkipApiKey()
class PublicController {
  @Get()
  open() {
    return { ok: true };
  }

  @Get('mine')
  @RequirePermissions('docs.read')
  mine(@ApiKey() apiKey: VerifiedKey) {
    return idOf(apiKey);
  }

  @Get('maybe')
  @OptionalApiKey()
  maybe(@ApiKey() apiKey: VerifiedKey | undefined) {
    return idOf(apiKey);
  }
}

function globalGuardModule(...controllers: Type[]): Type {
  @Module({
    imports: [KeyguardModule.forRoot({ verifier })],
    controllers,
    providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }],
  })
  class AppModule {}
  return AppModule;
}

const json = async (response: Response) => ({ status: response.status, body: await response.json() });

describe.each(PLATFORMS)('ApiKeyGuard on %s', (platform) => {
  describe('as APP_GUARD', () => {
    it('requires a key on every route and hands the verified key to @ApiKey()', async () => {
      const app = await apps.start(platform, globalGuardModule(DocumentsController));
      expect(await json(await app.get('/docs'))).toMatchObject({ status: 401, body: { code: 'MISSING_KEY' } });
      expect(await json(await app.get('/docs', { authorization: `Bearer ${READER}` }))).toEqual({
        status: 200,
        body: { id: 'key_reader' },
      });
      expect(await json(await app.get('/docs', { 'x-api-key': READER }))).toEqual({
        status: 200,
        body: { id: 'key_reader' },
      });
    });

    it('leaves @SkipApiKey() routes public and reads no key there, not even a bad one', async () => {
      const app = await apps.start(platform, globalGuardModule(DocumentsController));
      expect(await json(await app.get('/docs/health'))).toEqual({ status: 200, body: { ok: true } });
      expect(await json(await app.get('/docs/health', { authorization: 'Bearer not a key' }))).toEqual({
        status: 200,
        body: { ok: true },
      });
    });

    it('lets anonymous callers through @OptionalApiKey() routes, but not a bad key', async () => {
      const app = await apps.start(platform, globalGuardModule(DocumentsController));
      expect(await json(await app.get('/docs/greeting'))).toEqual({ status: 200, body: { id: null } });
      expect(await json(await app.get('/docs/greeting', { 'x-api-key': WRITER }))).toEqual({
        status: 200,
        body: { id: 'key_writer' },
      });
      expect(await json(await app.get('/docs/greeting', { 'x-api-key': 'sk_nest_unknown_9' }))).toMatchObject({
        status: 401,
        body: { code: 'NOT_FOUND' },
      });
      expect(await json(await app.get('/docs/greeting', { authorization: 'Bearer sk_bad$key' }))).toMatchObject({
        status: 400,
        body: { code: 'MALFORMED_KEY' },
      });
    });

    it('checks @RequirePermissions() queries: 403 insufficient_scope naming the query', async () => {
      const app = await apps.start(platform, globalGuardModule(DocumentsController));
      const refused = await app.get('/docs/drafts', { 'x-api-key': READER });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('www-authenticate')).toBe(
        'Bearer realm="api", error="insufficient_scope", scope="docs.write"',
      );
      expect(await json(await app.get('/docs/drafts', { 'x-api-key': WRITER }))).toEqual({
        status: 200,
        body: { id: 'key_writer' },
      });
    });

    it("requires both the controller's and the route's permission queries", async () => {
      const app = await apps.start(platform, globalGuardModule(AdminController));
      expect((await app.get('/admin/read', { 'x-api-key': READER })).status).toBe(200);
      const refused = await app.get('/admin/write', { 'x-api-key': READER });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('www-authenticate')).toContain('scope="docs.write"');
      expect((await app.get('/admin/write', { 'x-api-key': WRITER })).status).toBe(200);
    });

    it('treats a route with its own requirement in a @SkipApiKey() controller as not public', async () => {
      const app = await apps.start(platform, globalGuardModule(PublicController));
      expect((await app.get('/public')).status).toBe(200);
      expect((await app.get('/public/mine')).status).toBe(401);
      expect(await json(await app.get('/public/mine', { 'x-api-key': READER }))).toEqual({
        status: 200,
        body: { id: 'key_reader' },
      });
      expect(await json(await app.get('/public/maybe'))).toEqual({ status: 200, body: { id: null } });
      expect(await json(await app.get('/public/maybe', { 'x-api-key': READER }))).toEqual({
        status: 200,
        body: { id: 'key_reader' },
      });
    });

    it('verifies a key once when the guard is also applied by the route (a metered key is charged once)', async () => {
      const app = await apps.start(platform, globalGuardModule(DocumentsController, AdminController));
      const callsBefore = fake.callsFor(METERED);
      expect((await app.get('/admin/write', { 'x-api-key': METERED })).status).toBe(403);
      expect(fake.callsFor(METERED) - callsBefore).toBe(1);
      expect(fake.keys.get(METERED)?.credits).toBe(99);
    });
  });

  describe('without a global guard', () => {
    @Controller('guarded')
    @UseGuards(ApiKeyGuard)
    class GuardedController {
      @Get()
      get(@ApiKey() apiKey: VerifiedKey) {
        return idOf(apiKey);
      }
    }

    @Controller('mixed')
    class MixedController {
      @Get('open')
      open() {
        return { ok: true };
      }

      @Get('closed')
      @UseGuards(ApiKeyGuard)
      closed(@ApiKey() apiKey: VerifiedKey) {
        return idOf(apiKey);
      }

      // The route decorators apply the guard themselves.
      @Get('write')
      @RequirePermissions('docs.write')
      write(@ApiKey() apiKey: VerifiedKey) {
        return idOf(apiKey);
      }

      @Get('maybe')
      @OptionalApiKey()
      maybe(@ApiKey() apiKey: VerifiedKey | undefined) {
        return idOf(apiKey);
      }
    }

    @Module({ imports: [KeyguardModule.forRoot({ verifier })], controllers: [GuardedController, MixedController] })
    class AppModule {}

    it('guards a controller with @UseGuards(ApiKeyGuard)', async () => {
      const app = await apps.start(platform, AppModule);
      expect((await app.get('/guarded')).status).toBe(401);
      expect(await json(await app.get('/guarded', { 'x-api-key': READER }))).toEqual({
        status: 200,
        body: { id: 'key_reader' },
      });
    });

    it('guards single routes, and @RequirePermissions / @OptionalApiKey work alone', async () => {
      const app = await apps.start(platform, AppModule);
      expect(await json(await app.get('/mixed/open'))).toEqual({ status: 200, body: { ok: true } });
      expect((await app.get('/mixed/closed')).status).toBe(401);
      expect((await app.get('/mixed/closed', { 'x-api-key': READER })).status).toBe(200);
      expect((await app.get('/mixed/write')).status).toBe(401);
      expect((await app.get('/mixed/write', { 'x-api-key': READER })).status).toBe(403);
      expect((await app.get('/mixed/write', { 'x-api-key': WRITER })).status).toBe(200);
      expect(await json(await app.get('/mixed/maybe'))).toEqual({ status: 200, body: { id: null } });
      expect(await json(await app.get('/mixed/maybe', { 'x-api-key': READER }))).toEqual({
        status: 200,
        body: { id: 'key_reader' },
      });
    });
  });
});
