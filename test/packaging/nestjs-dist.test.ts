import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Controller, Get, Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { describe, expect, it } from 'vitest';
import type * as UnkeySource from '@keyguard/unkey';
import type * as NestjsSource from '@keyguard/nestjs';

// The built @keyguard/nestjs carries no decorator metadata (tsup, like esbuild and tsx, emits none): it must
// still wire up in a real application, every injection being by explicit token.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const distOf = (name: string) => join(root, 'packages', name, 'dist', 'index.js');
const describeBuilt = existsSync(distOf('nestjs')) || process.env.CI ? describe : describe.skip;

describeBuilt('built @keyguard/nestjs', () => {
  it('guards a Nest application', async () => {
    const nestjs = (await import(pathToFileURL(distOf('nestjs')).href)) as typeof NestjsSource;
    const unkeyPackage = (await import(pathToFileURL(distOf('unkey')).href)) as typeof UnkeySource;

    @Controller()
    class ProbeController {
      @Get('health')
      @nestjs.SkipApiKey()
      health() {
        return { ok: true };
      }

      @Get('me')
      @nestjs.RequirePermissions('docs.read')
      me(@nestjs.ApiKey() apiKey: { id: string }) {
        return { id: apiKey.id };
      }
    }

    @Module({
      // Nothing listens there: only answers keyguard gives without asking a key service are requested.
      imports: [
        nestjs.KeyguardModule.forRoot({
          provider: unkeyPackage.unkey({ rootKey: 'unkey_root_packaging', baseUrl: 'http://127.0.0.1:9' }),
        }),
      ],
      controllers: [ProbeController],
      providers: [{ provide: APP_GUARD, useClass: nestjs.ApiKeyGuard }],
    })
    class ProbeModule {}

    const app = await NestFactory.create(ProbeModule, new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const denied = await fetch(`${url}/me`);
      expect(denied.status).toBe(401);
      expect(denied.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(denied.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    } finally {
      await app.close();
    }
  });
});
