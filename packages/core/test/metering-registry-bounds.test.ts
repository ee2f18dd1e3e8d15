import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderAnswer, VerificationCode } from '@keyguard/core';
import { BatchedMeter } from '../src/verifier/metering/batched-meter.js';
import type { MeteringHost } from '../src/verifier/metering/calls.js';
import type { FleetMetering, SharedUnconfirmed } from '../src/verifier/types.js';

// How much batched metering keeps: at most maxMeters keys (the cache's size), making room by dropping quiet keys,
// those no longer admitted first, then the oldest, down to nine tenths; and budgets no key uses any more are given up.
const NOW = 1_000_000;
const FRESH_MS = 60_000;
const SETTINGS = { maxBatch: 10, maxDelayMs: 60_000, margin: 10, maxUnsettled: 100 };

const creditedAnswer = (keyId: string, credits = 500, metered = true): ProviderAnswer => ({
  valid: true,
  code: 'VALID',
  metered,
  keyId,
  key: { id: keyId, provider: 'test', permissions: [], roles: [], meta: {}, enabled: true, credits },
});
const refusal = (code: VerificationCode): ProviderAnswer => ({ valid: false, code, metered: false });

const meters: BatchedMeter[] = [];
afterEach(async () => {
  await Promise.all(meters.splice(0).map((metering) => metering.close()));
});

function meteringFor(maxMeters: number, shared?: FleetMetering) {
  const settled: string[] = [];
  const host: MeteringHost = {
    settle: async (key) => void settled.push(key),
    freshMs: FRESH_MS,
    maxMeters,
    logger: { warn: () => {}, error: () => {} },
    shared,
  };
  const metering = new BatchedMeter(SETTINGS, host);
  meters.push(metering);
  const verify = (digest: string, answer: ProviderAnswer, now = NOW) =>
    metering.answered(metering.open(digest), answer, true, now);
  /** Keys d0, d1, … answered valid in that order (each at `answeredAt(index)`). */
  const track = (count: number, answeredAt: (index: number) => number = () => NOW) => {
    for (let index = 0; index < count; index++) verify(`d${index}`, creditedAnswer(`key_${index}`), answeredAt(index));
  };
  /** Which of d0 … d<count - 1> are admitted from memory now. */
  const admitted = (count: number) =>
    Array.from({ length: count }, (_, index) => `d${index}`).filter((digest) =>
      metering.admit(`sk_${digest}`, digest, NOW),
    );
  return { metering, settled, verify, track, admitted };
}

const digests = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => `d${from + index}`);

describe('at maxMeters keys', () => {
  it('drops the oldest quiet keys down to nine tenths, then tracks the new one', () => {
    const { verify, track, admitted } = meteringFor(20);
    track(20);
    verify('d20', creditedAnswer('key_20'));
    expect(admitted(21)).toEqual(digests(2, 20));
  });

  it('drops keys no longer admitted first: a refused one, one whose fresh window ended at this very moment', () => {
    const refused = meteringFor(20);
    refused.track(20);
    refused.verify('d5', refusal('INSUFFICIENT_PERMISSIONS'));
    refused.verify('d6', refusal('INSUFFICIENT_PERMISSIONS'));
    refused.verify('d20', creditedAnswer('key_20'));
    expect(refused.admitted(21)).toEqual(digests(0, 20).filter((digest) => digest !== 'd5' && digest !== 'd6'));

    const ended = meteringFor(20);
    ended.track(20, (index) => (index === 5 || index === 6 ? NOW - FRESH_MS : NOW));
    ended.verify('d20', creditedAnswer('key_20'));
    expect(ended.admitted(21)).toEqual(digests(0, 20).filter((digest) => digest !== 'd5' && digest !== 'd6'));
  });

  it('never drops a key with admissions waiting to be settled', async () => {
    const { metering, settled, verify, track, admitted } = meteringFor(20);
    track(20);
    expect(metering.admit('sk_d0', 'd0', NOW)).toBeDefined();
    verify('d20', creditedAnswer('key_20'));
    expect(admitted(21)).toEqual(['d0', ...digests(3, 20)]);
    await metering.close();
    expect(settled.filter((key) => key === 'sk_d0')).toHaveLength(1);
  });
});

describe('below maxMeters keys', () => {
  it('keeps a key that ended, so that a late answer of a call sent before cannot admit it again', () => {
    const { metering, verify } = meteringFor(20);
    const sentFirst = metering.open('d1');
    verify('d1', creditedAnswer('key_1'));
    verify('d1', refusal('DISABLED'));
    verify('d2', creditedAnswer('key_2'));
    metering.answered(sentFirst, creditedAnswer('key_1'), true, NOW);
    expect(metering.admit('sk_d1', 'd1', NOW)).toBeUndefined();
  });
});

describe('a budget no key uses any more', () => {
  it('is given up: taken again, it does not count what other instances settled before', () => {
    const seen: SharedUnconfirmed = { unconfirmed: 0, released: 0 };
    const { metering, verify } = meteringFor(20, { share: () => {}, others: () => seen });
    verify('d1', creditedAnswer('key_1'));
    verify('d1', creditedAnswer('key_1', undefined, false));
    seen.released = 30;
    verify('d1', creditedAnswer('key_1'));
    expect(metering.admit('sk_d1', 'd1', NOW)?.key?.credits).toBe(499);
  });
});
