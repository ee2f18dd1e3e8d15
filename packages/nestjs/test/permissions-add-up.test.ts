import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VerifiedKey } from '@keyguard/core';
import { ApiKey, ApiKeyGuard, KeyguardModule, RequirePermissions } from '@keyguard/nestjs';
import { useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { PLATFORMS, appTracker } from './support/nest-app.js';

// A route's @RequirePermissions() adds to its controller's: the key must satisfy both queries. A key holding only
// the route's permission is refused, as is one holding only the controller's.
const WRITE_ONLY = 'sk_nest_write_only_1';
const READ_ONLY = 'sk_nest_read_only_2';
const BOTH = 'sk_nest_read_write_3';
const { verifier } = await useFakeUnkeyService({
  [WRITE_ONLY]: { keyId: 'key_write_only', permissions: ['docs.write'] },
  [READ_ONLY]: { keyId: 'key_read_only', permissions: ['docs.read'] },
  [BOTH]: { keyId: 'key_both', permissions: ['docs.read', 'docs.write'] },
});
const apps = appTracker();
beforeEach(() => verifier.invalidateAll());
afterEach(() => apps.closeAll());

@Controller('global')
@RequirePermissions('docs.read')
class UnderGlobalGuard {
  @Get('write')
  @RequirePermissions('docs.write')
  write(@ApiKey() apiKey: VerifiedKey) {
    return { id: apiKey.id };
  }
}

// The same, with the guard on the controller instead of APP_GUARD.
@Controller('local')
@UseGuards(ApiKeyGuard)
@RequirePermissions('docs.read')
class UnderControllerGuard {
  @Get('write')
  @RequirePermissions('docs.write')
  write(@ApiKey() apiKey: VerifiedKey) {
    return { id: apiKey.id };
  }
}

function moduleOf(controller: Type, globalGuard: boolean): Type {
  @Module({
    imports: [KeyguardModule.forRoot({ verifier })],
    controllers: [controller],
    providers: globalGuard ? [{ provide: APP_GUARD, useClass: ApiKeyGuard }] : [],
  })
  class AppModule {}
  return AppModule;
}

const SETUPS = { global: () => moduleOf(UnderGlobalGuard, true), local: () => moduleOf(UnderControllerGuard, false) };

describe.each(PLATFORMS)("a route's permissions and its controller's on %s", (platform) => {
  it.each(['global', 'local'] as const)('/%s/write: both must hold', async (prefix) => {
    const app = await apps.start(platform, SETUPS[prefix]());
    const onlyRoute = await app.get(`/${prefix}/write`, { 'x-api-key': WRITE_ONLY });
    expect(onlyRoute.status).toBe(403);
    expect(await onlyRoute.json()).toMatchObject({ code: 'INSUFFICIENT_PERMISSIONS' });
    expect(onlyRoute.headers.get('www-authenticate')).toContain('scope="docs.read"');
    expect((await app.get(`/${prefix}/write`, { 'x-api-key': READ_ONLY })).status).toBe(403);
    const both = await app.get(`/${prefix}/write`, { 'x-api-key': BOTH });
    expect(both.status).toBe(200);
    expect(await both.json()).toEqual({ id: 'key_both' });
  });
});
