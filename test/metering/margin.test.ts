import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load, startMeteringService, type MeteringService } from './local-service.js';

// Where admission from memory stops. One request at a time, so each count is exact: the first request learns the
// limit upstream (L − 1 left), memory then admits while more than `margin` would be left after the admission, and
// the last `margin` requests of the window go upstream one by one.
let service: MeteringService;

beforeAll(async () => {
  service = await startMeteringService();
});
afterAll(async () => {
  await service.stop();
});

async function oneAtATime(limit: number, metering: { maxBatch?: number; margin?: number }) {
  const { key } = await service.createKey({
    ratelimits: [{ name: 'requests', limit, duration: 60_000, autoApply: true }],
  });
  const verifier = service.verifier({ mode: 'batched', maxDelayMs: 60_000, ...metering });
  const result = await load(verifier, key, limit + 3, 1);
  const fromMemory = result.answers.filter((answer) => answer.valid && answer.source === 'cache').length;
  const admitted = verifier.stats().metering.admitted;
  await verifier.close();
  return { ...result, fromMemory, admitted, used: (await service.used(key, ['requests'])).requests };
}

describe('batched metering: the margin', () => {
  it('a limit of 20 with margin 5: 14 admitted from memory (L − 1 − margin), 6 upstream, then 429', async () => {
    const result = await oneAtATime(20, { maxBatch: 5, margin: 5 });
    expect(result.codes).toEqual({ VALID: 20, RATE_LIMITED: 3 });
    expect(result.fromMemory).toBe(14);
    expect(result.admitted).toBe(14);
    // The valid answers that were not admitted from memory: the first (learns the limit) and the margin's 5.
    expect(result.answers.slice(0, 20).map((answer) => answer.source)).toEqual([
      'upstream',
      ...Array<string>(14).fill('cache'),
      ...Array<string>(5).fill('upstream'),
    ]);
    expect(result.used).toBe(20);
  });

  it('a limit of 100 with margin 30 (maxBatch 10): 69 admitted from memory', async () => {
    const result = await oneAtATime(100, { maxBatch: 10, margin: 30 });
    expect(result.codes).toEqual({ VALID: 100, RATE_LIMITED: 3 });
    expect(result.admitted).toBe(69);
    expect(result.used).toBe(100);
  });

  it("the core README's example: 10 a minute with maxBatch and margin 2 answers as its comment says", async () => {
    const result = await oneAtATime(10, { maxBatch: 2, margin: 2 });
    expect(result.answers.slice(0, 12).map(({ valid, source }) => `${valid} ${source}`)).toEqual([
      'true upstream',
      ...Array<string>(7).fill('true cache'),
      'true upstream',
      'true upstream',
      'false upstream',
      'false cache',
    ]);
    expect(result.used).toBe(10);
  });

  it('defaults (maxBatch and margin 100): a limit of 10 is never admitted from memory, every request goes upstream', async () => {
    const result = await oneAtATime(10, {});
    expect(result.codes).toEqual({ VALID: 10, RATE_LIMITED: 3 });
    expect(result.admitted).toBe(0);
    expect(result.answers.slice(0, 10).every((answer) => answer.source === 'upstream')).toBe(true);
    expect(result.used).toBe(10);
  });
});
