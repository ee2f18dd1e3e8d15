import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { redisOrSkip, type RedisProcess } from '../../../test/support/redis-server.js';
import { redisFleet } from '../src/index.js';
import { SECRET, recordingLogger, startKeyService, type KeyService } from './fleet-helpers.js';

// The fleet's hold on its command connection: when that connection comes back, Redis is used again and the
// invalidations kept meanwhile are sent at once (not after `retryMs`), and a client the app passed in is handed back
// without the fleet's listeners.
describe('the fleet and its command connection', () => {
  let redis: RedisProcess | undefined;
  let service: KeyService;

  // Set up inside the describe: a failing hook fails these tests instead of skipping them.
  beforeAll(async () => {
    redis = await redisOrSkip('packages/redis/test/fleet-reconnect.test.ts');
    if (redis) service = await startKeyService();
  });
  afterAll(async () => {
    if (!redis) return;
    await service.close();
    await redis.stop();
  });

  it('sends the invalidations kept while Redis was away as soon as it is back, long before retryMs', async (context) => {
    if (!redis) return context.skip();
    const logger = recordingLogger();
    // retryMs a minute: only the connection's coming back can explain an invalidation sent within the wait below.
    const fleet = redisFleet({ redis: redis.url, secret: SECRET, prefix: 'back', logger, retryMs: 60_000 });
    const verifier = createVerifier({ provider: unkey({ rootKey: service.rootKey, baseUrl: service.url }), fleet });
    await fleet.ready();
    const { key, keyId } = await service.createKey();
    expect((await verifier.verify(key)).valid).toBe(true);
    await redis.kill();
    verifier.invalidateKeyId(keyId);
    await vi.waitFor(() => expect(fleet.stats()).toMatchObject({ unsent: 1, connected: false }), {
      timeout: 10_000,
      interval: 10,
    });
    await redis.restart();
    await vi.waitFor(() => expect(fleet.stats()).toMatchObject({ unsent: 0, published: 1, connected: true }), {
      timeout: 10_000,
      interval: 10,
    });
    expect(logger.warnings.filter((line) => line.includes('Redis is unavailable'))).toHaveLength(1);
    await verifier.close();
  });

  it('leaves a client the app passed in with the listeners it had before', async (context) => {
    if (!redis) return context.skip();
    const client = new Redis(redis.url);
    const listeners = () => ({ error: client.listenerCount('error'), ready: client.listenerCount('ready') });
    const before = listeners();
    const fleet = redisFleet({ redis: client, secret: SECRET, prefix: 'lent' });
    const verifier = createVerifier({ provider: unkey({ rootKey: service.rootKey, baseUrl: service.url }), fleet });
    expect(listeners().ready).toBeGreaterThan(before.ready);
    await verifier.close();
    expect(listeners()).toEqual(before);
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });
});
