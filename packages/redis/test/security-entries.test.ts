import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { EntryCodec } from '../src/keys/entry.js';
import { SECRET, closeAll, startInstances, startKeyService, type KeyService } from './fleet-helpers.js';

// Genuine entries (signed with the fleet's secret) moved in time or in place by someone who can write to Redis:
// neither is served (README, "What is in Redis").
const redis = await redisOrSkip('packages/redis/test/security-entries.test.ts');
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

const nameOf = (key: string) => new EntryCodec(SECRET).name(createHash('sha256').update(key).digest('base64url'));

/** The entry once its writer has written it (the write runs after the answer, in the background). */
async function writtenEntry(redisKey: string): Promise<string> {
  for (let waited = 0; waited < 5_000; waited += 10) {
    const value = await attacker.get(redisKey);
    if (value) return value;
    await sleep(10);
  }
  throw new Error('no shared entry was written');
}

describe.skipIf(!redis)('genuine shared entries out of place', () => {
  it('an entry past its signed expiry, written back with a long Redis TTL, is not served', async () => {
    const instances = await startInstances(2, service, redis!.url, { cache: { freshMs: 300 } });
    const [first, second] = instances as [(typeof instances)[0], (typeof instances)[0]];
    const { key } = await service.createKey();
    await first.verifier.verify(key);
    const entry = `{${first.prefix}}:v:0:${nameOf(key)}`;
    const saved = await writtenEntry(entry);
    await sleep(400);
    await attacker.set(entry, saved, 'PX', 60_000);
    expect((await second.verifier.verify(key)).valid).toBe(true);
    expect(second.fleet.stats()).toMatchObject({ sharedHits: 0, providerCalls: 1 });
    await closeAll(instances);
  });

  it("an admin key's entry copied onto a low key's name is not served: the MAC binds the name", async () => {
    const instances = await startInstances(2, service, redis!.url);
    const [first, second] = instances as [(typeof instances)[0], (typeof instances)[0]];
    const admin = await service.createKey({ permissions: ['admin'] });
    const low = await service.createKey();
    await first.verifier.verify(admin.key);
    await first.verifier.verify(low.key);
    const root = `{${first.prefix}}:`;
    const adminEntry = await writtenEntry(`${root}v:0:${nameOf(admin.key)}`);
    await writtenEntry(`${root}v:0:${nameOf(low.key)}`);
    expect(adminEntry).toContain('"admin"');
    await attacker.set(`${root}v:0:${nameOf(low.key)}`, adminEntry, 'PX', 60_000);
    const result = await second.verifier.verify(low.key);
    expect(result).toMatchObject({ valid: true, key: { id: low.keyId, permissions: [] } });
    expect(second.fleet.stats()).toMatchObject({ sharedHits: 0, providerCalls: 1 });
    await closeAll(instances);
  });
});
