import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProviderAnswer, RateLimitState, VerificationCode, VerificationCost } from '@keyguard/core';
import { BatchedMeter } from '../src/verifier/metering/batched-meter.js';
import type { MeteredCall, MeteringHost } from '../src/verifier/metering/calls.js';

// What batched metering learns from each upstream answer about a key: whether it is admitted from memory, which
// budgets (credits, rate limits) its admissions count against, and what becomes of admissions still waiting to be
// settled when the key is refused, ends, or is no longer metered. Each answer is handed to the meter as the verifier
// hands it over; settlements are recorded, not answered, unless a test answers them.
const NOW = 1_000_000;
const RESET = NOW + 60_000;
const SETTINGS = { maxBatch: 10, maxDelayMs: 60_000, margin: 10, maxUnsettled: 100 };

interface KeyShape {
  credits?: number;
  ratelimits?: RateLimitState[];
}

function validAnswer(keyId: string, shape: KeyShape, metered = true): ProviderAnswer {
  const key = { id: keyId, provider: 'test', permissions: [], roles: [], meta: {}, enabled: true, ...shape };
  return {
    valid: true,
    code: 'VALID',
    metered,
    keyId,
    key,
    ...(shape.ratelimits ? { ratelimits: shape.ratelimits } : {}),
  };
}

function invalidAnswer(code: VerificationCode, ratelimits?: RateLimitState[]): ProviderAnswer {
  return { valid: false, code, metered: false, ...(ratelimits ? { ratelimits } : {}) };
}

function limit(name: string, remaining: number, id?: string): RateLimitState {
  return { ...(id ? { id } : {}), name, limit: 1_000, remaining, reset: RESET, exceeded: false, duration: 60_000 };
}

function meteringFor() {
  const sent: { key: string; cost: VerificationCost; call: MeteredCall }[] = [];
  const host: MeteringHost = {
    settle: async (key, _digest, cost, call) => void sent.push({ key, cost, call }),
    freshMs: 60_000,
    maxMeters: 1_000,
    logger: { warn: () => {}, error: () => {} },
  };
  const metering = new BatchedMeter(SETTINGS, host);
  meters.push(metering);
  /** One request of the key verified upstream, answered at `now`. */
  const verify = (digest: string, answer: ProviderAnswer, now = NOW) =>
    metering.answered(metering.open(digest), answer, true, now);
  const admitTimes = (digest: string, times: number) => {
    for (let index = 0; index < times; index++) expect(metering.admit(`sk_${digest}`, digest, NOW)).toBeDefined();
  };
  return { metering, sent, verify, admitTimes };
}

const meters: BatchedMeter[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(meters.splice(0).map((metering) => metering.close()));
});

describe('whether an answer admits the key from memory', () => {
  it('does not admit on an answer sent before an invalidation, though no newer one came', () => {
    const { metering, verify } = meteringFor();
    verify('d1', validAnswer('key_1', { credits: 500 }));
    expect(metering.admit('sk_d1', 'd1', NOW)).toBeDefined();
    const sentBefore = metering.open('d1');
    metering.forget('d1');
    metering.answered(sentBefore, validAnswer('key_1', { credits: 499 }), false, NOW);
    expect(metering.admit('sk_d1', 'd1', NOW)).toBeUndefined();
    verify('d1', validAnswer('key_1', { credits: 498 }));
    expect(metering.admit('sk_d1', 'd1', NOW)).toBeDefined();
  });

  it('takes an invalid answer about a key it does not meter as nothing to learn', () => {
    const { metering, verify } = meteringFor();
    expect(() => verify('d1', invalidAnswer('NOT_FOUND'))).not.toThrow();
    expect(metering.admit('sk_d1', 'd1', NOW)).toBeUndefined();
    expect(metering.stats()).toMatchObject({ admitted: 0, refused: 0, unsettled: 0 });
  });

  it('stops admitting a key an answer refuses, until a newer answer says it is valid', () => {
    const { metering, verify } = meteringFor();
    verify('d1', validAnswer('key_1', { credits: 500 }));
    verify('d1', invalidAnswer('INSUFFICIENT_PERMISSIONS'));
    expect(metering.admit('sk_d1', 'd1', NOW)).toBeUndefined();
    verify('d1', validAnswer('key_1', { credits: 499 }));
    expect(metering.admit('sk_d1', 'd1', NOW)).toBeDefined();
  });

  it('never admits on an invalid answer, though a custom provider put the key and its credits in it', () => {
    const { metering, verify } = meteringFor();
    const refusedWithKey = { ...validAnswer('key_1', { credits: 500 }), valid: false, code: 'RATE_LIMITED' as const };
    verify('d1', refusedWithKey);
    expect(metering.admit('sk_d1', 'd1', NOW)).toBeUndefined();
    verify('d1', validAnswer('key_1', { credits: 500 }));
    verify('d1', refusedWithKey);
    expect(metering.admit('sk_d1', 'd1', NOW)).toBeUndefined();
  });

  it('lets a refusal answered late for an older call neither stop admissions nor change the credits', () => {
    const { metering, verify } = meteringFor();
    verify('d1', validAnswer('key_1', { credits: 500 }));
    const older = metering.open('d1');
    verify('d1', validAnswer('key_1', { credits: 499 }));
    metering.answered(older, invalidAnswer('INSUFFICIENT_PERMISSIONS'), true, NOW);
    expect(metering.admit('sk_d1', 'd1', NOW)?.key?.credits).toBe(498);
  });
});

describe('what admissions waiting to be settled count against', () => {
  it('a key no longer metered upstream is still reported, spending no credits or limits it no longer has', async () => {
    const { metering, sent, verify, admitTimes } = meteringFor();
    verify('d1', validAnswer('key_1', { credits: 500, ratelimits: [limit('requests', 500)] }));
    admitTimes('d1', 3);
    verify('d1', validAnswer('key_1', {}, false));
    expect(metering.admit('sk_d1', 'd1', NOW)).toBeUndefined();
    await metering.close();
    expect(sent.map(({ cost, call }) => [call.units, cost])).toEqual([[3, { credits: 0, ratelimits: [] }]]);
  });

  it('a rate-limited answer keeps them counted against the key’s credits and limits', async () => {
    const { metering, sent, verify, admitTimes } = meteringFor();
    verify('d1', validAnswer('key_1', { credits: 500, ratelimits: [limit('requests', 500)] }));
    admitTimes('d1', 3);
    const answer = { ...validAnswer('key_1', {}), valid: false, code: 'RATE_LIMITED' as const, metered: false };
    verify('d1', { ...answer, ratelimits: [{ ...limit('requests', 0), exceeded: true }] });
    await metering.close();
    expect(sent.map(({ cost }) => cost)).toEqual([{ credits: 3, ratelimits: [{ name: 'requests', cost: 3 }] }]);
    expect(metering.stats()).toMatchObject({ refused: 0, lost: 0 });
  });

  it('each key has its own credits, and its own limits when they have no id', () => {
    const { metering, verify } = meteringFor();
    verify('d1', validAnswer('key_1', { credits: 500, ratelimits: [limit('requests', 400)] }));
    verify('d2', validAnswer('key_2', { credits: 5, ratelimits: [limit('requests', 4)] }));
    const admitted = metering.admit('sk_d1', 'd1', NOW);
    expect(admitted?.key?.credits).toBe(499);
    expect(admitted?.ratelimits?.map((state) => state.remaining)).toEqual([399]);
  });

  it('a key with rate limits only shows and settles no credits', async () => {
    const { metering, sent, verify } = meteringFor();
    verify('d1', validAnswer('key_1', { ratelimits: [limit('requests', 400)] }));
    const admitted = metering.admit('sk_d1', 'd1', NOW);
    expect(admitted?.key && 'credits' in admitted.key).toBe(false);
    await metering.close();
    expect(sent.map(({ cost }) => cost)).toEqual([{ credits: 0, ratelimits: [{ name: 'requests', cost: 1 }] }]);
  });

  it('they move to the limits a newer answer lists, and leave the ones it no longer lists', () => {
    const { metering, verify, admitTimes } = meteringFor();
    verify('da', validAnswer('key_a', { credits: 1_000, ratelimits: [limit('team', 500, 'rl_team')] }));
    verify('dc', validAnswer('key_c', { ratelimits: [limit('team', 500, 'rl_team')] }));
    admitTimes('da', 3);
    verify('da', validAnswer('key_a', { credits: 1_000, ratelimits: [limit('own', 400, 'rl_own')] }));
    const moved = metering.admit('sk_da', 'da', NOW);
    expect([moved?.key?.credits, moved?.ratelimits?.map((state) => [state.name, state.remaining])]).toEqual([
      996,
      [['own', 396]],
    ]);
    expect(metering.admit('sk_dc', 'dc', NOW)?.ratelimits?.map((state) => state.remaining)).toEqual([499]);
  });
});

describe('the limits an identity’s keys share', () => {
  it('a rate-limited answer for one key holds back the others', () => {
    const { metering, verify } = meteringFor();
    verify('da', validAnswer('key_a', { ratelimits: [limit('team', 500, 'rl_team')] }));
    verify('db', validAnswer('key_b', { ratelimits: [limit('team', 500, 'rl_team')] }));
    expect(metering.admit('sk_da', 'da', NOW)).toBeDefined();
    verify('db', invalidAnswer('RATE_LIMITED', [{ ...limit('team', 0, 'rl_team'), exceeded: true }]));
    expect(metering.admit('sk_da', 'da', NOW)).toBeUndefined();
  });

  it('a key that ends takes what it had pending off the limit it shared', () => {
    const { metering, verify, admitTimes } = meteringFor();
    verify('da', validAnswer('key_a', { ratelimits: [limit('team', 500, 'rl_team')] }));
    verify('db', validAnswer('key_b', { ratelimits: [limit('team', 500, 'rl_team')] }));
    admitTimes('da', 3);
    verify('da', invalidAnswer('DISABLED'));
    expect(metering.admit('sk_db', 'db', NOW)?.ratelimits?.map((state) => state.remaining)).toEqual([499]);
  });
});

describe('credits used up upstream', () => {
  it('an answer that they are used up leaves no room: what was admitted is settled before a request goes upstream', () => {
    const { metering, sent, verify, admitTimes } = meteringFor();
    verify('d1', validAnswer('key_1', { credits: 500 }));
    admitTimes('d1', 3);
    verify('d1', invalidAnswer('USAGE_EXCEEDED'));
    expect(metering.mayVerifyNow('d1', NOW)).toBe(false);
    expect(metering.settleFirst('d1')).toBeDefined();
    expect(sent.map(({ call }) => call.units)).toEqual([3]);
  });

  it('other refusals leave the credits as they were', () => {
    const { metering, verify, admitTimes } = meteringFor();
    verify('d1', validAnswer('key_1', { credits: 500 }));
    admitTimes('d1', 3);
    verify('d1', invalidAnswer('INSUFFICIENT_PERMISSIONS'));
    expect(metering.mayVerifyNow('d1', NOW)).toBe(true);
  });

  it('said of a key metered by rate limits alone, it changes nothing', () => {
    const { metering, verify } = meteringFor();
    verify('d1', validAnswer('key_1', { ratelimits: [limit('requests', 400)] }));
    expect(() => verify('d1', invalidAnswer('USAGE_EXCEEDED'))).not.toThrow();
    expect(metering.mayVerifyNow('d1', NOW)).toBe(true);
  });
});

describe('a key that ends', () => {
  it.each(['NOT_FOUND', 'DISABLED', 'EXPIRED', 'FORBIDDEN'] as const)(
    'after %s, what it had pending is refused and never settled',
    async (code) => {
      const { metering, sent, verify, admitTimes } = meteringFor();
      verify('d1', validAnswer('key_1', { credits: 500 }));
      admitTimes('d1', 3);
      verify('d1', invalidAnswer(code));
      expect(metering.stats()).toMatchObject({ refused: 3, unsettled: 0 });
      await metering.close();
      expect(sent).toEqual([]);
    },
  );

  it.each(['RATE_LIMITED', 'USAGE_EXCEEDED', 'INSUFFICIENT_PERMISSIONS'] as const)(
    'after %s, what it had pending is still settled',
    async (code) => {
      const { metering, sent, verify, admitTimes } = meteringFor();
      verify('d1', validAnswer('key_1', { credits: 500 }));
      admitTimes('d1', 3);
      verify('d1', invalidAnswer(code));
      expect(metering.stats()).toMatchObject({ refused: 0, unsettled: 3 });
      await metering.close();
      expect(sent.map(({ call }) => call.units)).toEqual([3]);
    },
  );

  it('enabled again, settles its new admissions maxDelayMs after the first of them, not after the old one', () => {
    vi.useFakeTimers();
    const { metering, sent, verify } = meteringFor();
    verify('d1', validAnswer('key_1', { credits: 500 }));
    metering.admit('sk_d1', 'd1', NOW);
    vi.advanceTimersByTime(30_000);
    verify('d1', invalidAnswer('DISABLED'));
    verify('d1', validAnswer('key_1', { credits: 500 }));
    expect(metering.admit('sk_d1', 'd1', NOW)).toBeDefined();
    vi.advanceTimersByTime(31_000);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(30_000);
    expect(sent.map(({ call }) => call.units)).toEqual([1]);
  });
});
