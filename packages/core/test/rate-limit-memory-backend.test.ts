import { describe, expect, it } from 'vitest';
import { ConfigurationError, createRateLimiter, memoryRateLimitBackend } from '@keyguard/core';

const call = (identifier: string, cost = 1, limit = 3) => ({
  namespace: 'ns',
  identifier,
  limit,
  duration: 10_000,
  cost,
});

describe('memoryRateLimitBackend', () => {
  it('counts in fixed windows aligned to the epoch, as Unkey does', async () => {
    let time = 1_700_000_003_000; // 3 s into a 10 s window
    const backend = memoryRateLimitBackend({ now: () => time });
    const answers = [];
    for (let index = 0; index < 4; index++) answers.push(await backend.limit(call('a')));
    expect(answers.map((answer) => [answer.success, answer.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(answers[0]!.reset).toBe(1_700_000_010_000);
    time = 1_700_000_009_999;
    expect((await backend.limit(call('a'))).success).toBe(false);
    time = 1_700_000_010_000;
    expect(await backend.limit(call('a'))).toEqual({ success: true, limit: 3, remaining: 2, reset: 1_700_000_020_000 });
  });

  it('spends nothing on a cost that does not fit, reads with cost 0, and keeps counters apart', async () => {
    const backend = memoryRateLimitBackend({ now: () => 1_000_000 });
    expect(await backend.limit(call('b', 2))).toMatchObject({ success: true, remaining: 1 });
    expect(await backend.limit(call('b', 2))).toMatchObject({ success: false, remaining: 1 });
    expect(await backend.limit(call('b', 0))).toMatchObject({ success: true, remaining: 1 });
    expect(await backend.limit(call('b', 1))).toMatchObject({ success: true, remaining: 0 });
    expect(await backend.limit(call('b', 0))).toMatchObject({ success: false, remaining: 0 });
    expect(await backend.limit(call('c'))).toMatchObject({ success: true, remaining: 2 });
    expect(await backend.limit({ ...call('c'), namespace: 'other' })).toMatchObject({ remaining: 2 });
  });

  it('rejects a call whose signal is aborted already', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(memoryRateLimitBackend().limit(call('d'), controller.signal)).rejects.toThrow('gone');
  });

  it('refuses a maxIdentifiers that is not a positive integer', () => {
    expect(() => memoryRateLimitBackend({ maxIdentifiers: 0 })).toThrow(ConfigurationError);
  });

  it('keeps memory bounded under a flood of distinct identifiers while a limited client stays limited', async () => {
    const backend = memoryRateLimitBackend({ maxIdentifiers: 500 });
    const limiter = createRateLimiter({ backend, namespace: 'flood', limit: 3, duration: '1h' });
    const attacker = { headers: {}, ip: '198.51.100.66' };
    for (let index = 0; index < 3; index++) expect((await limiter.check(attacker)).allowed).toBe(true);
    for (let batch = 0; batch < 30; batch++) {
      await Promise.all(
        Array.from({ length: 500 }, (_, index) =>
          Promise.resolve(limiter.check({ headers: {}, ip: `10.${batch}.${index >> 8}.${index & 255}` })),
        ),
      );
      expect((await limiter.check(attacker)).allowed).toBe(false);
      expect(backend.size).toBeLessThanOrEqual(500);
    }
    expect(limiter.stats().identifiers).toBeLessThanOrEqual(10_000);
    await limiter.close();
  });
});
