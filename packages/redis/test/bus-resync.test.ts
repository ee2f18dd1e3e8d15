import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { closeAll, startInstances, startKeyService, until, type Instance, type KeyService } from './fleet-helpers.js';

// What an instance does when it may have missed an invalidation (README, "The window in which an invalidation may be
// missed"): a gap in the bus's numbers, or a resubscription after something was published, drops its whole memory,
// and shared answers asked for before then are not taken either.
const redis = await redisOrSkip('packages/redis/test/bus-resync.test.ts');
let service: KeyService;
let inspector: Redis;

beforeAll(async () => {
  if (!redis) return;
  service = await startKeyService();
  inspector = new Redis(redis.url);
});
afterAll(async () => {
  if (!redis) return;
  inspector.disconnect();
  await service.close();
  await redis.stop();
});

async function redisTime(): Promise<number> {
  const [seconds, micros] = await inspector.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** Two instances with the key in memory (and its answer shared, by the first). */
async function warmPair(key: string): Promise<[Instance, Instance]> {
  const [first, second] = (await startInstances(2, service, redis!.url)) as [Instance, Instance];
  for (const instance of [first, second]) expect((await instance.verifier.verify(key)).valid).toBe(true);
  for (const instance of [first, second]) expect(instance.verifier.verifyCached(key)?.valid).toBe(true);
  return [first, second];
}

describe.skipIf(!redis)('an instance that may have missed invalidations', () => {
  it('a gap in the bus numbers drops its memory, and shared answers asked for before it', async () => {
    const { key } = await service.createKey();
    const [first, second] = await warmPair(key);
    const root = `{${first.prefix}}:`;
    const seq = Number(await inspector.get(`${root}seq`));
    const bus = await inspector.get(`${root}bus`);
    const resyncs = second.fleet.stats().resyncs;
    const received = second.nextInvalidation();
    // Number seq + 1 never arrives: an unrelated key id's invalidation numbered seq + 2.
    const message = `${seq + 2} ${bus} ${await redisTime()} elsewhere ${Date.now()} k key_unrelated`;
    await inspector.publish(`${first.prefix}:invalidations`, message);
    await received;
    expect(second.fleet.stats().resyncs).toBe(resyncs + 1);
    expect(second.verifier.verifyCached(key)).toBeUndefined();
    // The first instance's shared answer is still in Redis, but it was asked for before the gap.
    expect((await second.verifier.verify(key)).valid).toBe(true);
    expect(second.fleet.stats()).toMatchObject({ sharedHits: 1, providerCalls: 1 });
    await closeAll([first, second]);
  });

  it('its bus connection killed (CLIENT KILL TYPE pubsub) while an invalidation is published: it resubscribes and drops everything', async () => {
    const { key } = await service.createKey();
    const other = await service.createKey();
    const [first, second] = await warmPair(key);
    const resyncs = [first, second].map((instance) => instance.fleet.stats().resyncs);
    // One transaction, so no instance is back in between: the connections killed, then an invalidation numbered
    // (as the INVALIDATE script numbers it) while no one listens, its message lost.
    const killed = await inspector
      .multi()
      .call('CLIENT', 'KILL', 'TYPE', 'pubsub')
      .incr(`{${first.prefix}}:seq`)
      .exec();
    expect(killed?.map(([error]) => error)).toEqual([null, null]);
    for (const [index, instance] of [first, second].entries())
      await until(
        () => instance.fleet.stats().subscribed && instance.fleet.stats().resyncs === resyncs[index]! + 1,
        'the resubscription',
      );
    for (const instance of [first, second]) expect(instance.verifier.verifyCached(key)).toBeUndefined();
    // And it listens again.
    const received = second.nextInvalidation();
    first.verifier.invalidateKeyId(other.keyId);
    expect((await received).kind).toBe('keyId');
    await closeAll([first, second]);
  });

  it('a failover that lost invalidations, then as many new ones (the same number again): it drops everything', async () => {
    const { key } = await service.createKey();
    const other = await service.createKey();
    const [first, second] = await warmPair(key);
    // A last invalidation both instances have received, so each knows its number and time.
    const received = second.nextInvalidation();
    first.verifier.invalidateKeyId(other.keyId);
    await received;
    const root = `{${first.prefix}}:`;
    const seq = Number(await inspector.get(`${root}seq`));
    const resyncs = second.fleet.stats().resyncs;
    await sleep(5); // the Redis clock moves on: a new invalidation is noted at another millisecond
    // As a lossy failover leaves it, in one transaction: the buses cut off, the last invalidation lost (the number one
    // back), then a new one numbered as the lost one, published while no one listens.
    const replayed = await inspector
      .multi()
      .call('CLIENT', 'KILL', 'TYPE', 'pubsub')
      .set(`${root}seq`, seq - 1)
      .incr(`${root}seq`)
      .set(`${root}seq:at`, await redisTime())
      .exec();
    expect(replayed?.map(([error]) => error)).toEqual([null, null, null, null]);
    expect(Number(await inspector.get(`${root}seq`))).toBe(seq);
    await until(
      () => second.fleet.stats().subscribed && second.fleet.stats().resyncs === resyncs + 1,
      'the resubscription that notices',
    );
    expect(second.verifier.verifyCached(key)).toBeUndefined();
    await closeAll([first, second]);
  });

  it('its bus connection killed while nothing is published: it resubscribes and keeps its memory', async () => {
    const { key } = await service.createKey();
    const [first, second] = await warmPair(key);
    const resyncs = second.fleet.stats().resyncs;
    const killed = Number(await inspector.call('CLIENT', 'KILL', 'TYPE', 'pubsub'));
    expect(killed).toBeGreaterThanOrEqual(2);
    await until(() => !second.fleet.stats().subscribed, 'the connection loss');
    await until(() => second.fleet.stats().subscribed, 'the resubscription');
    expect(second.fleet.stats().resyncs).toBe(resyncs);
    expect(second.verifier.verifyCached(key)?.valid).toBe(true);
    await closeAll([first, second]);
  });
});
