import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier, type MeteringOptions, type Verifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { FaultFront } from '../../../test/metering/fault-front.js';
import { startMeteringService, type MeteringService } from '../../../test/metering/local-service.js';
import { redisFleet, type RedisFleet } from '../src/index.js';

// How often an instance reads the others' counts, as the README promises it (every quarter of `maxDelayMs` while a
// budget is in use), and that an instance which only reads keeps its view of them.
const redis = await redisOrSkip('packages/redis/test/metering-cadence.test.ts');
const SECRET = randomBytes(32).toString('base64url');
registerSecret(SECRET);

let service: MeteringService;
let front: FaultFront;
let frontUrl: string;

beforeAll(async () => {
  if (!redis) return;
  service = await startMeteringService();
  front = new FaultFront(service.url);
  frontUrl = await front.start();
});
afterAll(async () => {
  if (!redis) return;
  await front.stop();
  await service.stop();
  await redis.stop();
});

interface Instance {
  verifier: Verifier;
  fleet: RedisFleet;
}

/** Instances of an app on one fleet prefix, each with its own fleet object (its own connections). */
async function startInstances(count: number, metering: Omit<MeteringOptions, 'mode'>, baseUrl: string) {
  const prefix = `c${randomBytes(4).toString('hex')}`;
  const instances: Instance[] = Array.from({ length: count }, () => {
    // What these tests check must not depend on how busy the machine is: Redis gets time to answer.
    const fleet = redisFleet({ redis: redis!.url, secret: SECRET, prefix, timeoutMs: 2_000 });
    const verifier = createVerifier({
      provider: unkey({ rootKey: service.rootKey, baseUrl, timeoutMs: 30_000 }),
      metering: { mode: 'batched', ...metering },
      fleet,
    });
    return { verifier, fleet };
  });
  // Listening first: a bus that starts listening later drops memory (it may have missed invalidations), answers too.
  await Promise.all(instances.map((instance) => instance.fleet.ready()));
  await vi.waitFor(() => expect(instances.every((instance) => instance.fleet.stats().connected)).toBe(true), {
    timeout: 10_000,
    interval: 10,
  });
  return instances;
}

const trips = (instance: Instance) => instance.fleet.stats().metering.trips;

describe.skipIf(!redis)('shared metering counts: how often they are read', () => {
  it('4 instances admitting a request every few ms with maxDelayMs 100 read the counts about every 25 ms each, not every keep-alive (500 ms)', async () => {
    const maxDelayMs = 100;
    const refreshMs = maxDelayMs / 4;
    const { key } = await service.createKey({ credits: { remaining: 1_000_000 } });
    const instances = await startInstances(4, { maxBatch: 1_000, maxDelayMs, maxUnsettled: 10_000 }, service.url);
    let admitted = 0;
    let elapsed: number;
    let made: number[];
    try {
      for (const { verifier } of instances) expect((await verifier.verify(key)).valid).toBe(true);
      // A pause longer than a round trip: each count is then held unchanged, the moment a keep-alive is set.
      await sleep(4 * refreshMs);
      const before = instances.map(trips);
      const startedAt = performance.now();
      // Paced, as requests arriving apart: a round trip (about a millisecond) mostly ends with no admission during it.
      await Promise.all(
        instances.map(async ({ verifier }) => {
          while (performance.now() - startedAt < 2_000) {
            if (verifier.verifyCached(key)?.valid) admitted += 1;
            await sleep(8);
          }
        }),
      );
      elapsed = performance.now() - startedAt;
      made = instances.map((instance, index) => trips(instance) - before[index]!);
    } finally {
      await Promise.all(instances.map((instance) => instance.verifier.close()));
    }
    const documented = elapsed / refreshMs;
    console.info(
      `cadence: ${made.join(', ')} round trips in ${Math.round(elapsed)} ms (documented: ${Math.round(documented)} each), ${admitted} admitted from memory`,
    );
    expect(admitted).toBeGreaterThan(0);
    // Half the documented figure: timers on a loaded 2-core machine fire late, but not by a factor of two on average.
    for (const count of made) expect(count).toBeGreaterThanOrEqual(documented / 2);
  });

  it('an instance that only reads (nothing of its own unconfirmed) keeps the others’ counts between reads, and refreshes them', async () => {
    const limit = 100;
    const { key } = await service.createKey({ credits: { remaining: limit } });
    // Through the front, so the settlements can be held: the other instance's count then stays as it is.
    const [holder, reader] = (await startInstances(
      2,
      { maxBatch: 5, maxDelayMs: 100, maxUnsettled: limit },
      frontUrl,
    )) as [Instance, Instance];
    let readerAdmitted = 0;
    try {
      for (const { verifier } of [holder, reader]) expect((await verifier.verify(key)).valid).toBe(true);
      await readsOnly(holder, reader, key, () => (readerAdmitted += 1));
      // Settled and confirmed, the holder's count goes to 0: the reader, still reading now and then, sees it go.
      await vi.waitFor(
        () => {
          if (reader.verifier.verifyCached(key)?.valid) readerAdmitted += 1;
          expect(reader.fleet.stats().metering.othersUnconfirmed).toBe(0);
        },
        { timeout: 10_000, interval: 60 },
      );
    } finally {
      await Promise.all([holder.verifier.close(), reader.verifier.close()]);
    }
    expect(readerAdmitted).toBe(0);
  });
});

/**
 * With settlements held (nothing confirmed), the holder admits from memory up to its margin, which leaves the reader
 * no room but what the holder holds; the reader then reads, apart by more than a round trip, and must see it each time.
 */
async function readsOnly(holder: Instance, reader: Instance, key: string, admitted: () => void): Promise<void> {
  const release = front.holdSettlements();
  try {
    let held = 0;
    while (holder.verifier.verifyCached(key)?.valid) held += 1;
    expect(held).toBeGreaterThan(50);
    for (let pass = 0; pass < 2; pass++) await Promise.all([holder.fleet.flush(), reader.fleet.flush()]);
    // Each read finds the view as the round trip after the previous read left it, with no read in between.
    for (let read = 0; read < 20; read++) {
      expect(reader.fleet.stats().metering.othersUnconfirmed).toBe(held);
      if (reader.verifier.verifyCached(key)?.valid) admitted();
      await sleep(60);
    }
    expect(reader.fleet.stats().metering.othersUnconfirmed).toBe(held);
  } finally {
    release();
  }
}
