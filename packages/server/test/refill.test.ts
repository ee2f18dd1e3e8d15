import { describe, expect, it } from 'vitest';
import { lastRefillMoment, refillDue } from '../src/domain/credits/refill.js';

const at = (text: string) => Date.parse(text);

describe('credit refills', () => {
  it('daily: due once per UTC day', () => {
    const refill = { interval: 'daily' as const, amount: 10, refillDay: null };
    expect(lastRefillMoment(refill, at('2026-03-05T13:00:00Z'))).toBe(at('2026-03-05T00:00:00Z'));
    expect(refillDue(refill, at('2026-03-05T01:00:00Z'), at('2026-03-05T23:00:00Z'))).toBe(false);
    expect(refillDue(refill, at('2026-03-04T23:59:59Z'), at('2026-03-05T00:00:00Z'))).toBe(true);
  });

  it('monthly: on refillDay, or the last day of shorter months', () => {
    const refill = { interval: 'monthly' as const, amount: 10, refillDay: 31 };
    expect(lastRefillMoment(refill, at('2026-02-28T10:00:00Z'))).toBe(at('2026-02-28T00:00:00Z'));
    expect(lastRefillMoment(refill, at('2026-03-15T10:00:00Z'))).toBe(at('2026-02-28T00:00:00Z'));
    expect(lastRefillMoment({ ...refill, refillDay: null }, at('2026-01-15T00:00:00Z'))).toBe(
      at('2026-01-01T00:00:00Z'),
    );
    expect(lastRefillMoment({ ...refill, refillDay: 20 }, at('2026-01-15T00:00:00Z'))).toBe(at('2025-12-20T00:00:00Z'));
    expect(refillDue(refill, at('2026-02-27T00:00:00Z'), at('2026-02-28T00:00:01Z'))).toBe(true);
    expect(refillDue(refill, at('2026-02-28T00:00:01Z'), at('2026-03-30T00:00:00Z'))).toBe(false);
  });
});
