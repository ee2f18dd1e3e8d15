import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unkey } from '@keyguard/unkey';
import { redisOrSkip, type RedisProcess } from '../../../test/support/redis-server.js';
import { EntryCodec } from '../src/keys/entry.js';
import { SECRET, closeAll, startInstances, startKeyService, type KeyService } from './fleet-helpers.js';

// The shared cache at its edges: an entry it cannot use, a provider call that fails while holding the lock, a key-id
// invalidation (the shared answer indexed by its key id, and refused when written back), and a long wait counted once.
const nameOf = (key: string) => new EntryCodec(SECRET).name(createHash('sha256').update(key).digest('base64url'));

describe('the shared cache at its edges', () => {
  let redis: RedisProcess | undefined;
  let service: KeyService;
  let inspector: Redis;

  // Set up inside the describe: a failing hook fails these tests instead of skipping them.
  beforeAll(async () => {
    redis = await redisOrSkip('packages/redis/test/shared-cache-edges.test.ts');
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

  /** The shared entry once its writer has written it (the write runs after the answer, in the background). */
  async function writtenEntry(redisKey: string, not?: string): Promise<string> {
    let value: string | null = null;
    for (let waited = 0; waited < 5_000; waited += 10) {
      value = await inspector.get(redisKey);
      if (value !== null && value !== not) return value;
      await sleep(10);
    }
    throw new Error('no shared entry was written');
  }

  it('asks the provider at once over an entry it cannot use, and shares its own answer', async (context) => {
    if (!redis) return context.skip();
    const [first, second] = await startInstances(2, service, redis.url);
    const { key } = await service.createKey();
    const entry = `{${first!.prefix}}:v:0:${nameOf(key)}`;
    await inspector.set(entry, 'not an entry of this fleet', 'PX', 60_000);
    expect((await first!.verifier.verify(key)).valid).toBe(true);
    expect(first!.fleet.stats()).toMatchObject({ waits: 0, providerCalls: 1, sharedHits: 0 });
    await writtenEntry(entry, 'not an entry of this fleet');
    expect((await second!.verifier.verify(key)).valid).toBe(true);
    expect(second!.fleet.stats()).toMatchObject({ sharedHits: 1, providerCalls: 0 });
    await closeAll([first!, second!]);
  });

  it('gives the lock up when the provider call fails, long before lockMs', async (context) => {
    if (!redis) return context.skip();
    const [failing] = await startInstances(1, service, redis.url, {
      provider: unkey({ rootKey: service.rootKey, baseUrl: 'http://127.0.0.1:1' }),
      fleet: { lockMs: 20_000 },
    });
    const { key } = await service.createKey();
    const lock = `{${failing!.prefix}}:l:${nameOf(key)}`;
    expect((await failing!.verifier.verify(key)).code).toBe('PROVIDER_UNAVAILABLE');
    let held = 1;
    for (let waited = 0; held === 1 && waited < 10_000; waited += 20) {
      held = await inspector.exists(lock);
      if (held === 1) await sleep(20);
    }
    expect(held).toBe(0);
    await closeAll([failing!]);
  });

  it('a key-id invalidation deletes the shared answer: an instance that never heard of it asks the provider', async (context) => {
    if (!redis) return context.skip();
    const [first] = await startInstances(1, service, redis.url);
    const { key, keyId } = await service.createKey();
    const entry = `{${first!.prefix}}:v:0:${nameOf(key)}`;
    await first!.verifier.verify(key);
    await writtenEntry(entry);
    first!.verifier.invalidateKeyId(keyId);
    await first!.fleet.flush();
    expect(await inspector.get(entry)).toBeNull();
    const [later] = await startInstances(1, service, redis.url, { prefix: first!.prefix });
    expect((await later!.verifier.verify(key)).valid).toBe(true);
    expect(later!.fleet.stats()).toMatchObject({ sharedHits: 0, providerCalls: 1 });
    await closeAll([first!, later!]);
  });

  it('refuses a valid key’s shared answer written back after a key-id invalidation it saw', async (context) => {
    if (!redis) return context.skip();
    const [first, second] = await startInstances(2, service, redis.url);
    const { key, keyId } = await service.createKey();
    const entry = `{${first!.prefix}}:v:0:${nameOf(key)}`;
    await first!.verifier.verify(key);
    const saved = await writtenEntry(entry);
    const received = second!.nextInvalidation();
    first!.verifier.invalidateKeyId(keyId);
    expect((await received).kind).toBe('keyId');
    await first!.fleet.flush();
    await inspector.set(entry, saved, 'PX', 60_000);
    expect((await second!.verifier.verify(key)).valid).toBe(true);
    expect(second!.fleet.stats()).toMatchObject({ sharedHits: 0, providerCalls: 1 });
    await closeAll([first!, second!]);
  });

  it('counts one wait for a request however many times it looks again', async (context) => {
    if (!redis) return context.skip();
    const [source, waiting] = await startInstances(2, service, redis.url);
    const [other] = await startInstances(1, service, redis.url);
    const { key } = await service.createKey();
    // A genuine entry, shared on another prefix with the same secret: the name and the MAC are the same.
    await other!.verifier.verify(key);
    const name = nameOf(key);
    const shared = await writtenEntry(`{${other!.prefix}}:v:0:${name}`);
    const root = `{${source!.prefix}}:`;
    // Another instance holds the lock for 600 ms: the waiter looks again several times (50, 100, 200, 250 ms apart).
    await inspector.set(`${root}l:${name}`, 'someone', 'PX', 60_000);
    const pending = waiting!.verifier.verify(key);
    await sleep(600);
    await inspector.set(`${root}v:0:${name}`, shared, 'PX', 60_000);
    await inspector.del(`${root}l:${name}`);
    expect((await pending).valid).toBe(true);
    expect(waiting!.fleet.stats()).toMatchObject({ sharedHits: 1, providerCalls: 0, waits: 1 });
    await closeAll([source!, waiting!, other!]);
  });
});
