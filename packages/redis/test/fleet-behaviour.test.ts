import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier, type MeteringOptions, type Verifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { redisOrSkip, type RedisProcess } from '../../../test/support/redis-server.js';
import { startMeteringService, type MeteringService } from '../../../test/metering/local-service.js';
import { redisFleet, type RedisFleet, type RedisFleetOptions } from '../src/index.js';
import { SECRET } from './fleet-helpers.js';

interface Instance {
  fleet: RedisFleet;
  prefix: string;
  verifier: Verifier;
}
type Named = { key: string; keyId: string };

// What one fleet object does for the verifiers on it: an invalidation it publishes holds back only what it names,
// a fleet without an `onInvalidation` callback still drops what others invalidate, and batched metering's budgets
// are counted per verifier, and no longer once a verifier has left.
describe('a Redis fleet and the verifiers on it', () => {
  let redis: RedisProcess | undefined;
  let service: MeteringService;
  let inspector: Redis;
  let prefixes = 0;

  // Set up inside the describe: a failing hook fails these tests instead of skipping them.
  beforeAll(async () => {
    redis = await redisOrSkip('packages/redis/test/fleet-behaviour.test.ts');
    if (!redis) return;
    service = await startMeteringService();
    inspector = new Redis(redis.url);
  });
  afterAll(async () => {
    if (!redis) return;
    inspector.disconnect();
    await service.stop();
    await redis.stop();
  });

  const newPrefix = () => `behaviour${++prefixes}${randomBytes(3).toString('hex')}`;
  // What these tests check must not depend on how busy the machine is: Redis gets time to answer.
  const fleetOn = (prefix: string, extra: Partial<RedisFleetOptions> = {}): RedisFleet =>
    redisFleet({ redis: redis!.url, secret: SECRET, prefix, timeoutMs: 2_000, ...extra });
  const verifierOn = (fleet: RedisFleet, metering?: Omit<MeteringOptions, 'mode'>): Verifier =>
    createVerifier({
      provider: unkey({ rootKey: service.rootKey, baseUrl: service.url, timeoutMs: 30_000 }),
      fleet,
      cache: { freshMs: 60_000 },
      ...(metering ? { metering: { mode: 'batched' as const, ...metering } } : {}),
    });

  /** Two instances (a fleet object each) on one prefix, their buses listening. */
  async function twoInstances(extra: Partial<RedisFleetOptions> = {}) {
    const prefix = newPrefix();
    const fleets = [fleetOn(prefix, extra), fleetOn(prefix, extra)] as const;
    await Promise.all(fleets.map((fleet) => fleet.ready()));
    return fleets.map((fleet): Instance => ({ fleet, prefix, verifier: verifierOn(fleet) }));
  }

  /** A key's answer shared in Redis by `sharer`, once written (the write runs after the answer, in the background). */
  async function sharedBy(sharer: Instance, key: string): Promise<void> {
    expect((await sharer.verifier.verify(key)).valid).toBe(true);
    await vi.waitFor(async () => expect(await inspector.keys(`{${sharer.prefix}}:v:*`)).toHaveLength(1), {
      timeout: 10_000,
      interval: 10,
    });
  }

  it.for([
    { what: 'a key', invalidate: (verifier: Verifier, named: Named) => verifier.invalidate(named.key) },
    { what: 'a key id', invalidate: (verifier: Verifier, named: Named) => verifier.invalidateKeyId(named.keyId) },
  ])(
    'after invalidating $what, still takes another key’s shared answer instead of asking the provider',
    async ({ invalidate }, context) => {
      if (!redis) return context.skip();
      const [publisher, sharer] = await twoInstances();
      const named = await service.createKey();
      const other = await service.createKey();
      await sharedBy(sharer!, other.key);
      invalidate(publisher!.verifier, named);
      await publisher!.fleet.flush();
      expect((await publisher!.verifier.verify(other.key)).valid).toBe(true);
      expect(publisher!.fleet.stats()).toMatchObject({ sharedHits: 1, providerCalls: 0, published: 1 });
      await Promise.all([publisher!.verifier.close(), sharer!.verifier.close()]);
    },
  );

  it('drops what another instance invalidates without an onInvalidation callback, message after message', async (context) => {
    if (!redis) return context.skip();
    const [quiet, publisher] = await twoInstances();
    const keys = [await service.createKey(), await service.createKey()];
    for (const { key } of keys) expect((await quiet!.verifier.verify(key)).valid).toBe(true);
    for (const [index, { key }] of keys.entries()) {
      publisher!.verifier.invalidate(key);
      await vi.waitFor(() => expect(quiet!.fleet.stats().received).toBe(index + 1), { timeout: 10_000, interval: 10 });
      expect(quiet!.verifier.verifyCached(key)).toBeUndefined();
      // Only the key named is dropped: the next one is still answered from memory.
      if (index === 0) expect(quiet!.verifier.verifyCached(keys[1]!.key)?.valid).toBe(true);
    }
    await Promise.all([quiet!.verifier.close(), publisher!.verifier.close()]);
  });

  it('counts batched metering’s budgets per verifier, and no longer those of a verifier that left', async (context) => {
    if (!redis) return context.skip();
    const fleet = fleetOn(newPrefix());
    await fleet.ready();
    const metering = { maxBatch: 100, maxDelayMs: 200, maxUnsettled: 1_000 };
    const [first, second] = [verifierOn(fleet, metering), verifierOn(fleet, metering)];
    const { key } = await service.createKey({ credits: { remaining: 1_000 } });
    for (const verifier of [first, second]) {
      for (let request = 0; request < 3; request += 1) expect((await verifier.verify(key)).valid).toBe(true);
    }
    expect(fleet.stats().metering.budgets).toBe(2);
    await first.close();
    expect(fleet.stats().metering.budgets).toBe(1);
    expect(fleet.stats().connected).toBe(true);
    await second.close();
  });
});
