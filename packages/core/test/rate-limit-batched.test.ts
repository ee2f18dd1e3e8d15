import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter, memoryRateLimitBackend } from '@keyguard/core';
import type { RateLimitBackend, RateLimitOutcome, RateLimitRequest } from '@keyguard/core';

const request = (ip = '203.0.113.7'): RateLimitRequest => ({ headers: {}, ip });
const run = async (outcome: RateLimitOutcome | Promise<RateLimitOutcome>): Promise<RateLimitOutcome> => outcome;

/** What the backend has counted for one identifier, read without spending. */
async function counted(
  backend: RateLimitBackend,
  namespace: string,
  limit: number,
  duration: number,
  ip = '203.0.113.7',
) {
  const answer = await backend.limit({ namespace, identifier: ip, limit, duration, cost: 0 });
  return limit - answer.remaining;
}

afterEach(() => vi.useRealTimers());

describe('batched admission over the memory backend', () => {
  it('admits exactly the limit of a concurrent burst, and the backend counts exactly the admissions after close', async () => {
    const backend = memoryRateLimitBackend();
    const limiter = createRateLimiter({ backend, namespace: 'burst', limit: 50, duration: '1h' });
    const outcomes = await Promise.all(Array.from({ length: 400 }, () => run(limiter.check(request()))));
    expect(outcomes.filter((outcome) => outcome.allowed)).toHaveLength(50);
    await limiter.close();
    expect(await counted(backend, 'burst', 50, 3_600_000)).toBe(50);
    const stats = limiter.stats();
    expect(stats).toMatchObject({ allowed: 50, limited: 350, pendingAdmissions: 0 });
    // Far fewer calls than requests: memory answered most of them.
    expect(stats.backendCalls).toBeLessThan(400 / 4);
  });

  it('settles admissions below the limit at close, so the count equals them', async () => {
    const backend = memoryRateLimitBackend();
    const limiter = createRateLimiter({ backend, namespace: 'under', limit: 1000, duration: '1h' });
    for (let index = 0; index < 237; index++) expect((await run(limiter.check(request()))).allowed).toBe(true);
    expect(limiter.stats().pendingAdmissions).toBeGreaterThan(0);
    await limiter.close();
    expect(limiter.stats().pendingAdmissions).toBe(0);
    expect(await counted(backend, 'under', 1000, 3_600_000)).toBe(237);
  });

  it('hands the settlement of local admissions to the request’s waitUntil, as serverless platforms need', async () => {
    const backend = memoryRateLimitBackend();
    const limiter = createRateLimiter({ backend, namespace: 'wait-until', limit: 1000, duration: '1h' });
    const kept: Promise<unknown>[] = [];
    const waitUntil = (promise: Promise<unknown>) => void kept.push(promise);
    for (let index = 0; index < 10; index++) await limiter.check({ ...request(), waitUntil });
    expect(kept.length).toBeGreaterThan(0);
    await Promise.all(kept);
    expect(limiter.stats().pendingAdmissions).toBe(0);
    expect(await counted(backend, 'wait-until', 1000, 3_600_000)).toBe(10);
    await limiter.close();
  });

  it('answers from memory synchronously once it holds an answer', async () => {
    const limiter = createRateLimiter({
      backend: memoryRateLimitBackend(),
      namespace: 'sync',
      limit: 100,
      duration: '1m',
    });
    expect(limiter.check(request())).toBeInstanceOf(Promise);
    await limiter.check(request());
    const outcome = limiter.check(request());
    expect(outcome).not.toBeInstanceOf(Promise);
    expect(!(outcome instanceof Promise) && outcome.allowed && outcome.headers.RateLimit).toMatch(/^"1m";r=97;t=\d+$/);
    await limiter.close();
  });

  it('starts afresh when the window resets, exactly again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Math.floor(Date.now() / 60_000) * 60_000 + 1000);
    const backend = memoryRateLimitBackend();
    const limiter = createRateLimiter({ backend, namespace: 'windows', limit: 20, duration: '1m' });
    for (let window = 0; window < 3; window++) {
      const outcomes = await Promise.all(Array.from({ length: 60 }, () => run(limiter.check(request()))));
      expect(outcomes.filter((outcome) => outcome.allowed)).toHaveLength(20);
      const denied = outcomes.find((outcome) => !outcome.allowed);
      expect(denied && !denied.allowed && denied.denial.headers['Retry-After']).toBe('59');
      vi.setSystemTime(Date.now() + 60_000);
    }
    await limiter.close();
  });

  it('does not charge admissions still pending when their window ends to the next window', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Math.floor(Date.now() / 60_000) * 60_000 + 1000);
    const backend = memoryRateLimitBackend();
    const limiter = createRateLimiter({ backend, namespace: 'ended', limit: 1000, duration: '1m' });
    for (let index = 0; index < 37; index++) await limiter.check(request());
    vi.setSystemTime(Date.now() + 60_000);
    const outcome = await run(limiter.check(request()));
    expect(outcome.allowed && outcome.headers.RateLimit).toMatch(/^"1m";r=999;t=\d+$/);
    await limiter.close();
    expect(await counted(backend, 'ended', 1000, 60_000)).toBe(1);
  });

  it('spends each request’s cost and keeps every limit exact', async () => {
    const backend = memoryRateLimitBackend();
    const limiter = createRateLimiter({
      backend,
      namespace: 'multi',
      limits: [
        { name: 'small', limit: 30, duration: '1h' },
        { name: 'large', limit: 1000, duration: '1h' },
      ],
      cost: 3,
    });
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => run(limiter.check(request()))));
    expect(outcomes.filter((outcome) => outcome.allowed)).toHaveLength(10);
    const denied = outcomes.find((outcome) => !outcome.allowed)!;
    expect(denied.limits.map((limit) => [limit.name, limit.exceeded])).toEqual([
      ['small', true],
      ['large', false],
    ]);
    await limiter.close();
    expect(await counted(backend, 'multi.small', 30, 3_600_000)).toBe(30);
    expect(await counted(backend, 'multi.large', 1000, 3_600_000)).toBe(30);
  });
});
