import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, createVerifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { redisFleet, type RedisFleet } from '../src/index.js';
import {
  closeAll,
  recordingLogger,
  SECRET,
  startInstances,
  startKeyService,
  type Instance,
  type KeyService,
} from './fleet-helpers.js';

const redis = await redisOrSkip('packages/redis/test/outage.test.ts');
let service: KeyService;

beforeAll(async () => {
  if (redis) service = await startKeyService();
});
afterAll(async () => {
  if (!redis) return;
  await service.close();
  await redis.stop();
});

/** Waits for a fleet to notice Redis went away, then for its bus to listen again. */
async function resubscribed(fleet: RedisFleet): Promise<void> {
  await vi.waitFor(() => expect(fleet.stats().subscribed).toBe(false), { timeout: 10_000, interval: 10 });
  await fleet.ready();
}

describe.skipIf(!redis)('Redis down, slow or restarted', () => {
  it('Redis killed mid-traffic: no request fails; back again, the bus resubscribes and invalidations flow', async () => {
    const logger = recordingLogger();
    const instances = await startInstances(2, service, redis!.url, { fleet: { logger } });
    const [first, second] = instances as [Instance, Instance];
    const warm = await service.createKey();
    const revokedDuringOutage = await service.createKey();
    for (const instance of instances) {
      await instance.verifier.verify(warm.key);
      await instance.verifier.verify(revokedDuringOutage.key);
    }
    // One invalidation before the outage, so the bus has a number to compare when it comes back.
    const before = second.nextInvalidation();
    first.verifier.invalidateKeyId('key_unrelated');
    await before;

    let stop = false;
    const failures: string[] = [];
    let requests = 0;
    const traffic = Promise.all(
      instances.map(async (instance) => {
        while (!stop) {
          const fresh = await service.createKey();
          for (const key of [warm.key, fresh.key]) {
            const result = await instance.verifier.verify(key);
            requests += 1;
            if (!result.valid) failures.push(result.code);
          }
        }
      }),
    );
    // vi.waitFor gives up after 1 s unless told: on a loaded 2-core machine 20 requests took longer (each makes a key).
    await vi.waitFor(() => expect(requests).toBeGreaterThan(20), { timeout: 10_000, interval: 5 });
    await redis!.kill();
    const killedAt = requests;
    await vi.waitFor(() => expect(requests).toBeGreaterThan(killedAt + 40), { timeout: 10_000, interval: 5 });
    // The warning comes with the first error on each command connection: its socket reset, a command cut off, or else
    // ioredis's first failed reconnect (retryStrategy: 100 ms after the loss; seen at 1 s under load). A request while
    // the connection is down does not try Redis, so it raises none: a Redis back before that error is an outage no
    // one saw fail. Hence the wait, whatever the number of requests made meanwhile.
    const outageWarnings = () => logger.warnings.filter((line) => line.includes('Redis is unavailable'));
    await vi.waitFor(() => expect(outageWarnings()).toHaveLength(2), { timeout: 10_000, interval: 10 });
    // Revoked while Redis is away: the first instance keeps the invalidation until it can send it.
    first.verifier.invalidateKeyId(revokedDuringOutage.keyId);
    expect(first.fleet.stats().unsent).toBe(1);
    await redis!.restart();
    await Promise.all(instances.map((instance) => resubscribed(instance.fleet)));
    stop = true;
    await traffic;

    expect(failures).toEqual([]);
    expect(outageWarnings()).toHaveLength(2); // one per instance, however many requests went on without Redis
    // The restarted Redis has forgotten the bus's number: each instance dropped its memory (missed invalidations).
    for (const instance of instances) expect(instance.fleet.stats().resyncs).toBeGreaterThanOrEqual(2);
    await vi.waitFor(() => expect(first.fleet.stats().unsent).toBe(0), { timeout: 10_000, interval: 10 });
    expect(second.verifier.verifyCached(revokedDuringOutage.key)).toBeUndefined();

    // And the bus works as before.
    await second.verifier.verify(warm.key);
    const after = second.nextInvalidation();
    first.verifier.invalidateKeyId(warm.keyId);
    await after;
    expect(second.verifier.verifyCached(warm.key)).toBeUndefined();
    await closeAll(instances);
  });

  it('a frozen Redis (no answers at all) costs one bounded wait, then verification goes on without it', async () => {
    const logger = recordingLogger();
    const instances = await startInstances(1, service, redis!.url, {
      fleet: { logger, timeoutMs: 50, retryMs: 60_000 },
    });
    const [instance] = instances as [Instance];
    const warm = await service.createKey();
    await instance.verifier.verify(warm.key);
    redis!.freeze();
    try {
      // Each of these would hang for as long as Redis is frozen if the fleet waited for it.
      for (let index = 0; index < 5; index++)
        expect((await instance.verifier.verify((await service.createKey()).key)).valid).toBe(true);
      expect(instance.verifier.verifyCached(warm.key)?.valid).toBe(true);
      instance.verifier.invalidateKeyId(warm.keyId);
      expect(instance.fleet.stats().withoutRedis).toBeGreaterThanOrEqual(5);
      expect(logger.warnings).toHaveLength(1);
      expect(logger.warnings[0]).toMatch(/Redis is unavailable \(Redis did not answer within 50 ms\)/);
    } finally {
      redis!.thaw();
    }
    await closeAll(instances);
  });

  it('Redis unreachable from the start: verification works, invalidations wait and are sent once it is there', async () => {
    await redis!.kill();
    const logger = recordingLogger();
    const lonely = redisFleet({ redis: redis!.url, secret: SECRET, prefix: 'late', logger });
    const verifier = createVerifier({
      provider: unkey({ rootKey: service.rootKey, baseUrl: service.url }),
      fleet: lonely,
    });
    const { key, keyId } = await service.createKey();
    expect((await verifier.verify(key)).valid).toBe(true);
    verifier.invalidateKeyId(keyId);
    expect(lonely.stats()).toMatchObject({ unsent: 1, connected: false, subscribed: false });
    await redis!.restart();
    await lonely.ready();
    await vi.waitFor(() => expect(lonely.stats()).toMatchObject({ unsent: 0, published: 1 }), {
      timeout: 10_000,
      interval: 10,
    });
    expect(logger.warnings.length).toBeLessThanOrEqual(1);
    await verifier.close();
  });

  it('takes a client the app already has, and leaves it open', async () => {
    const client = new Redis(redis!.url);
    const [instance] = await startInstances(1, service, redis!.url, { fleet: { redis: client } });
    const { key } = await service.createKey();
    expect((await instance!.verifier.verify(key)).valid).toBe(true);
    expect(instance!.fleet.stats().connected).toBe(true);
    const listeners = client.listenerCount('error');
    await closeAll([instance!]);
    expect(await client.ping()).toBe('PONG');
    expect(client.listenerCount('error')).toBe(listeners - 1);
    client.disconnect();
  });
});

describe('options', () => {
  const base = { redis: 'redis://127.0.0.1:1', secret: SECRET };
  it('are checked at creation', () => {
    expect(() => redisFleet({ ...base, secret: 'short' })).toThrow(ConfigurationError);
    expect(() => redisFleet({ ...base, prefix: 'has space' })).toThrow(/prefix/);
    expect(() => redisFleet({ ...base, prefix: '{tag}' })).toThrow(/prefix/);
    expect(() => redisFleet({ ...base, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => redisFleet({ ...base, lockMs: Number.NaN })).toThrow(/lockMs/);
    expect(() => redisFleet({ redis: 42 as unknown as string, secret: SECRET })).toThrow(/redis/);
  });

  it('a fleet needs the cache it shares', async () => {
    const fleet = redisFleet(base);
    expect(() => createVerifier({ provider: unkey({ rootKey: 'root_x' }), fleet, cache: false })).toThrow(
      ConfigurationError,
    );
    await fleet.close();
    expect(() => createVerifier({ provider: unkey({ rootKey: 'root_x' }), fleet })).toThrow(/closed/);
  });
});
