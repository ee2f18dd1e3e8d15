import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { Availability } from '../src/connection/availability.js';
import { RedisLink } from '../src/connection/link.js';

// When the fleet uses Redis and when it leaves it alone (src/connection/), on a real redis-server connection: one
// warning per outage, at most one a minute, no command while left alone, and every failure absorbed.
const redis = await redisOrSkip('packages/redis/test/connection-availability.test.ts');
let client: Redis;

beforeAll(async () => {
  if (!redis) return;
  client = new Redis(redis.url);
  await client.ping();
});
afterAll(async () => {
  if (!redis) return;
  client.disconnect();
  await redis.stop();
});

function recording() {
  const warnings: [string, unknown][] = [];
  return {
    warnings,
    logger: { warn: (message: string, fields?: unknown) => void warnings.push([message, fields]), error() {} },
  };
}

describe.skipIf(!redis)('Availability', () => {
  it('uses a ready connection; after a failure leaves it alone for retryMs, then uses it again', () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    try {
      const { warnings, logger } = recording();
      const availability = new Availability(client, 500, logger, 'pfx');
      expect(availability.usable()).toBe(true);
      availability.failed(new Error('boom'));
      expect(availability.usable()).toBe(false);
      vi.setSystemTime(1_000_499);
      expect(availability.usable()).toBe(false);
      vi.setSystemTime(1_000_500);
      expect(availability.usable()).toBe(true);
      expect(warnings).toEqual([
        [
          'keyguard: Redis is unavailable (boom); verifying with memory and the key service until it is back',
          { prefix: 'pfx' },
        ],
      ]);
      // A reconnect makes it worth trying at once.
      availability.failed('text');
      expect(availability.usable()).toBe(false);
      availability.reconnected();
      expect(availability.usable()).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('warns once per outage and at most once a minute', () => {
    vi.useFakeTimers({ now: 5_000_000, toFake: ['Date'] });
    try {
      const { warnings, logger } = recording();
      const availability = new Availability(client, 10, logger, 'pfx');
      availability.failed(new Error('one'));
      availability.failed(new Error('same outage'));
      vi.setSystemTime(5_000_000 + 60_000);
      availability.failed(new Error('same outage, a minute on'));
      expect(warnings).toHaveLength(1);
      vi.setSystemTime(5_000_000);
      availability.recovered();
      vi.setSystemTime(5_000_000 + 59_999);
      availability.failed(new Error('too soon'));
      expect(warnings).toHaveLength(1);
      availability.recovered();
      vi.setSystemTime(5_000_000 + 60_000);
      availability.failed('later');
      expect(warnings).toHaveLength(2);
      expect(warnings[1]![0]).toContain('(later)');
    } finally {
      vi.useRealTimers();
    }
  });

  it('a connection that is not ready is not used', () => {
    const idle = new Redis(redis!.url, { lazyConnect: true });
    expect(new Availability(idle, 10, recording().logger, 'p').usable()).toBe(false);
    idle.disconnect();
  });
});

describe.skipIf(!redis)('RedisLink', () => {
  it('answers the value, or undefined for a failure or a timeout, marking Redis down', async () => {
    const { warnings, logger } = recording();
    const availability = new Availability(client, 60_000, logger, 'p');
    const link = new RedisLink(client, availability, 50);
    expect(await link.attempt((c) => c.ping())).toEqual({ value: 'PONG' });
    expect(await link.attempt(() => new Promise(() => {}))).toBeUndefined();
    expect(warnings[0]![0]).toContain('Redis did not answer within 50 ms');
    // Left alone now: the command is not even run.
    let ran = false;
    expect(await link.attempt(async () => (ran = true))).toBeUndefined();
    expect(ran).toBe(false);
    availability.reconnected();
    expect(await link.attempt(() => Promise.reject(new Error('nope')))).toBeUndefined();
    availability.reconnected();
    expect(await link.attempt((c) => c.ping())).toEqual({ value: 'PONG' });
  });
});
