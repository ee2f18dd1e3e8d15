import Router from '@koa/router';
import Koa from 'koa';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryRateLimitBackend } from '@keyguard/core';
import { keyguard, rateLimit } from '@keyguard/koa';
import type { KeyguardState } from '@keyguard/koa';
import { STANDARD_KEYS, useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { awayFromWindowEdge } from '../../../test/support/window-edge.js';

const READER = 'sk_koa_rl_reader_1';
registerSecret(READER);

const { verifier } = await useFakeUnkeyService({ [READER]: STANDARD_KEYS.reader });

function app(...middlewares: Koa.Middleware<KeyguardState>[]) {
  const router = new Router<KeyguardState>();
  router.get('/', ...middlewares, (ctx) => {
    ctx.body = { id: ctx.state.apiKey?.id ?? null };
  });
  return new Koa().use(router.routes()).callback();
}

// The limits here count in fixed windows of the clock: each test's requests start away from a window's end.
beforeEach(() => awayFromWindowEdge(60_000));

describe('rateLimit() for Koa', () => {
  it("counts by the socket's address, sends the headers on every answer and a problem past the limit", async () => {
    const limit = rateLimit({ backend: memoryRateLimitBackend(), namespace: 'ip', limit: 1, duration: '1m' });
    const server = app(limit);
    const first = await request(server).get('/').set('x-forwarded-for', '198.51.100.1').expect(200);
    expect(first.headers['ratelimit-policy']).toBe('"1m";q=1;w=60');
    const second = await request(server).get('/').set('x-forwarded-for', '198.51.100.2').expect(429);
    expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(second.headers.ratelimit).toMatch(/^"1m";r=0;t=\d+$/);
    expect(limit.rateLimiter.stats()).toMatchObject({ allowed: 1, limited: 1 });
  });

  it("after keyguard(), counts by ctx.state.apiKey (its identity, else the key's id for a key without one)", async () => {
    const limit = rateLimit({
      backend: memoryRateLimitBackend(),
      namespace: 'identity',
      limit: 1,
      duration: '1m',
      identifier: ['identity', 'apiKey'],
    });
    const server = app(keyguard({ verifier }), limit);
    await request(server).get('/').set('x-api-key', READER).expect(200, { id: 'key_reader' });
    await request(server).get('/').set('x-api-key', READER).expect(429);
  });
});
