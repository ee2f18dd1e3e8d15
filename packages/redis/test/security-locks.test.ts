import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { EntryCodec } from '../src/keys/entry.js';
import { ABANDONED_FOR_MS, AbandonedLocks, SHORT_WAIT_MS } from '../src/shared-cache/abandoned-locks.js';
import { SECRET, closeAll, startInstances, startKeyService, type KeyService } from './fleet-helpers.js';

// Someone who can write to Redis holds the lock keys (`l:<name>`, names read from Redis) while dropping memories
// over the bus: each request would wait a whole lockMs for an answer no one is asking for.
const redis = await redisOrSkip('packages/redis/test/security-locks.test.ts');
let service: KeyService;
let attacker: Redis;
const LOCK_MS = 3_000;

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

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe.skipIf(!redis)('a lock held by someone who never answers', () => {
  it('costs one whole lockMs per name, then short waits: the next requests ask the provider themselves', async () => {
    const [instance] = await startInstances(1, service, redis!.url, { fleet: { lockMs: LOCK_MS } });
    const { key } = await service.createKey();
    const name = new EntryCodec(SECRET).name(createHash('sha256').update(key).digest('base64url'));
    await attacker.set(`{${instance!.prefix}}:l:${name}`, 'held', 'PX', 120_000);

    const first = await timed(() => instance!.verifier.verify(key));
    expect(first.value.valid).toBe(true);
    expect(first.ms).toBeGreaterThanOrEqual(LOCK_MS * 0.9);
    const later: number[] = [];
    for (let round = 0; round < 5; round++) {
      // Memory dropped (as the attacker's "drop everything" would): the next request is a miss again.
      instance!.verifier.invalidate(key);
      const next = await timed(() => instance!.verifier.verify(key));
      expect(next.value.valid).toBe(true);
      later.push(next.ms);
    }
    // Each is about SHORT_WAIT_MS; a whole lockMs each without the cap. Half of it is a margin no machine needs.
    expect(Math.max(...later)).toBeLessThan(LOCK_MS / 2);
    expect(instance!.provider.calls).toBe(6);
    await closeAll([instance!]);
  });

  it('a name is waited for briefly for ABANDONED_FOR_MS after a wait in vain, then wholly again', () => {
    const locks = new AbandonedLocks(LOCK_MS);
    expect(locks.waitMs('n', 0)).toBe(LOCK_MS);
    locks.waitedInVain('n', 0);
    expect(locks.waitMs('n', 1)).toBe(SHORT_WAIT_MS);
    expect(locks.waitMs('other', 1)).toBe(LOCK_MS);
    expect(locks.waitMs('n', ABANDONED_FOR_MS)).toBe(LOCK_MS);
  });
});
