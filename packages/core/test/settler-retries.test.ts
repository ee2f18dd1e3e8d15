import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '@keyguard/core';
import type { ProviderAnswer, RateLimitState, VerificationCost } from '@keyguard/core';
import { BatchedMeter } from '../src/verifier/metering/batched-meter.js';
import type { MeteredCall, MeteringHost } from '../src/verifier/metering/calls.js';
import type { BatchedMeteringSettings } from '../src/verifier/metering/options.js';
import type { SharedUnconfirmed } from '../src/verifier/types.js';
import { registerSecret } from '../../../test/support/secrets.js';

// How batched metering's settlements go out and come back: when the next one is due, what a settlement moves from
// pending to in flight, what a failed one puts back (and under which names), the rate-limit spend completed after a
// settlement that named no limits, and the fleet's counts recorded with each call. The verifier's side is played by
// the test, which answers each settlement when it chooses.
const NOW = 1_000_000;
const KEY = 'kg_settler_retries_0001';
registerSecret(KEY);

const LIMIT: RateLimitState = {
  id: 'rl_1',
  name: 'requests',
  limit: 1_000,
  remaining: 900,
  reset: NOW + 60_000,
  exceeded: false,
  duration: 60_000,
};

function valid(credits?: number, ratelimits?: RateLimitState[]): ProviderAnswer {
  const key = {
    id: 'key_1',
    provider: 'test',
    permissions: [],
    roles: [],
    meta: {},
    enabled: true,
    credits,
    ratelimits,
  };
  return { valid: true, code: 'VALID', metered: true, key };
}

const failure = (code: 'PROVIDER_SERVER_ERROR' | 'PROVIDER_BAD_REQUEST', status: number) =>
  new ProviderError(code, 'refused', { provider: 'test', status });

interface Sent {
  key: string;
  cost: VerificationCost;
  call: MeteredCall;
  answer: (outcome: ProviderAnswer | ProviderError) => void;
}

function meterWith(settings: Partial<BatchedMeteringSettings> = {}, host: Partial<MeteringHost> = {}) {
  const sent: Sent[] = [];
  const meter: BatchedMeter = new BatchedMeter(
    { maxBatch: 2, maxDelayMs: 1_000, margin: 2, maxUnsettled: 20, ...settings },
    {
      freshMs: 60_000,
      maxMeters: 100,
      logger: { warn: () => {}, error: () => {} },
      settle: (key, _digest, cost, call) =>
        new Promise<void>((resolve) => {
          sent.push({ key, cost, call, answer: (outcome) => (meter.answered(call, outcome, true, NOW), resolve()) });
        }),
      ...host,
    },
  );
  const verify = (outcome: ProviderAnswer | ProviderError) =>
    meter.answered(meter.open('digest_1'), outcome, true, NOW);
  const admit = (times: number) => {
    for (let i = 0; i < times; i++) expect(meter.admit(KEY, 'digest_1', NOW)).toBeDefined();
  };
  return { meter, sent, verify, admit };
}

afterEach(() => void vi.useRealTimers());

describe('when a settlement is sent', () => {
  it('is due maxDelayMs after the oldest admission still waiting, not after one already settled', async () => {
    vi.useFakeTimers();
    const { sent, verify, admit } = meterWith({ maxBatch: 3, margin: 3, maxUnsettled: 30 });
    verify(valid(100));
    admit(1);
    await vi.advanceTimersByTimeAsync(100);
    admit(2);
    expect(sent.map((one) => one.call.units)).toEqual([3]);
    await vi.advanceTimersByTimeAsync(400);
    admit(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((one) => one.call.units)).toEqual([3, 1]);
  });

  it('is scheduled where timers are plain numbers, as in browsers and edge runtimes', async () => {
    const nodeSetTimeout = globalThis.setTimeout;
    vi.stubGlobal('setTimeout', (run: () => void, ms: number) => Number(nodeSetTimeout(run, ms)));
    try {
      const { meter, sent, verify, admit } = meterWith({ maxBatch: 3, margin: 3, maxUnsettled: 30, maxDelayMs: 1 });
      verify(valid(100));
      admit(1);
      await vi.waitFor(() => expect(sent.map((one) => one.call.units)).toEqual([1]));
      sent[0]!.answer(valid(99));
      await meter.close();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('moves its admissions from pending to in flight on each budget, until answered', () => {
    const { sent, verify, admit } = meterWith();
    verify(valid(100, [LIMIT]));
    admit(2);
    const budgets = sent[0]!.call.budgets;
    expect(budgets.map((budget) => [budget.pending, budget.inFlight])).toEqual([
      [0, 2],
      [0, 2],
    ]);
    sent[0]!.answer(valid(98, [{ ...LIMIT, remaining: 898 }]));
    expect(budgets.map((budget) => [budget.pending, budget.inFlight])).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });
});

describe('a settlement that fails', () => {
  it('puts its admissions back when surely not applied, and sends them again naming the limits', async () => {
    const { meter, sent, verify, admit } = meterWith();
    verify(valid(100, [LIMIT]));
    admit(2);
    sent[0]!.answer(failure('PROVIDER_SERVER_ERROR', 503));
    expect(sent[0]!.call.budgets.map((budget) => budget.pending)).toEqual([2, 2]);
    expect(meter.stats()).toMatchObject({ failedSettlements: 1, unsettled: 2, lost: 0 });
    const waiting = meter.settleFirst('digest_1');
    expect(sent[1]!.cost).toEqual({ credits: 2, ratelimits: [{ name: 'requests', cost: 2 }] });
    sent[1]!.answer(valid(98, [LIMIT]));
    await waiting;
  });

  it('is sent again with its key after another settlement of the key was answered meanwhile', async () => {
    const { meter, sent, verify, admit } = meterWith();
    verify(valid(100));
    admit(4);
    sent[0]!.answer(valid(98));
    sent[1]!.answer(failure('PROVIDER_SERVER_ERROR', 503));
    const closed = meter.close();
    expect(sent.map((one) => [one.key === KEY, one.call.units])).toEqual([
      [true, 2],
      [true, 2],
      [true, 2],
    ]);
    sent[2]!.answer(valid(96));
    await closed;
    expect(meter.stats()).toMatchObject({ settled: 4, lost: 0 });
  });

  it('refused as a bad request, is sent again naming no limits, then completes their spend without credits', async () => {
    const { meter, sent, verify, admit } = meterWith();
    verify(valid(100, [LIMIT]));
    admit(2);
    sent[0]!.answer(failure('PROVIDER_BAD_REQUEST', 400));
    void meter.settleFirst('digest_1');
    expect(sent[1]!.cost).toEqual({ credits: 2, ratelimits: [] });
    sent[1]!.answer(valid(98, [{ ...LIMIT, remaining: 899 }]));
    expect(sent[2]!.cost).toEqual({ credits: 0, ratelimits: [{ name: 'requests', cost: 1 }] });
    expect(sent[2]!.call.budgets.map((budget) => [budget.name, budget.inFlight])).toEqual([['requests', 1]]);
    // A completion refused is not put back: the credits of its settlement were recorded already.
    sent[2]!.answer(failure('PROVIDER_SERVER_ERROR', 503));
    expect(sent[2]!.call.budgets[0]!.inFlight).toBe(0);
    expect(meter.stats()).toMatchObject({ failedSettlements: 2, lost: 1, unsettled: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(meter.settleFirst('digest_1')).toBeUndefined();
    expect(sent).toHaveLength(3);
  });

  it('completes no spend when nothing is left to complete: one admission, or no rate limit', () => {
    const cases: [Partial<BatchedMeteringSettings>, RateLimitState[] | undefined, number][] = [
      [{ maxBatch: 1, margin: 1, maxUnsettled: 10 }, [LIMIT], 1],
      [{}, undefined, 2],
    ];
    for (const [settings, ratelimits, units] of cases) {
      const { meter, sent, verify, admit } = meterWith(settings);
      verify(valid(100, ratelimits));
      admit(units);
      sent[0]!.answer(failure('PROVIDER_BAD_REQUEST', 400));
      void meter.settleFirst('digest_1');
      sent[1]!.answer(valid(100 - units, ratelimits));
      expect(
        sent.map((one) => one.call.units),
        JSON.stringify(ratelimits),
      ).toEqual([units, units]);
    }
  });
});

describe('a call in a fleet sharing metering counts', () => {
  it('records what the others had settled when it was sent, so its answer does not count that again', () => {
    const seen: SharedUnconfirmed = { unconfirmed: 0, released: 0 };
    const { meter, verify } = meterWith({}, { shared: { share: () => {}, others: () => seen } });
    verify(valid(100));
    seen.released = 10;
    verify(valid(5));
    expect(meter.mayVerifyNow('digest_1', NOW)).toBe(true);
    seen.released = 15;
    expect(meter.mayVerifyNow('digest_1', NOW)).toBe(false);
  });
});
