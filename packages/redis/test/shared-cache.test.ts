import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { closeAll, providerCalls, startInstances, startKeyService, type KeyService } from './fleet-helpers.js';

const redis = await redisOrSkip('packages/redis/test/shared-cache.test.ts');
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

/** Every key and value the fleets left in Redis, as text. */
async function everythingIn(client: Redis, prefix: string): Promise<string[]> {
  const texts: string[] = [];
  for (const name of await client.keys(`{${prefix}}:*`)) {
    texts.push(name);
    const type = await client.type(name);
    if (type === 'string') texts.push((await client.get(name)) ?? '');
  }
  return texts;
}

describe.skipIf(!redis)('the shared second-level cache', () => {
  it('a new key verified by 4 instances × 25 concurrent requests costs one provider call', async () => {
    const instances = await startInstances(4, service, redis!.url);
    const { key, keyId } = await service.createKey();
    const results = await Promise.all(
      instances.flatMap((instance) => Array.from({ length: 25 }, () => instance.verifier.verify(key))),
    );
    expect(results.every((result) => result.valid && result.key.id === keyId)).toBe(true);
    expect(providerCalls(instances)).toBe(1);
    const stats = instances.map((instance) => instance.fleet.stats());
    expect(stats.reduce((sum, each) => sum + each.sharedHits, 0)).toBe(3);
    await closeAll(instances);
  });

  it("an instance answers from another's shared answer, then from its own memory without Redis", async () => {
    const [first, second] = await startInstances(2, service, redis!.url);
    const { key } = await service.createKey({ permissions: ['docs.read'] });
    expect((await first!.verifier.verify(key)).source).toBe('upstream');
    const shared = await second!.verifier.verify(key);
    expect(shared).toMatchObject({ valid: true, source: 'upstream', key: { permissions: ['docs.read'] } });
    expect(second!.provider.calls).toBe(0);
    expect(second!.verifier.verifyCached(key)?.source).toBe('cache');
    expect(second!.fleet.stats().sharedHits).toBe(1);
    await closeAll([first!, second!]);
  });

  it('a memory hit sends no command to Redis', async () => {
    const [instance] = await startInstances(1, service, redis!.url);
    const { key } = await service.createKey();
    await instance!.verifier.verify(key);
    const processed = async () => Number(/total_commands_processed:(\d+)/.exec(await inspector.info('stats'))![1]);
    // Two INFO calls in a row differ by one (the first INFO itself): hits in between must add nothing.
    const idleBefore = await processed();
    const idle = (await processed()) - idleBefore;
    const before = await processed();
    for (let index = 0; index < 1_000; index++) {
      expect(instance!.verifier.verifyCached(key)?.source).toBe('cache');
      expect((await instance!.verifier.verify(key)).source).toBe('cache');
    }
    expect((await processed()) - before).toBe(idle);
    await closeAll([instance!]);
  });

  it('metered keys are never shared: every request spends its own credit upstream', async () => {
    const instances = await startInstances(2, service, redis!.url);
    const { key } = await service.createKey({ credits: { remaining: 4 } });
    const credits: (number | undefined)[] = [];
    for (const instance of [...instances, ...instances]) {
      const result = await instance.verifier.verify(key);
      credits.push(result.key?.credits);
    }
    expect(credits).toEqual([3, 2, 1, 0]);
    expect(providerCalls(instances)).toBe(4);
    // Concurrent requests of a known metered key do not wait for each other across instances either.
    const again = await Promise.all(
      instances.flatMap((instance) => [instance.verifier.verify(key), instance.verifier.verify(key)]),
    );
    expect(again.map((result) => result.code)).toEqual([
      'USAGE_EXCEEDED',
      'USAGE_EXCEEDED',
      'USAGE_EXCEEDED',
      'USAGE_EXCEEDED',
    ]);
    expect(instances.reduce((sum, instance) => sum + instance.fleet.stats().waits, 0)).toBe(0);
    await closeAll(instances);
  });

  it('metered keys are shared when the cache policy allows it (cacheMeteredKeys)', async () => {
    const instances = await startInstances(2, service, redis!.url, { cache: { cacheMeteredKeys: true } });
    const { key } = await service.createKey({ credits: { remaining: 100 } });
    await instances[0]!.verifier.verify(key);
    expect((await instances[1]!.verifier.verify(key)).key?.credits).toBe(99);
    expect(providerCalls(instances)).toBe(1);
    await closeAll(instances);
  });

  it('negative answers are shared for their own, shorter window', async () => {
    const instances = await startInstances(2, service, redis!.url, { cache: { negativeMs: 60_000 } });
    const unknown = 'fl_notakeyatall0000000000';
    expect((await instances[0]!.verifier.verify(unknown)).code).toBe('NOT_FOUND');
    expect((await instances[1]!.verifier.verify(unknown)).code).toBe('NOT_FOUND');
    expect(providerCalls(instances)).toBe(1);
    const [entry] = await inspector.keys(`{${instances[0]!.prefix}}:v:*`);
    const ttl = await inspector.pttl(entry!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await closeAll(instances);
  });

  it('keeps neither keys nor their plain SHA-256 in Redis', async () => {
    const instances = await startInstances(2, service, redis!.url);
    const { key } = await service.createKey();
    await instances[0]!.verifier.verify(key);
    await instances[1]!.verifier.verify(key);
    const digest = createHash('sha256').update(key).digest('base64url');
    const stored = await everythingIn(inspector, instances[0]!.prefix);
    expect(stored.some((text) => text.includes('"VALID"'))).toBe(true);
    expect(stored.filter((text) => text.includes(key) || text.includes(digest))).toEqual([]);
    await closeAll(instances);
  });

  it('serves no entry it did not sign: a forged or altered answer sends the verifier to the provider', async () => {
    const instances = await startInstances(2, service, redis!.url);
    const { key } = await service.createKey({ permissions: ['docs.read'] });
    await instances[0]!.verifier.verify(key);
    const [name] = await inspector.keys(`{${instances[0]!.prefix}}:v:*`);
    const value = (await inspector.get(name!))!;
    // Someone with write access to Redis grants themselves a permission: the MAC no longer matches.
    await inspector.set(name!, value.replace('"docs.read"', '"admin"'), 'PX', 60_000);
    const result = await instances[1]!.verifier.verify(key);
    expect(result.key?.permissions).toEqual(['docs.read']);
    expect(instances[1]!.provider.calls).toBe(1);
    expect(instances[1]!.fleet.stats().sharedHits).toBe(0);
    await closeAll(instances);
  });
});
