import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Provider, ProviderAnswer } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { invalidateFleet } from '../src/index.js';
import { closeAll, startInstances, startKeyService, type Instance, type KeyService } from './fleet-helpers.js';

const redis = await redisOrSkip('packages/redis/test/revocation.test.ts');
let service: KeyService;

beforeAll(async () => {
  if (redis) service = await startKeyService();
});
afterAll(async () => {
  if (!redis) return;
  await service.close();
  await redis.stop();
});

/** Every instance has the key in memory. */
async function warm(instances: Instance[], key: string): Promise<void> {
  for (const instance of instances) await instance.verifier.verify(key);
  for (const instance of instances) expect(instance.verifier.verifyCached(key)?.valid).toBe(true);
}

describe.skipIf(!redis)('the invalidation bus', () => {
  it("a key deleted through one instance's client is rejected by every other instance", async () => {
    const [first] = await startInstances(1, service, redis!.url, { clients: [service.client] });
    // Only the first instance has the client: the others learn from the bus.
    const others = await startInstances(2, service, redis!.url, { prefix: first!.prefix });
    const instances = [first!, ...others];
    const { key, keyId } = await service.createKey();
    await warm(instances, key);
    const received = others.map((instance) => instance.nextInvalidation());
    await service.client.keys.deleteKey({ keyId });
    const events = await Promise.all(received);
    expect(events.map((event) => event.kind)).toEqual(['keyId', 'keyId']);
    for (const instance of instances) {
      expect(instance.verifier.verifyCached(key)).toBeUndefined();
      expect((await instance.verifier.verify(key)).code).toBe('NOT_FOUND');
    }
    await first!.fleet.flush();
    expect(first!.fleet.stats().published).toBe(1);
    await closeAll(instances);
  });

  it('invalidate(key), invalidateKeyId and invalidateAll reach every instance, and none of them publishes again', async () => {
    const instances = await startInstances(3, service, redis!.url);
    const [first, second, third] = instances as [Instance, Instance, Instance];
    const keys = await Promise.all([service.createKey(), service.createKey(), service.createKey()]);
    for (const { key } of keys) await warm(instances, key);

    let received = [second.nextInvalidation(), third.nextInvalidation()];
    first.verifier.invalidate(keys[0].key);
    expect((await Promise.all(received)).map((event) => event.kind)).toEqual(['digest', 'digest']);
    for (const instance of instances) expect(instance.verifier.verifyCached(keys[0].key)).toBeUndefined();
    expect(third.verifier.verifyCached(keys[1].key)?.valid).toBe(true);

    received = [first.nextInvalidation(), third.nextInvalidation()];
    second.verifier.invalidateKeyId(keys[1].keyId);
    await Promise.all(received);
    for (const instance of instances) expect(instance.verifier.verifyCached(keys[1].key)).toBeUndefined();

    received = [first.nextInvalidation(), second.nextInvalidation()];
    third.verifier.invalidateAll();
    await Promise.all(received);
    for (const instance of instances) expect(instance.verifier.verifyCached(keys[2].key)).toBeUndefined();
    await Promise.all(instances.map((instance) => instance.fleet.flush()));
    expect(instances.map((instance) => instance.fleet.stats().published)).toEqual([1, 1, 1]);
    expect(instances.map((instance) => instance.fleet.stats().received)).toEqual([2, 2, 2]);
    await closeAll(instances);
  });

  it('the shared cache forgets an invalidated key too: the next instance asks the provider', async () => {
    const instances = await startInstances(2, service, redis!.url);
    const [first, second] = instances as [Instance, Instance];
    const { key, keyId } = await service.createKey();
    await first.verifier.verify(key);
    const received = second.nextInvalidation();
    first.verifier.invalidateKeyId(keyId);
    await received;
    await second.verifier.verify(key);
    expect(second.provider.calls).toBe(1);
    await closeAll(instances);
  });

  it('invalidateFleet (an admin backend, `keyguard invalidate`) reaches every instance without a verifier or the secret', async () => {
    const instances = await startInstances(2, service, redis!.url);
    const { key, keyId } = await service.createKey();
    await warm(instances, key);
    const received = instances.map((instance) => instance.nextInvalidation());
    const seq = await invalidateFleet({ keyId }, { redis: redis!.url, prefix: instances[0]!.prefix });
    expect(seq).toBeGreaterThan(0);
    await Promise.all(received);
    for (const instance of instances) expect(instance.verifier.verifyCached(key)).toBeUndefined();
    const all = instances.map((instance) => instance.nextInvalidation());
    await invalidateFleet({ all: true }, { redis: redis!.url, prefix: instances[0]!.prefix });
    expect((await Promise.all(all)).map((event) => event.kind)).toEqual(['all', 'all']);
    await closeAll(instances);
  });

  it('an answer asked for before a revocation is not shared after it', async () => {
    // The provider answers VALID for a key that is revoked while the answer is on its way.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const asked = new Promise<void>((resolve) => (entered = resolve));
    const real = unkey({ rootKey: service.rootKey, baseUrl: service.url });
    const slow: Provider = {
      name: 'unkey',
      async verify(key: string): Promise<ProviderAnswer> {
        const answer = await real.verify(key);
        entered();
        await gate;
        return answer;
      },
    };
    const [first] = await startInstances(1, service, redis!.url, { provider: slow });
    const [second] = await startInstances(1, service, redis!.url, { prefix: first!.prefix });
    const instances = [first!, second!];
    const { key, keyId } = await service.createKey();
    const pending = first!.verifier.verify(key);
    await asked;
    await invalidateFleet({ keyId }, { redis: redis!.url, prefix: first!.prefix });
    release();
    expect((await pending).valid).toBe(true);
    // The first instance's write is refused by Redis (the revocation came after the answer was asked for).
    await first!.fleet.close();
    expect((await second!.verifier.verify(key)).valid).toBe(true);
    expect(second!.provider.calls).toBe(1);
    expect(second!.fleet.stats().sharedHits).toBe(0);
    await closeAll(instances);
  });
});
