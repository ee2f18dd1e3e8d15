import express from 'express';
import type { RequestHandler } from 'express';
import { expectTypeOf, test } from 'vitest';
import type { RateLimitBackend, RateLimiter, RateLimitRequest } from '@keyguard/core';
import { rateLimit } from '@keyguard/express';

declare const backend: RateLimitBackend;

test('rateLimit() is a RequestHandler with its limiter; identifier functions see the request keyguard describes', () => {
  const limit = rateLimit({
    backend,
    namespace: 'api',
    limit: 10,
    duration: '1m',
    identifier: (request) => {
      expectTypeOf(request).toEqualTypeOf<RateLimitRequest>();
      return request.apiKey?.identity?.externalId;
    },
  });
  expectTypeOf(limit).toMatchTypeOf<RequestHandler>();
  expectTypeOf(limit.rateLimiter).toEqualTypeOf<RateLimiter>();
  express().get('/', limit, (_req, res) => void res.end());
  // @ts-expect-error limits is a list of { limit, duration }
  rateLimit({ backend, namespace: 'api', limits: { limit: 1, duration: '1s' } });
});
