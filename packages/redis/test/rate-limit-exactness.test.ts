import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  createRateLimiter,
  type RateLimitBackend,
  type RateLimitCall,
  type RateLimiter,
  type RateLimitOutcome,
} from '@keyguard/core';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { redisRateLimitBackend } from '../src/index.js';

// keyguard's rate limiter on the Redis backend (real redis-server): one limiter admits exactly its limit, strict or
// batched, and leaves in Redis exactly what it admitted; four batched limiters sharing one Redis stay within the
// bounds the README gives ("Rate limiting"). Counted in admissions, never in time: an hour-long window makes a window boundary inside a test next
// to impossible.
const redis = await redisOrSkip('packages/redis/test/rate-limit-exactness.test.ts');
const clients: Redis[] = [];
const HOUR = 3_600_000;
let serial = 0;

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await redis?.stop();
});

/** The Redis backend, remembering the calls it was asked (to read the same counter afterwards) and those unanswered. */
function recordedBackend(): { backend: RateLimitBackend; calls: RateLimitCall[]; unanswered: () => number } {
  const client = new Redis(redis!.url);
  clients.push(client);
  const inner = redisRateLimitBackend({ redis: client, prefix: 'exact' });
  const calls: RateLimitCall[] = [];
  let open = 0;
  const backend: RateLimitBackend = {
    kind: inner.kind,
    batching: inner.batching,
    limit(call, signal) {
      calls.push(call);
      open += 1;
      return inner.limit(call, signal).finally(() => (open -= 1));
    },
  };
  return { backend, calls, unanswered: () => open };
}

/** What the backend counted for the call's counter: a read (cost 0) under a limit far above any count. */
async function counted(backend: RateLimitBackend, call: RateLimitCall): Promise<number> {
  const huge = 1_000_000_000;
  const { remaining } = await backend.limit({ ...call, limit: huge, cost: 0 });
  return huge - remaining;
}

/** `requests` checks of one client address on the limiters in turn, all started at once; how many were allowed. */
async function flood(limiters: RateLimiter[], requests: number, ip: string): Promise<number> {
  const outcomes: Promise<RateLimitOutcome>[] = [];
  for (let i = 0; i < requests; i++)
    outcomes.push(Promise.resolve(limiters[i % limiters.length]!.check({ headers: {}, ip })));
  return (await Promise.all(outcomes)).filter((outcome) => outcome.allowed).length;
}

describe.skipIf(!redis)('rate limiting on Redis: exactness', () => {
  for (const mode of ['strict', 'batched'] as const) {
    it(`${mode}: 300 requests at limit 100 on one limiter admit exactly 100, and Redis counts exactly those`, async () => {
      const { backend, calls } = recordedBackend();
      const namespace = `one-${mode}`;
      const limiter = createRateLimiter({ backend, namespace, limit: 100, duration: HOUR, mode });
      const ip = `198.51.100.${++serial}`;
      const admitted = await flood([limiter], 300, ip);
      await limiter.close();
      expect(admitted).toBe(100);
      expect(await counted(backend, calls[0]!)).toBe(admitted);
      if (mode === 'batched') expect(calls.length).toBeLessThan(300);
    });

    it(`${mode}: arriving in waves (some answered from memory between), still exactly the limit`, async () => {
      const { backend, calls } = recordedBackend();
      const limiter = createRateLimiter({ backend, namespace: `waves-${mode}`, limit: 50, duration: HOUR, mode });
      const ip = `198.51.100.${++serial}`;
      let admitted = 0;
      for (let wave = 0; wave < 10; wave++) admitted += await flood([limiter], 13, ip);
      await limiter.close();
      expect(admitted).toBe(50);
      expect(await counted(backend, calls[0]!)).toBe(50);
    });
  }

  /** Four batched limiters of one namespace on one Redis, as four instances of an app. */
  function fourInstances(namespace: string, limit: number) {
    const recorded = [1, 2, 3, 4].map(() => recordedBackend());
    const limiters = recorded.map(({ backend }) =>
      createRateLimiter({ backend, namespace, limit, duration: HOUR, mode: 'batched' }),
    );
    const unanswered = () => recorded.reduce((sum, each) => sum + each.unanswered(), 0);
    const inRedis = () => counted(recorded[0]!.backend, recorded[0]!.calls[0]!);
    const close = () => Promise.all(limiters.map((limiter) => limiter.close()));
    return { limiters, unanswered, inRedis, close };
  }

  // margin = min(100, ceil(L / 10)): where a limiter stops admitting from memory (core's batched admission).
  for (const limit of [100, 1000]) {
    it(`batched, four limiters at L = ${limit}, two requests each between Redis's answers: L + 3 × (margin + 1) at most (asserted with 3 to spare)`, async () => {
      const ip = `198.51.100.${++serial}`;
      const four = fourInstances(`four-${limit}`, limit);
      const margin = Math.min(100, Math.ceil(limit / 10));
      let admitted = 0;
      // Two requests per limiter per round; the next round once every call to Redis was answered.
      for (let round = 0; round < (3 * limit) / 8; round++) {
        admitted += await flood(four.limiters, 8, ip);
        await vi.waitFor(() => expect(four.unanswered()).toBe(0), { interval: 1 });
      }
      await four.close();
      const inRedis = await four.inRedis();
      console.log(
        `four batched limiters at L = ${limit}, answers between bursts: ${admitted} admitted, ${inRedis} in Redis`,
      );
      expect(admitted).toBeGreaterThanOrEqual(limit);
      // The README's bound L + (N − 1) × (margin + b − 1) with N = 4, b = 2, plus one per other limiter to spare.
      expect(admitted).toBeLessThanOrEqual(limit + 3 * (margin + 2));
      expect(inRedis).toBeLessThanOrEqual(limit);
    });
  }

  it('batched, four limiters flooded faster than Redis answers: never more than 4 × L, Redis never past L', async () => {
    const ip = `198.51.100.${++serial}`;
    const limit = 100;
    const four = fourInstances('four-flood', limit);
    let admitted = 0;
    for (let round = 0; round < 40; round++) {
      admitted += await flood(four.limiters, 40, ip);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await four.close();
    const inRedis = await four.inRedis();
    console.log(`four batched limiters at L = ${limit}, flooded: ${admitted} admitted, ${inRedis} in Redis`);
    expect(admitted).toBeGreaterThanOrEqual(limit);
    expect(admitted).toBeLessThanOrEqual(4 * limit);
    expect(inRedis).toBeLessThanOrEqual(limit);
  });
});
