import { Controller, Get, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, createVerifier } from '@keyguard/core';
import type { Provider, ProviderAnswer, VerifiedKey } from '@keyguard/core';
import {
  AcceptTokenKinds,
  ApiKey,
  ApiKeyGuard,
  KeyguardModule,
  OptionalApiKey,
  RequirePermissions,
  SkipApiKey,
} from '@keyguard/nestjs';
import { PLATFORMS, appTracker } from './support/nest-app.js';

/** A key store of the application's own, holding one credential of each kind, counting its lookups. */
function kindsProvider(): Provider & { calls: number } {
  const kinds: Record<string, { kind: string; permissions: string[] }> = {
    tok_api_key: { kind: 'api_key', permissions: ['docs.write'] },
    tok_machine: { kind: 'm2m_token', permissions: [] },
  };
  const provider = {
    name: 'kinds',
    calls: 0,
    async verify(key: string): Promise<ProviderAnswer> {
      provider.calls += 1;
      const found = Object.hasOwn(kinds, key) ? kinds[key] : undefined;
      if (!found) return { valid: false, code: 'NOT_FOUND', metered: false };
      const { kind, permissions } = found;
      const base = { id: `id_${key}`, provider: 'kinds', permissions, roles: [], meta: {}, enabled: true };
      return { valid: true, code: 'VALID', metered: false, key: { ...base, kind } };
    },
  };
  return provider;
}

const apps = appTracker();
afterEach(() => apps.closeAll());

const kindOf = (apiKey: VerifiedKey | undefined) => ({ kind: apiKey?.kind ?? null });

@Controller('machines')
@AcceptTokenKinds('m2m_token')
class MachinesController {
  @Get('jobs')
  jobs(@ApiKey() apiKey: VerifiedKey) {
    return kindOf(apiKey);
  }

  @Get('either')
  @AcceptTokenKinds('m2m_token', 'api_key')
  either(@ApiKey() apiKey: VerifiedKey) {
    return kindOf(apiKey);
  }

  @Get('optional')
  @OptionalApiKey()
  optional(@ApiKey() apiKey: VerifiedKey | undefined) {
    return kindOf(apiKey);
  }
}

@Controller('docs')
@SkipApiKey()
class DocsController {
  @Get('public')
  open() {
    return { kind: null };
  }

  @Get('write')
  @AcceptTokenKinds('api_key')
  @RequirePermissions('docs.write')
  write(@ApiKey() apiKey: VerifiedKey) {
    return kindOf(apiKey);
  }
}

describe('@AcceptTokenKinds at declaration', () => {
  it('refuses two lists on one target, kinds on a public one, and an empty kind', () => {
    expect(() => {
      class Twice {
        @AcceptTokenKinds('api_key')
        @AcceptTokenKinds('m2m_token')
        route() {}
      }
      return Twice;
    }).toThrow(ConfigurationError);
    expect(() => {
      @SkipApiKey()
      @AcceptTokenKinds('m2m_token')
      class Public {}
      return Public;
    }).toThrow(/@AcceptTokenKinds\(\) and @SkipApiKey\(\)/);
    expect(() => AcceptTokenKinds('')).toThrow(ConfigurationError);
  });
});

describe.each(PLATFORMS)('@AcceptTokenKinds on %s', (platform) => {
  async function start() {
    const provider = kindsProvider();
    @Module({
      imports: [KeyguardModule.forRoot({ verifier: createVerifier({ provider }) })],
      controllers: [MachinesController, DocsController],
      providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }],
    })
    class AppModule {}
    return { app: await apps.start(platform, AppModule), provider };
  }
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  it("takes the controller's kinds, a route's own instead, and names them when refusing", async () => {
    const { app, provider } = await start();
    expect(await (await app.get('/machines/jobs', bearer('tok_machine'))).json()).toEqual({ kind: 'm2m_token' });
    const refused = await app.get('/machines/jobs', bearer('tok_api_key'));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"');
    expect(await refused.json()).toMatchObject({
      detail: 'This route accepts m2m_token credentials; this one is api_key.',
      accepts: ['m2m_token'],
    });
    expect((await app.get('/machines/either', bearer('tok_api_key'))).status).toBe(200);
    expect(await (await app.get('/machines/optional')).json()).toEqual({ kind: null });
    expect((await app.get('/machines/optional', bearer('tok_api_key'))).status).toBe(401);
    expect(provider.calls).toBe(2);
  });

  it('makes a route of a public controller read a key, its permissions still checked', async () => {
    const { app } = await start();
    expect((await app.get('/docs/public')).status).toBe(200);
    expect((await app.get('/docs/write')).status).toBe(401);
    expect(await (await app.get('/docs/write', bearer('tok_api_key'))).json()).toEqual({ kind: 'api_key' });
    expect(await (await app.get('/docs/write', bearer('tok_machine'))).json()).toMatchObject({
      accepts: ['api_key'],
    });
  });
});
