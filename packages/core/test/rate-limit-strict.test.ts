import { describe, expect, it } from 'vitest';
import { createRateLimiter, memoryRateLimitBackend } from '@keyguard/core';
import type { RateLimitOutcome, RateLimitRequest } from '@keyguard/core';

const request = (ip = '203.0.113.7'): RateLimitRequest => ({ headers: {}, ip });
const run = async (outcome: RateLimitOutcome | Promise<RateLimitOutcome>): Promise<RateLimitOutcome> => outcome;

describe('createRateLimiter, strict mode over the memory backend', () => {
  it('admits exactly the limit of concurrent requests, then answers 429 with Retry-After and draft-8 headers', async () => {
    // The backend's clock starts a minute window now, so the limiter's Retry-After (from the real clock) is 1 to 60.
    let time = Math.floor(Date.now() / 60_000) * 60_000;
    const backend = memoryRateLimitBackend({ now: () => time });
    const limiter = createRateLimiter({ backend, namespace: 'login', limit: 5, duration: '1m', mode: 'strict' });
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => run(limiter.check(request()))));
    expect(outcomes.filter((outcome) => outcome.allowed)).toHaveLength(5);
    const denied = outcomes.find((outcome) => !outcome.allowed);
    if (!denied || denied.allowed) throw new Error('expected a denial');
    expect(denied.denial.status).toBe(429);
    expect(denied.denial.body).toMatchObject({ code: 'RATE_LIMITED', type: 'urn:keyguard:problem:rate-limited' });
    expect(denied.denial.headers).toMatchObject({
      'Content-Type': 'application/problem+json',
      'RateLimit-Policy': '"1m";q=5;w=60',
    });
    expect(denied.denial.headers.RateLimit).toMatch(/^"1m";r=0;t=\d+$/);
    expect(Number(denied.denial.headers['Retry-After'])).toBeGreaterThan(0);
    expect(limiter.stats()).toMatchObject({ allowed: 5, limited: 35, backendCalls: 40 });
    // Another client has its own count; the next window starts afresh.
    expect((await run(limiter.check(request('198.51.100.1')))).allowed).toBe(true);
    time += 60_000;
    expect((await run(limiter.check(request()))).allowed).toBe(true);
    await limiter.close();
  });

  it('reports every limit in draft-8 headers and denies when any one is used up', async () => {
    const limiter = createRateLimiter({
      backend: memoryRateLimitBackend(),
      namespace: 'api',
      limits: [
        { name: 'burst', limit: 2, duration: '10s' },
        { name: 'hourly', limit: 100, duration: '1h' },
      ],
      mode: 'strict',
    });
    const first = await run(limiter.check(request()));
    expect(first.allowed && first.headers['RateLimit-Policy']).toBe('"burst";q=2;w=10, "hourly";q=100;w=3600');
    expect(first.allowed && first.headers.RateLimit).toMatch(/^"burst";r=1;t=\d+, "hourly";r=99;t=\d+$/);
    await run(limiter.check(request()));
    const third = await run(limiter.check(request()));
    expect(third.allowed).toBe(false);
    expect(third.limits.map((limit) => [limit.name, limit.exceeded])).toEqual([
      ['burst', true],
      ['hourly', false],
    ]);
  });

  it('spends the cost of a request, and denies one that does not fit without spending it', async () => {
    const limiter = createRateLimiter({
      backend: memoryRateLimitBackend(),
      namespace: 'export',
      limit: 10,
      duration: '1m',
      cost: (req) => (req.url === '/big' ? 7 : 1),
      mode: 'strict',
    });
    expect((await run(limiter.check({ ...request(), url: '/big' }))).limits[0]?.remaining).toBe(3);
    expect((await run(limiter.check({ ...request(), url: '/big' }))).allowed).toBe(false);
    expect((await run(limiter.check(request()))).limits[0]?.remaining).toBe(2);
  });

  it('leaves a request without an identifier unlimited and without headers', async () => {
    const limiter = createRateLimiter({
      backend: memoryRateLimitBackend(),
      namespace: 'keys',
      limit: 1,
      duration: '1m',
      identifier: 'apiKey',
    });
    for (let index = 0; index < 3; index++)
      expect(await run(limiter.check(request()))).toEqual({ allowed: true, headers: {}, limits: [] });
    expect(limiter.stats()).toMatchObject({ allowed: 3, backendCalls: 0 });
  });

  it('lets onDenied rewrite a denial', async () => {
    const limiter = createRateLimiter({
      backend: memoryRateLimitBackend(),
      namespace: 'custom',
      limit: 1,
      duration: '1m',
      mode: 'strict',
      onDenied: (denial) => ({ ...denial, body: { ...denial.body, detail: 'Slow down.' } }),
    });
    await run(limiter.check(request()));
    const denied = await run(limiter.check(request()));
    expect(!denied.allowed && denied.denial.body.detail).toBe('Slow down.');
  });
});
