import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { KeyguardError, type RateLimitCall } from '@keyguard/core';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { RateLimitRedisError, redisRateLimitBackend } from '../src/index.js';

// The Redis rate-limit backend on a real redis-server: its fixed window, costs, reads, key expiry, and a Redis that
// is down or frozen.
const redis = await redisOrSkip('packages/redis/test/rate-limit-redis.test.ts');
const clients: Redis[] = [];
let serial = 0;
// Windows are aligned to the epoch: an hour-long one makes a boundary inside a test next to impossible.
const HOUR = 3_600_000;

function client(): Redis {
  const made = new Redis(redis!.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  clients.push(made);
  return made;
}

/** A call of its own identifier, so tests never share a count. */
function call(overrides: Partial<RateLimitCall> = {}): RateLimitCall {
  serial += 1;
  return { namespace: 'api', identifier: `user_${serial}`, limit: 3, duration: HOUR, cost: 1, ...overrides };
}

afterEach(() => {
  for (const each of clients.splice(0)) each.disconnect();
});
afterAll(async () => {
  await redis?.stop();
});

describe.skipIf(!redis)('redisRateLimitBackend()', () => {
  it('counts a fixed window: limit admissions, then denials, one reset for all', async () => {
    const backend = redisRateLimitBackend({ redis: client(), prefix: 'rl1' });
    expect(backend).toMatchObject({ kind: 'redis', batching: true });
    const one = call();
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await backend.limit(one));
    expect(answers.map((each) => each.success)).toEqual([true, true, true, false, false]);
    expect(answers.map((each) => each.remaining)).toEqual([2, 1, 0, 0, 0]);
    expect(new Set(answers.map((each) => each.reset)).size).toBe(1);
    expect(answers[0]!.limit).toBe(3);
    const reset = answers[0]!.reset;
    expect(reset % HOUR).toBe(0);
    expect(reset).toBeGreaterThan(Date.now());
    expect(reset).toBeLessThanOrEqual(Date.now() + HOUR + 5_000);
  });

  it('a cost spends all of itself or nothing; cost 0 reads without spending', async () => {
    const backend = redisRateLimitBackend({ redis: client(), prefix: 'rl2' });
    const base = call({ limit: 5 });
    expect(await backend.limit({ ...base, cost: 3 })).toMatchObject({ success: true, remaining: 2 });
    expect(await backend.limit({ ...base, cost: 3 })).toMatchObject({ success: false, remaining: 0 });
    expect(await backend.limit({ ...base, cost: 0 })).toMatchObject({ success: true, remaining: 2 });
    expect(await backend.limit({ ...base, cost: 0 })).toMatchObject({ success: true, remaining: 2 });
    expect(await backend.limit({ ...base, cost: 2 })).toMatchObject({ success: true, remaining: 0 });
    // Used up: a read says nothing is left.
    expect(await backend.limit({ ...base, cost: 0 })).toMatchObject({ success: false, remaining: 0 });
  });

  it('keeps its counter under the prefix, expiring with the window; a read writes nothing', async () => {
    const redisClient = client();
    const backend = redisRateLimitBackend({ redis: redisClient, prefix: 'rl3' });
    const read = call({ namespace: 'ns:a', identifier: 'b', duration: HOUR, cost: 0 });
    const answer = await backend.limit(read);
    expect(answer).toMatchObject({ success: true, remaining: 3 });
    // Windows are aligned to the epoch, as Unkey's and the memory backend's.
    expect(answer.reset % HOUR).toBe(0);
    expect(await redisClient.keys('{rl3}:*')).toEqual([]);
    await backend.limit({ ...read, cost: 1 });
    const key = `{rl3}:r:3600000:4:ns:a:b:${answer.reset - HOUR}`;
    expect(await redisClient.get(key)).toBe('1');
    const ttl = await redisClient.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(answer.reset - Date.now() + 1_000);
    // `ns` + `a:b` is another counter than `ns:a` + `b`.
    await backend.limit({ ...read, namespace: 'ns', identifier: 'a:b', cost: 2 });
    expect(await redisClient.get(key)).toBe('1');
    expect(await redisClient.get(`{rl3}:r:3600000:2:ns:a:b:${answer.reset - HOUR}`)).toBe('2');
  });

  it('a new window starts once the last one ended', async () => {
    const backend = redisRateLimitBackend({ redis: client(), prefix: 'rl4' });
    const short = call({ limit: 1, duration: 1_000 });
    const first = await backend.limit(short);
    expect((await backend.limit(short)).success).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, first.reset - Date.now()) + 100));
    const next = await backend.limit(short);
    expect(next.success).toBe(true);
    expect(next.reset).toBeGreaterThan(first.reset);
  });

  it('Redis having forgotten the script (a restart, SCRIPT FLUSH): sent again in full', async () => {
    const redisClient = client();
    const backend = redisRateLimitBackend({ redis: redisClient, prefix: 'rl5' });
    const one = call();
    await backend.limit(one);
    await redisClient.script('FLUSH');
    expect(await backend.limit(one)).toMatchObject({ success: true, remaining: 1 });
  });

  it('Redis down: a call rejects at once with REDIS_UNAVAILABLE, queues nothing, and counts again once Redis is back', async () => {
    const redisClient = client();
    const backend = redisRateLimitBackend({ redis: redisClient, prefix: 'rl6' });
    const one = call();
    await backend.limit(one);
    await redis!.kill();
    await vi.waitFor(() => expect(redisClient.status).not.toBe('ready'), { timeout: 5_000, interval: 5 });
    const failure = await backend.limit(one).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RateLimitRedisError);
    expect(failure).toBeInstanceOf(KeyguardError);
    expect((failure as RateLimitRedisError).code).toBe('REDIS_UNAVAILABLE');
    expect((failure as Error).message).not.toContain(one.identifier);
    await redis!.restart();
    await vi.waitFor(() => expect(redisClient.status).toBe('ready'), { timeout: 10_000, interval: 10 });
    // The restarted Redis is empty: a new window, where the failed call, had it been queued, would have spent one.
    expect(await backend.limit(one)).toMatchObject({ success: true, remaining: 2 });
  });

  it('a frozen Redis: the call ends with the signal, and the script runs once Redis answers again', async () => {
    const redisClient = client();
    const backend = redisRateLimitBackend({ redis: redisClient, prefix: 'rl7' });
    const one = call();
    await backend.limit(one);
    redis!.freeze();
    try {
      const controller = new AbortController();
      const pending = backend.limit(one, controller.signal).catch((error: unknown) => error);
      controller.abort(new Error('the limiter stopped waiting'));
      expect(await pending).toMatchObject({ message: 'the limiter stopped waiting' });
    } finally {
      redis!.thaw();
    }
    // The aborted call had been sent: it may have spent, and did.
    await vi.waitFor(async () => expect(await backend.limit({ ...one, cost: 0 })).toMatchObject({ remaining: 1 }));
    const aborted = new AbortController();
    aborted.abort(new Error('already aborted'));
    await expect(backend.limit(one, aborted.signal)).rejects.toThrow('already aborted');
  });
});
