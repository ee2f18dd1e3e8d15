import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisOrSkip, type RedisProcess } from '../../support/redis-server.js';
import { canRun, type RuntimeName } from './runtimes.js';
import { runForResult } from './spawn-app.js';

const APP = fileURLToPath(new URL('./apps/redis-fleet.ts', import.meta.url));

/**
 * @keyguard/redis (ioredis) on `runtime`: two instances of an app on a real redis-server of this test file share an
 * answer through Redis and an invalidation through its pub/sub. Skipped without Redis as the package's own tests are
 * (never in CI).
 */
export function fleetOn(runtime: Exclude<RuntimeName, 'node'>, title: string): void {
  (canRun(runtime) ? describe : describe.skip)(title, () => {
    let redis: RedisProcess | undefined;
    beforeAll(async () => {
      redis = await redisOrSkip(`test/runtimes/${runtime}-redis.test.ts`);
    });
    afterAll(async () => {
      await redis?.stop();
    });

    it('shares an answer through Redis and an invalidation through its pub/sub', async (context) => {
      if (!redis) return context.skip();
      const result = await runForResult(runtime, APP, { REDIS_URL: redis.url });
      expect(result).toEqual({
        firstValid: true,
        secondValid: true,
        providerCalls: 1,
        sharedHits: 1,
        cachedOnSecond: true,
        received: 1,
        droppedOnSecond: true,
      });
    });
  });
}
