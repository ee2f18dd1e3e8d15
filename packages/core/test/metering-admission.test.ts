import { describe, expect, it } from 'vitest';
import { admissionBlocker, othersStandInTheWay, roomForOneUpstream } from '../src/verifier/metering/admission.js';
import { Budget, KeyMeter } from '../src/verifier/metering/budget.js';
import type { FleetMetering, SharedUnconfirmed } from '../src/verifier/types.js';

// When batched metering may admit a request from memory, at the edges of each rule: the fresh window, the margin,
// the cap on unconfirmed admissions, a window's reset, and what the other instances of a fleet hold.
const settings = { maxBatch: 10, maxDelayMs: 1_000, margin: 10, maxUnsettled: 20 };
const NOW = 1_000_000;

function budget(left: number, reset = Number.POSITIVE_INFINITY, shared?: FleetMetering): Budget {
  const made = new Budget(reset === Number.POSITIVE_INFINITY ? 'credits:key_1' : 'limit:rl_1', '', undefined, shared);
  made.observe(left, 1, reset === Number.POSITIVE_INFINITY ? undefined : { limit: 1_000, reset });
  return made;
}

function meter(credits: Budget | undefined, limits: Budget[] = [], admitUntil = NOW + 1_000): KeyMeter {
  const made = new KeyMeter('digest_1', 'key_1');
  made.credits = credits;
  made.limits = limits;
  made.admitUntil = admitUntil;
  return made;
}

describe('admitting from memory', () => {
  it('admits up to, never at, the end of the fresh window, and never while closing', () => {
    expect(admissionBlocker(meter(budget(100), [], NOW + 1), NOW, settings, false)).toBeUndefined();
    expect(admissionBlocker(meter(budget(100), [], NOW), NOW, settings, false)).toBe('edge');
    expect(admissionBlocker(meter(budget(100)), NOW, settings, true)).toBe('edge');
  });

  it('does not admit a key with no budget to count against', () => {
    expect(admissionBlocker(meter(undefined), NOW, settings, false)).toBe('edge');
    expect(admissionBlocker(meter(undefined, [budget(100, NOW + 500)]), NOW, settings, false)).toBeUndefined();
  });

  it('admits while more than the margin is left after the admission', () => {
    expect(admissionBlocker(meter(budget(11)), NOW, settings, false)).toBeUndefined();
    expect(admissionBlocker(meter(budget(10)), NOW, settings, false)).toBe('edge');
    expect(admissionBlocker(meter(undefined, [budget(11, NOW + 500)]), NOW, settings, false)).toBeUndefined();
    expect(admissionBlocker(meter(undefined, [budget(10, NOW + 500)]), NOW, settings, false)).toBe('edge');
  });

  it('does not admit on a rate limit whose window is over', () => {
    expect(admissionBlocker(meter(undefined, [budget(500, NOW + 1)]), NOW, settings, false)).toBeUndefined();
    expect(admissionBlocker(meter(undefined, [budget(500, NOW)]), NOW, settings, false)).toBe('edge');
  });

  it('stops at maxUnsettled unconfirmed admissions, and says so apart from the edge', () => {
    const credits = budget(1_000);
    credits.pending = 19;
    expect(admissionBlocker(meter(credits), NOW, settings, false)).toBeUndefined();
    credits.inFlight = 1;
    expect(admissionBlocker(meter(credits), NOW, settings, false)).toBe('unsettled');
  });

  it('answers the edge before the cap, whichever budget is at it', () => {
    const capped = budget(1_000);
    capped.pending = 20;
    const cappedLimit = budget(1_000, NOW + 500);
    cappedLimit.pending = 20;
    const roomy = budget(1_000, NOW + 500);
    expect(admissionBlocker(meter(capped, [budget(5, NOW + 500)]), NOW, settings, false)).toBe('edge');
    expect(admissionBlocker(meter(budget(5), [cappedLimit]), NOW, settings, false)).toBe('edge');
    expect(admissionBlocker(meter(undefined, [cappedLimit, budget(5, NOW + 500)]), NOW, settings, false)).toBe('edge');
    expect(admissionBlocker(meter(capped, [roomy]), NOW, settings, false)).toBe('unsettled');
    expect(admissionBlocker(meter(budget(1_000), [cappedLimit, roomy]), NOW, settings, false)).toBe('unsettled');
    expect(admissionBlocker(meter(undefined, [roomy, cappedLimit]), NOW, settings, false)).toBe('unsettled');
  });
});

describe('room for one verification upstream', () => {
  it('needs one unit left beyond every unconfirmed spend', () => {
    const credits = budget(5);
    credits.pending = 4;
    expect(roomForOneUpstream(meter(credits), NOW)).toBe(true);
    credits.inFlight = 1;
    expect(roomForOneUpstream(meter(credits), NOW)).toBe(false);
    expect(roomForOneUpstream(meter(budget(100), [credits]), NOW)).toBe(false);
  });

  it('past a window’s reset, needs that window’s spends answered', () => {
    const limit = budget(0, NOW);
    expect(roomForOneUpstream(meter(undefined, [limit]), NOW)).toBe(true);
    limit.inFlight = 1;
    expect(roomForOneUpstream(meter(undefined, [limit]), NOW)).toBe(false);
    const open = budget(0, NOW + 1);
    expect(roomForOneUpstream(meter(undefined, [open]), NOW)).toBe(false);
  });
});

describe('the other instances in the way', () => {
  function fleetSeeing(unconfirmed: number): FleetMetering {
    const seen: SharedUnconfirmed = { unconfirmed, released: 0 };
    return { share: () => {}, others: () => seen };
  }

  it('only when what they hold unconfirmed leaves a budget in its window no room for one', () => {
    expect(othersStandInTheWay(meter(budget(3, NOW + 500, fleetSeeing(3))), NOW)).toBe(true);
    expect(othersStandInTheWay(meter(budget(3, NOW + 500, fleetSeeing(2))), NOW)).toBe(false);
    expect(othersStandInTheWay(meter(budget(0, NOW + 500, fleetSeeing(0))), NOW)).toBe(false);
    expect(othersStandInTheWay(meter(budget(3, NOW, fleetSeeing(3))), NOW)).toBe(false);
    expect(othersStandInTheWay(meter(budget(100), [budget(3, NOW + 500, fleetSeeing(3))]), NOW)).toBe(true);
  });
});
