import { describe, expect, it } from 'vitest';
import type { MeteringOptions } from '@keyguard/core';
import { resolveMetering, sharedMeteringRefreshMs } from '../src/verifier/metering/options.js';

// What a wrong `metering` option is told, word for word, and how often a fleet sharing metering counts refreshes them.
function messageOf(options: unknown): string {
  try {
    resolveMetering(options as MeteringOptions);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`accepted: ${JSON.stringify(options)}`);
}

describe('metering option messages', () => {
  it('asks for an object', () => {
    for (const options of [null, 'batched', 1]) {
      expect(messageOf(options)).toBe("metering must be an object such as { mode: 'batched' }");
    }
  });

  it('names the allowed modes', () => {
    expect(messageOf({ mode: 'lazy' })).toBe("metering.mode must be 'strict' or 'batched'");
  });

  it('names every batched-only setting given to strict metering', () => {
    expect(messageOf({ mode: 'strict', maxBatch: 10, margin: 10 })).toBe(
      "metering.maxBatch, margin only apply to mode 'batched'",
    );
    expect(messageOf({ mode: 'strict', maxUnsettled: 10 })).toBe("metering.maxUnsettled only apply to mode 'batched'");
  });

  it('gives the range of a setting out of it', () => {
    expect(messageOf({ mode: 'batched', maxBatch: 0 })).toBe('metering.maxBatch must be an integer from 1 to 1000000');
    expect(messageOf({ mode: 'batched', maxDelayMs: 60_001 })).toBe(
      'metering.maxDelayMs must be an integer from 1 to 60000',
    );
  });

  it('ties margin and maxUnsettled to maxBatch, and says so', () => {
    expect(messageOf({ mode: 'batched', maxBatch: 50, margin: 49 })).toBe(
      'metering.margin must be an integer of at least maxBatch (50)',
    );
    expect(messageOf({ mode: 'batched', maxBatch: 50, maxUnsettled: 10 })).toBe(
      'metering.maxUnsettled must be an integer of at least maxBatch (50)',
    );
  });
});

describe('the refresh of a fleet’s shared metering counts', () => {
  it('is a quarter of maxDelayMs, rounded, from 1 ms to 50 ms', () => {
    const refreshes = [1, 2, 6, 100, 200, 201, 1_000, 60_000].map(sharedMeteringRefreshMs);
    expect(refreshes).toEqual([1, 1, 2, 25, 50, 50, 50, 50]);
  });
});
