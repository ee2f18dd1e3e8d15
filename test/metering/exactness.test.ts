import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load, startMeteringService, type MeteringService } from './local-service.js';

// Batched metering against the local key service: what the service records after close() is exactly what was admitted.
let service: MeteringService;

beforeAll(async () => {
  service = await startMeteringService();
});
afterAll(async () => {
  await service.stop();
});

describe('batched metering: what the service records', () => {
  it('after N requests and close(), recorded credits and rate-limit counts equal the requests admitted', async () => {
    const { key, keyId } = await service.createKey({
      credits: { remaining: 100_000 },
      ratelimits: [
        { name: 'requests', limit: 100_000, duration: 60_000, autoApply: true },
        { name: 'burst', limit: 50_000, duration: 60_000, autoApply: true },
      ],
    });
    const verifier = service.verifier({ mode: 'batched', maxBatch: 10, maxDelayMs: 20 });
    const sequential = await load(verifier, key, 37, 1);
    const concurrent = await load(verifier, key, 500, 25);
    const admitted = sequential.admitted + concurrent.admitted;
    expect(admitted).toBe(537);
    const before = verifier.stats();
    expect(before.metering.admitted).toBeGreaterThan(400);
    await verifier.close();
    const stats = verifier.stats();
    expect(stats.metering).toMatchObject({ unsettled: 0, refused: 0, inDoubt: 0, lost: 0, failedSettlements: 0 });
    // Every admission is either its own upstream verification (which spent 1) or settled in a batch.
    expect(stats.metering.settled + (stats.upstreamCalls - stats.metering.settlements)).toBe(admitted);
    expect(await service.creditsLeft(keyId)).toBe(100_000 - admitted);
    expect(await service.used(key, ['requests', 'burst'])).toEqual({ requests: admitted, burst: admitted });
    // Batches of at most 10: far fewer upstream calls than requests.
    expect(stats.upstreamCalls).toBeLessThan(admitted / 5);
  });

  it('at a limit of L per window, one instance admits exactly L, and the service recorded L', async () => {
    const { key } = await service.createKey({
      ratelimits: [{ name: 'requests', limit: 120, duration: 60_000, autoApply: true }],
    });
    const verifier = service.verifier({ mode: 'batched', maxBatch: 8, maxDelayMs: 30 });
    const result = await load(verifier, key, 400, 20);
    expect(result.admitted).toBe(120);
    expect(result.codes).toEqual({ VALID: 120, RATE_LIMITED: 280 });
    // Most were admitted from memory; only the edge (the margin of one batch) went upstream one by one.
    expect(verifier.stats().metering.admitted).toBeGreaterThan(60);
    await verifier.close();
    expect(verifier.stats().metering).toMatchObject({ refused: 0, unsettled: 0, lost: 0 });
    expect(await service.used(key, ['requests'])).toEqual({ requests: 120 });
  });

  it('with credits C, one instance admits exactly C and the key ends with 0', async () => {
    const { key, keyId } = await service.createKey({ credits: { remaining: 75 } });
    const verifier = service.verifier({ mode: 'batched', maxBatch: 5, maxDelayMs: 30 });
    const result = await load(verifier, key, 200, 16);
    expect(result.codes).toEqual({ VALID: 75, USAGE_EXCEEDED: 125 });
    expect(verifier.stats().metering.admitted).toBeGreaterThan(37);
    await verifier.close();
    expect(await service.creditsLeft(keyId)).toBe(0);
    expect(verifier.stats().metering.refused).toBe(0);
  });

  it.each([
    { limit: 37, credits: undefined, maxBatch: 1, concurrency: 50 },
    { limit: 200, credits: undefined, maxBatch: 7, concurrency: 64 },
    { limit: 60, credits: 90, maxBatch: 3, concurrency: 30 },
    { limit: 500, credits: 130, maxBatch: 20, concurrency: 40 },
  ])(
    'exact under concurrency: limit $limit, credits $credits, maxBatch $maxBatch, $concurrency at once',
    async ({ limit, credits, maxBatch, concurrency }) => {
      const { key, keyId } = await service.createKey({
        ...(credits === undefined ? {} : { credits: { remaining: credits } }),
        ratelimits: [{ name: 'requests', limit, duration: 60_000, autoApply: true }],
      });
      const verifier = service.verifier({ mode: 'batched', maxBatch, maxDelayMs: 5 });
      const result = await load(verifier, key, 3 * Math.min(limit, credits ?? limit), concurrency);
      const expected = Math.min(limit, credits ?? limit);
      expect(result.admitted).toBe(expected);
      await verifier.close();
      expect(verifier.stats().metering).toMatchObject({ refused: 0, unsettled: 0, lost: 0, inDoubt: 0 });
      // As with Unkey, a request refused for want of credits still spent its rate-limit token upstream.
      const outOfCredits = result.answers.filter(
        (answer) => answer.code === 'USAGE_EXCEEDED' && answer.source === 'upstream',
      ).length;
      expect(await service.used(key, ['requests'])).toEqual({ requests: expected + outOfCredits });
      if (credits !== undefined) expect(await service.creditsLeft(keyId)).toBe(credits - expected);
    },
  );
});
