import Fastify from 'fastify';
import type { FastifyContextConfig } from 'fastify';
import { expectTypeOf, test } from 'vitest';
import type { RateLimitBackend, RateLimiter, RateLimitRouteOptions } from '@keyguard/core';
import { rateLimit, rateLimitPlugin } from '@keyguard/fastify';

declare const backend: RateLimitBackend;

test('route config.rateLimit takes route options or false', () => {
  expectTypeOf<FastifyContextConfig['rateLimit']>().toEqualTypeOf<RateLimitRouteOptions | false | undefined>();
  const app = Fastify();
  app.get('/a', { config: { rateLimit: { limit: 5, duration: '1m' } } }, async () => ({}));
  app.get('/b', { config: { rateLimit: false } }, async () => ({}));
  // @ts-expect-error not a duration
  app.get('/c', { config: { rateLimit: { limit: 5, duration: 'soon' } } }, async () => ({}));
});

test('the hook fits onRequest and preHandler; the plugin takes global and hook', async () => {
  const app = Fastify();
  const hook = rateLimit({ backend, namespace: 'n', limit: 1, duration: '1s' });
  expectTypeOf(hook.rateLimiter).toEqualTypeOf<RateLimiter>();
  app.get('/x', { onRequest: hook, preHandler: [hook] }, async () => ({}));
  await app.register(rateLimitPlugin, {
    backend,
    namespace: 'p',
    limit: 10,
    duration: '1m',
    global: false,
    hook: 'preHandler',
  });
  // @ts-expect-error hook is onRequest or preHandler
  await app.register(rateLimitPlugin, { backend, namespace: 'p', hook: 'onSend' });
});
