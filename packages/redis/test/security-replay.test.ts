import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { invalidateFleet } from '../src/index.js';
import { closeAll, startInstances, startKeyService, type Instance, type KeyService } from './fleet-helpers.js';

// Someone who can write to Redis and publish on the bus, but does not have the fleet's secret, tries to bring a
// revoked key back with genuine entries saved before the revocation (README, "What is in Redis").
const redis = await redisOrSkip('packages/redis/test/security-replay.test.ts');
let service: KeyService;
let attacker: Redis;

beforeAll(async () => {
  if (!redis) return;
  service = await startKeyService();
  attacker = new Redis(redis.url);
});
afterAll(async () => {
  if (!redis) return;
  attacker.disconnect();
  await service.close();
  await redis.stop();
});

/** A well-formed "drop everything" with the next number on the bus: no gap, so nothing looks missed. */
async function publishDropEverything(prefix: string): Promise<void> {
  const root = `{${prefix}}:`;
  const seq = await attacker.incr(`${root}seq`);
  const bus = await attacker.get(`${root}bus`);
  const [seconds, micros] = await attacker.time();
  const redisNow = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  await attacker.publish(`${prefix}:invalidations`, `${seq} ${bus} ${redisNow} attacker ${Date.now()} a `);
}

/** The invalidation notes (`t:…`) the READ script checks: an attacker with write access deletes them too. */
async function deleteNotes(prefix: string): Promise<void> {
  const notes = await attacker.keys(`{${prefix}}:t:*`);
  if (notes.length > 0) await attacker.del(...notes);
}

/** Every instance drops its memory (a message each receives) after the attacker's message. */
async function dropEverywhere(instances: Instance[]): Promise<void> {
  const received = instances.map((instance) => instance.nextInvalidation());
  await publishDropEverything(instances[0]!.prefix);
  await Promise.all(received);
}

async function codesOf(instances: Instance[], key: string, rounds: number): Promise<string[]> {
  const codes: string[] = [];
  for (let round = 0; round < rounds; round++)
    for (const instance of instances) codes.push((await instance.verifier.verify(key)).code);
  return codes;
}

describe.skipIf(!redis)('a Redis writer without the secret cannot bring a revoked key back', () => {
  it("replaying a revoked key's genuine shared entry and dropping every memory: 401 throughout", async () => {
    const instances = await startInstances(3, service, redis!.url);
    const { key, keyId } = await service.createKey();
    for (const instance of instances) expect((await instance.verifier.verify(key)).valid).toBe(true);
    const [entryName] = await attacker.keys(`{${instances[0]!.prefix}}:v:*`);
    const saved = (await attacker.get(entryName!))!;

    await service.client.keys.deleteKey({ keyId });
    const received = instances.map((instance) => instance.nextInvalidation());
    await invalidateFleet({ keyId }, { redis: redis!.url, prefix: instances[0]!.prefix });
    await Promise.all(received);
    expect(await codesOf(instances, key, 1)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);

    for (let attempt = 0; attempt < 3; attempt++) {
      await attacker.set(entryName!, saved, 'PX', 60_000);
      await deleteNotes(instances[0]!.prefix);
      await dropEverywhere(instances);
      expect(await codesOf(instances, key, 2)).toEqual(Array(6).fill('NOT_FOUND'));
    }
    await closeAll(instances);
  });

  it('rolling the generation back after invalidateAll: 401 throughout', async () => {
    const instances = await startInstances(3, service, redis!.url);
    const root = `{${instances[0]!.prefix}}:`;
    const { key, keyId } = await service.createKey();
    for (const instance of instances) expect((await instance.verifier.verify(key)).valid).toBe(true);
    const before = (await attacker.get(`${root}gen`)) ?? '0';

    await service.client.keys.deleteKey({ keyId });
    const received = instances.slice(1).map((instance) => instance.nextInvalidation());
    instances[0]!.verifier.invalidateAll();
    await Promise.all(received);
    expect(await codesOf(instances, key, 1)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);

    for (let attempt = 0; attempt < 3; attempt++) {
      await attacker.set(`${root}gen`, before);
      await deleteNotes(instances[0]!.prefix);
      await dropEverywhere(instances);
      expect(await codesOf(instances, key, 2)).toEqual(Array(6).fill('NOT_FOUND'));
    }
    await closeAll(instances);
  });

  it('an instance started after the revocation refuses the replayed entry while the notes are in Redis', async () => {
    const [first] = await startInstances(1, service, redis!.url);
    const { key, keyId } = await service.createKey();
    expect((await first!.verifier.verify(key)).valid).toBe(true);
    const [entryName] = await attacker.keys(`{${first!.prefix}}:v:*`);
    const saved = (await attacker.get(entryName!))!;
    await service.client.keys.deleteKey({ keyId });
    await invalidateFleet({ keyId }, { redis: redis!.url, prefix: first!.prefix });
    await attacker.set(entryName!, saved, 'PX', 60_000);
    // It saw no invalidation: only the READ script's check of the notes stands between it and the replay.
    const [late] = await startInstances(1, service, redis!.url, { prefix: first!.prefix });
    expect(await codesOf([late!], key, 2)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(late!.provider.calls).toBe(1);
    await closeAll([first!, late!]);
  });
});
