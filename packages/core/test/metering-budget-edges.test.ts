import { describe, expect, it } from 'vitest';
import { Budget, KeyMeter } from '../src/verifier/metering/budget.js';
import type { FleetMetering, SharedUnconfirmed } from '../src/verifier/types.js';

// A metering budget's estimate at its edges: answers to the same call, a late answer under another limit, what the
// fleet hands back (including numbers no instance could have written), and when a budget or a meter is done with.
const window = (reset: number, limit = 100) => ({ limit, duration: 60_000, reset });

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

describe('a budget’s answers', () => {
  it('keeps the lower of two answers to the same call', () => {
    const budget = new Budget('limit:rl_1', 'requests');
    budget.observe(50, 1, window(1_000));
    budget.observe(70, 1, window(1_000));
    expect(budget.base).toBe(50);
  });

  it('does not let a late answer under another limit lower the estimate', () => {
    const budget = new Budget('limit:rl_1', 'requests');
    budget.observe(50, 2, window(1_000, 100));
    budget.observe(10, 1, window(1_000, 200));
    expect(budget.base).toBe(50);
  });

  it('without a fleet, nothing is held or released by others', () => {
    const budget = new Budget('credits:key_1', '');
    budget.observe(40, 1);
    expect([budget.othersHold(), budget.releasedNow(), budget.estimate()]).toEqual([0, 0, 40]);
  });
});

describe('a budget in a fleet sharing metering counts', () => {
  it('tells the fleet pending and in-flight units together, whichever changes', () => {
    const { told, shared } = board();
    const budget = new Budget('limit:rl_1', 'requests', 'rl_1', shared);
    budget.observe(100, 1, window(1_000));
    budget.inFlight = 3;
    budget.pending = 5;
    expect(told.get('limit:rl_1@1000')).toBe(8);
  });

  it('keeps its count in the window when an answer names the same one', () => {
    const { told, seen, shared } = board();
    const budget = new Budget('limit:rl_1', 'requests', 'rl_1', shared);
    budget.observe(100, 1, window(1_000));
    budget.inFlight = 4;
    seen.released = 30;
    budget.observe(90, 2, window(1_000), 10);
    expect(told.get('limit:rl_1@1000')).toBe(4);
    // Released after the call was sent (30 - 10) may not be in its answer yet: subtracted.
    expect(budget.estimate()).toBe(90 - 4 - 20);
  });

  it('counts what others settled since the answer’s call was sent, not since the start', () => {
    const { seen, shared } = board();
    const budget = new Budget('credits:key_1', '', undefined, shared);
    seen.released = 5;
    budget.observe(100, 1, undefined, 5);
    seen.released = 8;
    expect(budget.estimate()).toBe(97);
  });

  it('marks the first answer of a call that did not spend it at the others’ count then', () => {
    const { seen, shared } = board();
    const budget = new Budget('credits:key_1', '', undefined, shared);
    seen.released = 10;
    budget.observe(100, 1);
    seen.released = 25;
    expect(budget.estimate()).toBe(85);
  });

  it('leaves no room when the fleet hands back a count no instance could have written', () => {
    for (const seen of [
      { unconfirmed: -5, released: 0 },
      { unconfirmed: Number.NaN, released: 0 },
      { unconfirmed: 0, released: Number.POSITIVE_INFINITY },
    ]) {
      const budget = new Budget('credits:key_1', '', undefined, { share: () => {}, others: () => seen });
      budget.observe(100, 1, undefined, 0);
      expect(budget.estimate(), JSON.stringify(seen)).toBe(Number.NEGATIVE_INFINITY);
    }
  });
});

describe('when a budget and a meter are done with', () => {
  it('a budget is idle with no spender, nothing pending and nothing in flight', () => {
    const budget = new Budget('credits:key_1', '');
    expect(budget.idle).toBe(true);
    budget.pending = 1;
    expect(budget.idle).toBe(false);
    budget.pending = 0;
    budget.inFlight = 1;
    expect(budget.idle).toBe(false);
    budget.inFlight = 0;
    budget.spenders.add(new KeyMeter('digest_1', 'key_1'));
    expect(budget.idle).toBe(false);
  });

  it('a meter is quiet with no admission to settle and no call under way, and names its limits at first', () => {
    const meter = new KeyMeter('digest_1', 'key_1');
    expect([meter.quiet, meter.nameLimits]).toEqual([true, true]);
    meter.pending = 1;
    expect(meter.quiet).toBe(false);
    meter.pending = 0;
    meter.openCalls = 1;
    expect(meter.quiet).toBe(false);
  });
});
