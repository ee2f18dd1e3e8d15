import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Verifier } from '@keyguard/core';
import { load, startMeteringService, type MeteringService } from './local-service.js';

// Several instances batch the same key: each sees only its own admissions, so together they can go past a limit,
// by no more than the documented bound (instances × maxUnsettled), and the service never records more than the limit.
let service: MeteringService;

beforeAll(async () => {
  service = await startMeteringService();
});
afterAll(async () => {
  await service.stop();
});

const INSTANCES = 4;
const MAX_BATCH = 5;
const MAX_UNSETTLED = 20;

async function fleetRun(verifiers: Verifier[], key: string, requests: number) {
  const results = await Promise.all(verifiers.map((verifier) => load(verifier, key, requests / verifiers.length, 10)));
  await Promise.all(verifiers.map((verifier) => verifier.close()));
  const admitted = results.reduce((sum, result) => sum + result.admitted, 0);
  const metering = verifiers.map((verifier) => verifier.stats().metering);
  const refused = metering.reduce((sum, stats) => sum + stats.refused, 0);
  return { admitted, refused, metering };
}

describe('batched metering across instances', () => {
  it(`${INSTANCES} instances at a limit L: admissions stay within L + instances × maxUnsettled, and the service records at most L`, async () => {
    const limit = 200;
    const { key } = await service.createKey({
      ratelimits: [{ name: 'requests', limit, duration: 60_000, autoApply: true }],
    });
    const verifiers = Array.from({ length: INSTANCES }, () =>
      service.verifier({ mode: 'batched', maxBatch: MAX_BATCH, maxDelayMs: 10, maxUnsettled: MAX_UNSETTLED }),
    );
    const { admitted, refused, metering } = await fleetRun(verifiers, key, 1200);
    const recorded = (await service.used(key, ['requests'])).requests!;
    expect(recorded).toBeLessThanOrEqual(limit);
    expect(admitted).toBeGreaterThanOrEqual(limit - INSTANCES * MAX_BATCH);
    expect(admitted).toBeLessThanOrEqual(limit + INSTANCES * MAX_UNSETTLED);
    // Every admission is accounted for: recorded by the service, or refused by it (the overshoot).
    expect(metering.every((stats) => stats.unsettled === 0 && stats.lost === 0 && stats.inDoubt === 0)).toBe(true);
    expect(admitted).toBe(recorded + refused);
  });

  it(`${INSTANCES} instances spending credits: the key never goes below 0, and credits recorded + refused = admitted`, async () => {
    const credits = 300;
    const { key, keyId } = await service.createKey({ credits: { remaining: credits } });
    const verifiers = Array.from({ length: INSTANCES }, () =>
      service.verifier({ mode: 'batched', maxBatch: MAX_BATCH, maxDelayMs: 10, maxUnsettled: MAX_UNSETTLED }),
    );
    const { admitted, refused } = await fleetRun(verifiers, key, 1200);
    const left = (await service.creditsLeft(keyId))!;
    expect(left).toBeGreaterThanOrEqual(0);
    expect(admitted).toBeLessThanOrEqual(credits + INSTANCES * MAX_UNSETTLED);
    expect(admitted).toBe(credits - left + refused);
  });
});
