import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier, type Logger, type MeteringOptions, type Verifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { FaultFront } from '../../../test/metering/fault-front.js';
import { load, startMeteringService, type MeteringService } from '../../../test/metering/local-service.js';
import { redisFleet, type RedisFleet } from '../src/index.js';
import { recordingLogger } from './fleet-helpers.js';

// Instances batching the same key on one Redis fleet share their unconfirmed admissions: each one's estimate subtracts
// the others' as last read, so together they go past a limit only by what they admitted between two reads.
const redis = await redisOrSkip('packages/redis/test/shared-metering.test.ts');
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

const INSTANCES = 4;
const MAX_BATCH = 5;
/** The default margin is `maxBatch`. */
const MARGIN = MAX_BATCH;
/** Requests each instance answers from memory between two reads of the shared counts, in the lock-step runs. */
const BURST = 5;

interface Instance {
  verifier: Verifier;
  fleet: RedisFleet | undefined;
}

/** Instances of an app, each with its own fleet object (its own connections, as separate processes would have). */
async function startInstances(
  metering: Omit<MeteringOptions, 'mode'>,
  options: { shared: boolean; baseUrl: string; prefix?: string; logger?: Logger },
): Promise<Instance[]> {
  const prefix = options.prefix ?? `m${randomBytes(4).toString('hex')}`;
  const instances = Array.from({ length: INSTANCES }, () => {
    // What these tests check must not depend on how busy the machine is: Redis gets time to answer.
    const fleet = options.shared
      ? redisFleet({ redis: redis!.url, secret: SECRET, prefix, timeoutMs: 2_000, logger: options.logger })
      : undefined;
    // Settlements held in front of the service (below) must not time out: they would be counted in doubt.
    const verifier = createVerifier({
      provider: unkey({ rootKey: service.rootKey, baseUrl: options.baseUrl, timeoutMs: 30_000 }),
      metering: { mode: 'batched', ...metering },
      fleet,
    });
    return { verifier, fleet };
  });
  // Listening first: a bus's first subscription drops memory (it may have missed invalidations), and one that came after
  // an instance's first verification left that instance nothing to admit from.
  await Promise.all(instances.flatMap((instance) => (instance.fleet ? [instance.fleet.ready()] : [])));
  await vi.waitFor(() => expect(instances.every((instance) => instance.fleet?.stats().connected ?? true)).toBe(true), {
    timeout: 10_000,
    interval: 10,
  });
  return instances;
}

/** Writes every instance's counts, then reads them all back: each view then holds every count as it is now. */
async function exchangeCounts(instances: Instance[]): Promise<void> {
  for (let pass = 0; pass < 2; pass++)
    await Promise.all(instances.map((instance) => instance.fleet?.flush() ?? Promise.resolve()));
}

/**
 * Rounds in lock step: each instance answers BURST requests from memory alone (`verifyCached`, never upstream), then
 * the counts are exchanged, until a round admits none. Answers how many were admitted.
 */
async function lockStep(instances: Instance[], key: string): Promise<number> {
  let admitted = 0;
  for (let round = 0; round < 500; round++) {
    let thisRound = 0;
    for (const { verifier } of instances)
      for (let i = 0; i < BURST; i++) if (verifier.verifyCached(key)?.valid) thisRound += 1;
    if (thisRound === 0) return admitted;
    admitted += thisRound;
    await exchangeCounts(instances);
  }
  throw new Error('admission from memory never stopped');
}

/** What the instances admitted, what the service recorded and refused, once every verifier is closed. */
async function account(instances: Instance[], admitted: number, recorded: () => Promise<number>) {
  await Promise.all(instances.map((instance) => instance.verifier.close()));
  const metering = instances.map((instance) => instance.verifier.stats().metering);
  const refused = metering.reduce((sum, stats) => sum + stats.refused, 0);
  expect(metering.every((stats) => stats.unsettled === 0 && stats.lost === 0 && stats.inDoubt === 0)).toBe(true);
  return { admitted, recorded: await recorded(), refused };
}

type Budget = 'limit' | 'credits';
const LIMIT = 100;

/**
 * A key with a limit (or credits) of LIMIT, learned by each instance with one upstream verification each; then, with
 * settlements held in front of the service (a slow service: nothing is confirmed meanwhile), the instances admit in
 * lock step; then the settlements go through and the verifiers close.
 */
async function heldRun(budget: Budget, shared: boolean) {
  const created =
    budget === 'limit'
      ? await service.createKey({
          ratelimits: [{ name: 'requests', limit: LIMIT, duration: 3_600_000, autoApply: true }],
        })
      : await service.createKey({ credits: { remaining: LIMIT } });
  const prefix = `m${randomBytes(4).toString('hex')}`;
  const instances = await startInstances(
    { maxBatch: MAX_BATCH, maxDelayMs: 10, maxUnsettled: LIMIT },
    { shared, baseUrl: frontUrl, prefix },
  );
  for (const { verifier } of instances) expect((await verifier.verify(created.key)).valid).toBe(true);
  const release = front.holdSettlements();
  let fromMemory: number;
  let sharedKeys: string[] = [];
  try {
    fromMemory = await lockStep(instances, created.key);
    if (shared) {
      const inspect = new Redis(redis!.url);
      sharedKeys = await inspect.keys(`{${prefix}}:m:*`);
      inspect.disconnect();
    }
  } finally {
    release();
  }
  const result = await account(instances, INSTANCES + fromMemory, async () =>
    budget === 'limit'
      ? (await service.used(created.key, ['requests'])).requests!
      : LIMIT - (await service.creditsLeft(created.keyId))!,
  );
  return { ...result, sharedKeys, keyId: created.keyId, key: created.key };
}

describe.skipIf(!redis)('batched metering shared on a Redis fleet', () => {
  for (const budget of ['limit', 'credits'] as const) {
    it(`${budget}: ${INSTANCES} instances at ${LIMIT}, nothing confirmed meanwhile: without Redis they admit about ${INSTANCES} × the budget; sharing, at most L − margin + (N − 1) × (burst + 1)`, async () => {
      const alone = await heldRun(budget, false);
      // Each instance sees only its own admissions: it admits until its own estimate reaches the margin.
      expect(alone.admitted).toBeGreaterThanOrEqual(INSTANCES * (LIMIT - MARGIN - INSTANCES) + INSTANCES);
      expect(alone.recorded).toBeLessThanOrEqual(LIMIT);
      expect(alone.admitted).toBe(alone.recorded + alone.refused);

      const shared = await heldRun(budget, true);
      // An admission misses at most the others' admissions of this round (N − 1 bursts) and the others' first
      // upstream verifications (N − 1), which no count carries: the overshoot is that, less the margin.
      expect(shared.admitted).toBeLessThanOrEqual(LIMIT - MARGIN + (INSTANCES - 1) * (BURST + 1));
      expect(shared.admitted).toBeGreaterThanOrEqual(LIMIT - MARGIN - INSTANCES);
      expect(shared.recorded).toBeLessThanOrEqual(LIMIT);
      expect(shared.admitted).toBe(shared.recorded + shared.refused);
      // One hash for the budget and window, named by the limit's or the key's id (never the key).
      expect(shared.sharedKeys).toHaveLength(1);
      expect(shared.sharedKeys[0]).toMatch(
        budget === 'limit' ? /:m:limit:rl_\w+:\d+$/ : new RegExp(`:m:credits:${shared.keyId}:inf$`),
      );
      expect(shared.sharedKeys[0]).not.toContain(shared.key);
    });
  }

  it(`${INSTANCES} instances under concurrent load: the service records at most L, admitted = recorded + refused, and each reads the others' counts`, async () => {
    const limit = 200;
    const maxUnsettled = 20;
    const { key } = await service.createKey({
      ratelimits: [{ name: 'requests', limit, duration: 3_600_000, autoApply: true }],
    });
    const instances = await startInstances(
      { maxBatch: MAX_BATCH, maxDelayMs: 10, maxUnsettled },
      { shared: true, baseUrl: service.url },
    );
    const results = await Promise.all(instances.map((instance) => load(instance.verifier, key, 300, 10)));
    const trips = instances.map((instance) => instance.fleet!.stats().metering.trips);
    const admitted = results.reduce((sum, result) => sum + result.admitted, 0);
    const { recorded, refused } = await account(
      instances,
      admitted,
      async () => (await service.used(key, ['requests'])).requests!,
    );
    expect(recorded).toBeLessThanOrEqual(limit);
    expect(admitted).toBeGreaterThanOrEqual(limit - INSTANCES * MAX_BATCH);
    // Sharing never raises an estimate: the bound without it holds whatever the timing.
    expect(admitted).toBeLessThanOrEqual(limit + INSTANCES * maxUnsettled);
    expect(admitted).toBe(recorded + refused);
    expect(trips.every((count) => count > 0)).toBe(true);
    // Closed verifiers leave no counts behind.
    const inspect = new Redis(redis!.url);
    const left = await inspect.keys('{m*}:m:*');
    inspect.disconnect();
    expect(left).toEqual([]);
  });

  // Last: it kills this file's Redis.
  it("with Redis stopped, batched metering goes on with each instance's own counts", async () => {
    const limit = 200;
    const maxUnsettled = 20;
    const { key } = await service.createKey({
      ratelimits: [{ name: 'requests', limit, duration: 3_600_000, autoApply: true }],
    });
    // Keeps the outage warnings (tested in outage.test.ts) out of the output.
    const logger = recordingLogger();
    const instances = await startInstances(
      { maxBatch: MAX_BATCH, maxDelayMs: 10, maxUnsettled },
      { shared: true, baseUrl: service.url, logger },
    );
    await redis!.kill();
    await vi.waitFor(() => expect(instances.every((instance) => !instance.fleet!.stats().connected)).toBe(true), {
      timeout: 10_000,
      interval: 10,
    });
    const results = await Promise.all(instances.map((instance) => load(instance.verifier, key, 300, 10)));
    const fleetStats = instances.map((instance) => instance.fleet!.stats().metering);
    const admitted = results.reduce((sum, result) => sum + result.admitted, 0);
    const fromMemory = instances.reduce((sum, instance) => sum + instance.verifier.stats().metering.admitted, 0);
    const { recorded, refused } = await account(
      instances,
      admitted,
      async () => (await service.used(key, ['requests'])).requests!,
    );
    expect(
      results
        .flatMap((result) => Object.keys(result.codes))
        .every((code) => code === 'VALID' || code === 'RATE_LIMITED'),
    ).toBe(true);
    expect(fromMemory).toBeGreaterThan(0);
    expect(fleetStats.every((stats) => stats.trips === 0 && stats.withoutRedis > 0)).toBe(true);
    expect(recorded).toBeLessThanOrEqual(limit);
    expect(admitted).toBeLessThanOrEqual(limit + INSTANCES * maxUnsettled);
    expect(admitted).toBe(recorded + refused);
  });
});
