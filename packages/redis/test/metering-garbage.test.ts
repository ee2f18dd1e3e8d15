import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, type MeteringOptions, type Verifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { FaultFront } from '../../../test/metering/fault-front.js';
import { load, startMeteringService, type MeteringService } from '../../../test/metering/local-service.js';
import { redisFleet, type RedisFleet } from '../src/index.js';

// Metering counts in Redis are not signed: anyone who can write to Redis can put anything in their hash. Whatever they
// write, instances must not admit more than each would admit on its own (without sharing counts).
const redis = await redisOrSkip('packages/redis/test/metering-garbage.test.ts');
const SECRET = randomBytes(32).toString('base64url');
registerSecret(SECRET);

let service: MeteringService;
let front: FaultFront;
let frontUrl: string;
let writer: Redis;

beforeAll(async () => {
  if (!redis) return;
  service = await startMeteringService();
  front = new FaultFront(service.url);
  frontUrl = await front.start();
  writer = new Redis(redis.url);
});
afterAll(async () => {
  if (!redis) return;
  writer.disconnect();
  await front.stop();
  await service.stop();
  await redis.stop();
});

const INSTANCES = 2;
const MAX_BATCH = 5;
const MARGIN = MAX_BATCH;
const BURST = 5;

interface Instance {
  verifier: Verifier;
  fleet: RedisFleet;
}

async function startInstances(prefix: string, metering: Omit<MeteringOptions, 'mode'>, baseUrl: string) {
  const instances: Instance[] = Array.from({ length: INSTANCES }, () => {
    const fleet = redisFleet({ redis: redis!.url, secret: SECRET, prefix, timeoutMs: 2_000 });
    const verifier = createVerifier({
      provider: unkey({ rootKey: service.rootKey, baseUrl, timeoutMs: 30_000 }),
      metering: { mode: 'batched', ...metering },
      fleet,
    });
    return { verifier, fleet };
  });
  // Listening first: a bus that starts listening later drops memory (it may have missed invalidations).
  await Promise.all(instances.map((instance) => instance.fleet.ready()));
  return instances;
}

/** Fields no instance writes, each a way of reading past a plain `Number()`. */
function garbage(): Record<string, string> {
  const fades = String(Date.now() + 60_000);
  return {
    'x-infinite': `${'9'.repeat(400)}:${fades}`,
    'x-negative': `-7:${fades}`,
    'x-text': `lots:${fades}`,
    'x-fraction': `2.5:${fades}`,
    'x-huge': `99999999999:${fades}`,
    'x-past-2^31': `2147483648:${fades}`,
    'x-never-fades': `3:${'9'.repeat(400)}`,
  };
}

const exchange = async (instances: Instance[]) => {
  for (let pass = 0; pass < 2; pass++) await Promise.all(instances.map((instance) => instance.fleet.flush()));
};

const garbageCounted = (instances: Instance[]) =>
  instances.reduce((sum, { fleet }) => sum + fleet.stats().metering.garbage, 0);

describe.skipIf(!redis)('metering counts written into Redis by someone else', () => {
  it('an infinite, negative, fractional, textual or huge count never lets 2 instances admit more than each would alone', async () => {
    const limit = 100;
    const prefix = `g${randomBytes(4).toString('hex')}`;
    const { key, keyId } = await service.createKey({ credits: { remaining: limit } });
    const hash = `{${prefix}}:m:credits:${keyId}:inf`;
    // A cap on unconfirmed admissions far above the limit: only the estimates stop admission from memory.
    const instances = await startInstances(
      prefix,
      { maxBatch: MAX_BATCH, maxDelayMs: 10, maxUnsettled: 10 * limit },
      frontUrl,
    );
    // Admissions by verify() (upstream, or from memory when it has room), and by verifyCached() from memory.
    let verified = 0;
    let fromMemory = 0;
    let left: string[] = [];
    try {
      for (const { verifier } of instances) expect((await verifier.verify(key)).valid).toBe(true);
      verified += INSTANCES;
      // A count of Infinity read, then gone: what it released is Infinity, and an answer to a call sent after that
      // (one verification each, upstream) takes it as its starting point. Infinity − Infinity is NaN.
      await writer.hset(hash, garbage());
      await exchange(instances);
      await writer.hdel(hash, ...Object.keys(garbage()));
      await exchange(instances);
      for (const { verifier } of instances) expect((await verifier.verify(key)).valid).toBe(true);
      verified += INSTANCES;
      // Nothing confirmed from now on (a slow key service): only the estimates stand between the instances and the cap.
      const release = front.holdSettlements();
      try {
        for (let round = 0; round < 1_000; round++) {
          let thisRound = 0;
          for (const { verifier } of instances)
            for (let i = 0; i < BURST; i++) if (verifier.verifyCached(key)?.valid) thisRound += 1;
          if (thisRound === 0) break;
          fromMemory += thisRound;
          await writer.hset(hash, garbage());
          await exchange(instances);
        }
        left = Object.keys(await writer.hgetall(hash));
      } finally {
        release();
      }
    } finally {
      await Promise.all(instances.map((instance) => instance.verifier.close()));
    }
    const admitted = verified + fromMemory;
    const refused = instances.reduce((sum, { verifier }) => sum + verifier.stats().metering.refused, 0);
    const recorded = limit - (await service.creditsLeft(keyId))!;
    // Alone, an instance admits from memory at most what it was told is left, less the margin: one instance's limit.
    expect(admitted).toBeLessThanOrEqual(INSTANCES * limit);
    // And the counts are still shared: together they stay near the limit, as without the garbage.
    expect(admitted).toBeLessThanOrEqual(limit - MARGIN + (INSTANCES - 1) * (BURST + 1) + verified);
    expect(recorded).toBeLessThanOrEqual(limit);
    expect(admitted).toBe(recorded + refused);
    // The script dropped every field no instance writes, and said so.
    expect(left.filter((field) => field.startsWith('x-'))).toEqual([]);
    expect(garbageCounted(instances)).toBeGreaterThan(0);
  });

  it('garbage written all along while 2 instances spend 300 credits under load: nothing fails, the service stays at 0 or above', async () => {
    const credits = 300;
    const maxUnsettled = 20;
    const prefix = `g${randomBytes(4).toString('hex')}`;
    const { key, keyId } = await service.createKey({ credits: { remaining: credits } });
    const hash = `{${prefix}}:m:credits:${keyId}:inf`;
    const instances = await startInstances(prefix, { maxBatch: MAX_BATCH, maxDelayMs: 10, maxUnsettled }, service.url);
    let writing = true;
    const spam = (async () => {
      while (writing) {
        await writer.hset(hash, garbage());
        await new Promise((resolve) => setTimeout(resolve, 2));
        if (Math.random() < 0.5) await writer.hdel(hash, ...Object.keys(garbage()));
      }
    })();
    let results: Awaited<ReturnType<typeof load>>[];
    try {
      results = await Promise.all(instances.map((instance) => load(instance.verifier, key, 600, 10)));
    } finally {
      writing = false;
      await spam;
      await Promise.all(instances.map((instance) => instance.verifier.close()));
    }
    const admitted = results.reduce((sum, result) => sum + result.admitted, 0);
    const refused = instances.reduce((sum, { verifier }) => sum + verifier.stats().metering.refused, 0);
    const left = (await service.creditsLeft(keyId))!;
    const codes = new Set(results.flatMap((result) => Object.keys(result.codes)));
    expect([...codes].every((code) => code === 'VALID' || code === 'USAGE_EXCEEDED')).toBe(true);
    expect(left).toBeGreaterThanOrEqual(0);
    // The bound without sharing: each instance past the limit by at most its cap on unconfirmed admissions.
    expect(admitted).toBeLessThanOrEqual(credits + INSTANCES * maxUnsettled);
    expect(admitted).toBe(credits - left + refused);
    expect(garbageCounted(instances)).toBeGreaterThan(0);
  });
});
