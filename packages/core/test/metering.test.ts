import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigurationError, createKeyguard, createVerifier } from '@keyguard/core';
import type { MeteringOptions, Provider, ProviderAnswer } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { Budget } from '../src/verifier/metering/budget.js';
import type { FleetMetering, SharedUnconfirmed } from '../src/verifier/types.js';
import { resolveMetering } from '../src/verifier/metering/options.js';

const answer: ProviderAnswer = { valid: false, code: 'NOT_FOUND', metered: false };
/** A provider of one's own, without cost support: the shape the README documents. */
const plainProvider: Provider = { name: 'custom', verify: async () => answer };
const unkeyProvider = () => unkey({ rootKey: 'unkey_root_metering_options_0001', baseUrl: 'http://127.0.0.1:1' });

describe('metering options', () => {
  it('batched defaults: maxBatch 100, maxDelayMs 1,000, margin = maxBatch, maxUnsettled = 10 × maxBatch', () => {
    expect(resolveMetering({ mode: 'batched' })).toEqual({
      maxBatch: 100,
      maxDelayMs: 1000,
      margin: 100,
      maxUnsettled: 1000,
    });
    expect(resolveMetering({ mode: 'batched', maxBatch: 10 })).toEqual({
      maxBatch: 10,
      maxDelayMs: 1000,
      margin: 10,
      maxUnsettled: 100,
    });
    expect(resolveMetering({ mode: 'strict' })).toBeUndefined();
    expect(resolveMetering(undefined)).toBeUndefined();
  });

  it('rejects settings that cannot work, at creation', () => {
    const bad: unknown[] = [
      { mode: 'lazy' },
      { mode: 'batched', maxBatch: 0 },
      { mode: 'batched', maxBatch: 2.5 },
      { mode: 'batched', maxDelayMs: 0 },
      { mode: 'batched', maxDelayMs: 120_000 },
      { mode: 'batched', maxBatch: 50, margin: 49 },
      { mode: 'batched', maxBatch: 50, maxUnsettled: 10 },
      { mode: 'strict', maxBatch: 10 },
      'batched',
    ];
    for (const metering of bad) {
      expect(() => resolveMetering(metering as MeteringOptions), JSON.stringify(metering)).toThrow(ConfigurationError);
      expect(
        () => createVerifier({ provider: unkeyProvider(), metering: metering as MeteringOptions }),
        JSON.stringify(metering),
      ).toThrow(ConfigurationError);
    }
  });

  it('batched needs a provider that takes a cost, the cache, and no cacheMeteredKeys', () => {
    expect(() => createVerifier({ provider: plainProvider, metering: { mode: 'batched' } })).toThrow(
      /does not support \(supportsCost\)/,
    );
    expect(() => createVerifier({ provider: unkeyProvider(), cache: false, metering: { mode: 'batched' } })).toThrow(
      /needs the cache/,
    );
    expect(() =>
      createVerifier({ provider: unkeyProvider(), cache: { cacheMeteredKeys: true }, metering: { mode: 'batched' } }),
    ).toThrow(/choose one/);
    expect(() => createVerifier({ provider: plainProvider, metering: { mode: 'strict' } })).not.toThrow();
  });

  it('is a verifier option: an adapter given a ready verifier refuses it beside', () => {
    const verifier = createVerifier({ provider: unkeyProvider() });
    expect(() => createKeyguard({ verifier, metering: { mode: 'batched' } } as never)).toThrow(
      /metering would be ignored/,
    );
  });

  it('stats report zeros for metering in strict mode', () => {
    expect(createVerifier({ provider: plainProvider }).stats().metering).toEqual({
      admitted: 0,
      settlements: 0,
      settled: 0,
      failedSettlements: 0,
      unsettled: 0,
      refused: 0,
      inDoubt: 0,
      lost: 0,
    });
  });

  it('types: mode is required, the rest optional numbers', () => {
    expectTypeOf<MeteringOptions['mode']>().toEqualTypeOf<'strict' | 'batched'>();
    expectTypeOf<{ mode: 'batched' }>().toMatchTypeOf<MeteringOptions>();
    expectTypeOf<{ maxBatch: number }>().not.toMatchTypeOf<MeteringOptions>();
  });
});

describe('a budget', () => {
  const window = (reset: number, limit = 100) => ({ limit, duration: 60_000, reset });

  it('estimates what is left as the newest answer minus admissions pending and spends in flight', () => {
    const budget = new Budget('limit:rl_1', 'requests', 'rl_1');
    budget.observe(80, 1, window(1000));
    budget.pending = 5;
    budget.inFlight = 10;
    expect(budget.estimate()).toBe(65);
    expect(budget.unsettled()).toBe(15);
  });

  it("takes the answer of the latest-sent call; an older call's late answer can only lower it, within the same window", () => {
    const budget = new Budget('limit:rl_1', 'requests');
    budget.observe(50, 2, window(1000));
    budget.observe(70, 1, window(1000));
    expect(budget.base).toBe(50);
    budget.observe(40, 1, window(1000));
    expect(budget.base).toBe(40);
    // An old answer from the previous window says nothing about this one.
    budget.observe(100, 3, window(2000));
    budget.observe(5, 2, window(1000));
    expect(budget.base).toBe(100);
    // A newer answer may raise it: a new window, a raised limit, a refill.
    budget.observe(500, 4, window(2000, 1000));
    expect([budget.base, budget.limit]).toEqual([500, 1000]);
  });
  describe('in a fleet sharing metering counts', () => {
    /** The fleet's side, as a verifier sees it: what it was told, and what it hands back as the others' counts. */
    function board() {
      const told = new Map<string, number>();
      const seen: SharedUnconfirmed = { unconfirmed: 0, released: 0 };
      const shared: FleetMetering = {
        share: (id, reset, units) => void told.set(`${id}@${reset}`, units),
        others: () => seen,
      };
      return { told, seen, shared };
    }

    it("tells the fleet its unconfirmed count on every change, and subtracts the others' as last read", () => {
      const { told, seen, shared } = board();
      const budget = new Budget('limit:rl_1', 'requests', 'rl_1', shared);
      budget.observe(100, 1, window(1000));
      budget.pending = 5;
      budget.inFlight = 3;
      expect(told.get('limit:rl_1@1000')).toBe(8);
      seen.unconfirmed = 30;
      expect(budget.estimate()).toBe(100 - 8 - 30);
      expect(budget.unsettled()).toBe(8);
    });

    it("keeps subtracting what the others settled since the newest answer's call was sent, until a newer answer", () => {
      const { seen, shared } = board();
      const budget = new Budget('credits:key_1', '', undefined, shared);
      seen.unconfirmed = 30;
      const sentAt = budget.releasedNow();
      budget.observe(100, 1, undefined, sentAt);
      expect(budget.estimate()).toBe(70);
      // Another instance settled its 30: its count went down, and the answer above may not hold them yet.
      seen.unconfirmed = 0;
      seen.released = 30;
      expect(budget.estimate()).toBe(70);
      // An older call answering late does not make them count as known.
      budget.observe(100, 0, undefined, 30);
      expect(budget.estimate()).toBe(70);
      // An answer to a call that did not spend this budget (a key's first verification) keeps the earlier mark.
      budget.observe(70, 2);
      expect(budget.estimate()).toBe(40);
      // The answer to a call sent after the decrease was seen holds them.
      budget.observe(70, 3, undefined, budget.releasedNow());
      expect(budget.estimate()).toBe(70);
    });

    it('moves its count to the new window when an answer opens one', () => {
      const { told, shared } = board();
      const budget = new Budget('limit:rl_1', 'requests', 'rl_1', shared);
      budget.observe(100, 1, window(1000));
      budget.inFlight = 4;
      budget.observe(100, 2, window(2000));
      expect([told.get('limit:rl_1@1000'), told.get('limit:rl_1@2000')]).toEqual([0, 4]);
    });
  });
});
