import { Hono } from 'hono';
import { expectTypeOf, test } from 'vitest';
import type { RateLimitBackend, RateLimiter, VerifiedKey, Verifier } from '@keyguard/core';
import { keyguard, rateLimit } from '@keyguard/hono';

declare const verifier: Verifier;
declare const backend: RateLimitBackend;

test("rateLimit() after keyguard() keeps c.get('apiKey') as keyguard() typed it", () => {
  new Hono()
    .get('/required', keyguard({ verifier }), rateLimit({ backend, namespace: 'a', limit: 1, duration: '1s' }), (c) => {
      expectTypeOf(c.get('apiKey')).toEqualTypeOf<VerifiedKey>();
      return c.json({});
    })
    .get(
      '/optional',
      keyguard({ verifier, optional: true }),
      rateLimit({ backend, namespace: 'b', limit: 1, duration: '1s', identifier: ['apiKey', 'ip'] }),
      (c) => {
        expectTypeOf(c.get('apiKey')).toEqualTypeOf<VerifiedKey | undefined>();
        return c.json({});
      },
    );
});

test("the middleware exposes its limiter; getConnInfo is the runtime's, answering a ConnInfo", () => {
  const limit = rateLimit({ backend, namespace: 'c', limit: 1, duration: '1s', getConnInfo: () => ({ remote: {} }) });
  expectTypeOf(limit.rateLimiter).toEqualTypeOf<RateLimiter>();
  // @ts-expect-error getConnInfo answers Hono's ConnInfo, not an address string
  rateLimit({ backend, namespace: 'd', limit: 1, duration: '1s', getConnInfo: () => '203.0.113.1' });
});
