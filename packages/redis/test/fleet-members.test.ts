import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError, createVerifier, type Verifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { redisOrSkip, type RedisProcess } from '../../../test/support/redis-server.js';
import { redisFleet, type RedisFleet } from '../src/index.js';
import { SECRET, startKeyService, type KeyService } from './fleet-helpers.js';

// Several verifiers on one fleet object, as an app with more than one verifier in a process has them: what one of
// them invalidates leaves the others' memory at once, and the fleet lives as long as its last verifier.
describe('verifiers sharing one fleet object', () => {
  let redis: RedisProcess | undefined;
  let service: KeyService;
  let prefixes = 0;

  // Set up inside the describe: a failing hook fails these tests instead of skipping them.
  beforeAll(async () => {
    redis = await redisOrSkip('packages/redis/test/fleet-members.test.ts');
    if (redis) service = await startKeyService();
  });
  afterAll(async () => {
    if (!redis) return;
    await service.close();
    await redis.stop();
  });

  function fleetOnRedis(): RedisFleet {
    return redisFleet({ redis: redis!.url, secret: SECRET, prefix: `members${++prefixes}`, timeoutMs: 2_000 });
  }
  const verifierOn = (fleet: RedisFleet): Verifier =>
    createVerifier({
      provider: unkey({ rootKey: service.rootKey, baseUrl: service.url }),
      fleet,
      cache: { freshMs: 60_000 },
    });

  it('drops what one verifier invalidates from the others’ memory at once, before any bus message', async (context) => {
    if (!redis) return context.skip();
    const fleet = fleetOnRedis();
    const [first, second] = [verifierOn(fleet), verifierOn(fleet)];
    // Listening first: its first subscription drops memory (what was published before it is not known).
    await fleet.ready();
    const { key, keyId } = await service.createKey();
    const other = await service.createKey();
    for (const verifier of [first, second]) {
      await verifier.verify(key);
      await verifier.verify(other.key);
    }
    first.invalidate(key);
    expect(second.verifyCached(key)).toBeUndefined();
    expect(second.verifyCached(other.key)?.valid).toBe(true);
    await second.verify(key);
    second.invalidateKeyId(keyId);
    expect([first.verifyCached(key), second.verifyCached(key)]).toEqual([undefined, undefined]);
    expect(first.verifyCached(other.key)?.valid).toBe(true);
    second.invalidateAll();
    expect(first.verifyCached(other.key)).toBeUndefined();
    await Promise.all([first.close(), second.close()]);
  });

  it('stays open while one of its verifiers is, and refuses new ones once the last has closed', async (context) => {
    if (!redis) return context.skip();
    const fleet = fleetOnRedis();
    const [first, second] = [verifierOn(fleet), verifierOn(fleet)];
    await fleet.ready();
    await first.close();
    const third = verifierOn(fleet);
    const { key } = await service.createKey();
    expect((await third.verify(key)).valid).toBe(true);
    expect(fleet.stats()).toMatchObject({ connected: true, providerCalls: 1 });
    await Promise.all([second.close(), third.close()]);
    expect(() => verifierOn(fleet)).toThrow(ConfigurationError);
    expect(() => verifierOn(fleet)).toThrow(/closed/);
  });

  it('refuses new verifiers once closed itself', async (context) => {
    if (!redis) return context.skip();
    const fleet = fleetOnRedis();
    await fleet.close();
    expect(() => verifierOn(fleet)).toThrow(ConfigurationError);
  });
});
