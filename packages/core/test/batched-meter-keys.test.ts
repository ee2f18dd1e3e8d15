import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '@keyguard/core';
import type { ProviderAnswer, RateLimitState } from '@keyguard/core';
import { BatchedMeter } from '../src/verifier/metering/batched-meter.js';
import type { MeteredCall, MeteringHost } from '../src/verifier/metering/calls.js';
import type { BatchedMeteringSettings } from '../src/verifier/metering/options.js';
import type { FleetMetering, SharedUnconfirmed } from '../src/verifier/types.js';
import { registerSecret } from '../../../test/support/secrets.js';

// What batched metering answers about the keys it tracks: which may be admitted from memory, verified upstream now,
// or must wait (for this instance's settlements, or the other instances'); forgetting keys; its counts; dropping
// quiet keys for new ones; and close. The verifier's side (sending settlements, handing answers back) is played by
// the test, which answers each settlement when it chooses.
const NOW = 1_000_000;
const KEY_A = 'kg_meter_keys_alpha_0001';
const KEY_B = 'kg_meter_keys_bravo_0002';
registerSecret(KEY_A, KEY_B);

function valid(keyId: string, credits?: number, ratelimits?: RateLimitState[], metered = true): ProviderAnswer {
  const key = { id: keyId, provider: 'test', permissions: [], roles: [], meta: {}, enabled: true, credits, ratelimits };
  return { valid: true, code: 'VALID', metered, key };
}

const notFound: ProviderAnswer = { valid: false, code: 'NOT_FOUND', metered: false };

function meterWith(settings: Partial<BatchedMeteringSettings> = {}, host: Partial<MeteringHost> = {}) {
  const sent: { key: string; call: MeteredCall; answer: (outcome: ProviderAnswer | ProviderError) => void }[] = [];
  const warnings: string[] = [];
  const meter: BatchedMeter = new BatchedMeter(
    { maxBatch: 2, maxDelayMs: 1_000, margin: 2, maxUnsettled: 20, ...settings },
    {
      freshMs: 60_000,
      maxMeters: 100,
      logger: { warn: (line) => void warnings.push(line), error: (line) => void warnings.push(line) },
      settle: (key, _digest, _cost, call) =>
        new Promise<void>((resolve) => {
          sent.push({ key, call, answer: (outcome) => (meter.answered(call, outcome, true, NOW), resolve()) });
        }),
      ...host,
    },
  );
  /** One per-request verification of the key, answered at once. */
  const verify = (digest: string, outcome: ProviderAnswer | ProviderError) =>
    meter.answered(meter.open(digest), outcome, true, NOW);
  return { meter, sent, warnings, verify };
}

afterEach(() => void vi.useRealTimers());

describe('a key batched metering does not track', () => {
  it('is never admitted, may be verified now or forgotten, and has nothing to settle or wait for', () => {
    const fleet: FleetMetering = { share: () => {}, others: () => ({ unconfirmed: 5, released: 0 }) };
    const { meter, verify } = meterWith({}, { shared: fleet, sharedRefreshMs: 20 });
    verify('digest_a', notFound);
    meter.forget('digest_a');
    expect(meter.admit(KEY_A, 'digest_a', NOW)).toBeUndefined();
    expect(meter.mayVerifyNow('digest_a', NOW)).toBe(true);
    expect(meter.settleFirst('digest_a')).toBeUndefined();
    expect(meter.waitingHelps('digest_a', NOW)).toBe(false);
    expect(meter.othersSettling('digest_a', NOW)).toBeUndefined();
  });
});

describe('forgetting keys', () => {
  it('stops admitting the keys named by digest, by key id, or all of them, and no other', () => {
    const { meter, verify } = meterWith({ maxBatch: 100, margin: 100, maxUnsettled: 1_000 });
    const learnBoth = () => (verify('digest_a', valid('key_a', 500)), verify('digest_b', valid('key_b', 500)));
    const admitted = () => [KEY_A, KEY_B].map((key, i) => meter.admit(key, `digest_${'ab'[i]}`, NOW) !== undefined);
    learnBoth();
    meter.forgetKeyId('key_c');
    expect(admitted()).toEqual([true, true]);
    meter.forgetKeyId('key_a');
    expect(admitted()).toEqual([false, true]);
    meter.forget('digest_b');
    expect(admitted()).toEqual([false, false]);
    learnBoth();
    expect(admitted()).toEqual([true, true]);
    meter.forgetAll();
    expect(admitted()).toEqual([false, false]);
  });
});

describe('verifying a tracked key upstream', () => {
  it('may go now while one unit is left beyond every spend under way, and not once a call takes it', () => {
    const { meter, verify } = meterWith({ margin: 2 });
    verify('digest_a', valid('key_a', 1));
    expect(meter.admit(KEY_A, 'digest_a', NOW)).toBeUndefined();
    expect(meter.mayVerifyNow('digest_a', NOW)).toBe(true);
    meter.open('digest_a');
    expect(meter.mayVerifyNow('digest_a', NOW)).toBe(false);
  });

  it('settles first only what is pending or under way: nothing to wait for when both are done', async () => {
    const { meter, sent, verify } = meterWith();
    verify('digest_a', valid('key_a', 100));
    expect(meter.settleFirst('digest_a')).toBeUndefined();
    meter.admit(KEY_A, 'digest_a', NOW);
    const waiting = meter.settleFirst('digest_a');
    expect(sent.map((one) => one.call.units)).toEqual([1]);
    sent[0]!.answer(valid('key_a', 99));
    await waiting;
    expect(meter.settleFirst('digest_a')).toBeUndefined();
  });

  it('settles first what a key admitted before it stopped being metered', async () => {
    const { meter, sent, verify } = meterWith({ maxBatch: 5, margin: 5, maxUnsettled: 50 });
    verify('digest_a', valid('key_a', 100));
    meter.admit(KEY_A, 'digest_a', NOW);
    verify('digest_a', valid('key_a', undefined, undefined, false));
    const waiting = meter.settleFirst('digest_a');
    expect(waiting).toBeDefined();
    expect(sent.map((one) => [one.key === KEY_A, one.call.units])).toEqual([[true, 1]]);
    sent[0]!.answer(valid('key_a', undefined, undefined, false));
    await waiting;
  });
});

describe('waiting for settlements under way', () => {
  it('helps only a key whose one obstacle is the cap on unconfirmed admissions', () => {
    const { meter, verify } = meterWith({ maxBatch: 2, margin: 2, maxUnsettled: 2 });
    verify('digest_a', valid('key_a', 100));
    expect(meter.waitingHelps('digest_a', NOW)).toBe(false);
    meter.admit(KEY_A, 'digest_a', NOW);
    meter.admit(KEY_A, 'digest_a', NOW);
    expect(meter.admit(KEY_A, 'digest_a', NOW)).toBeUndefined();
    expect(meter.waitingHelps('digest_a', NOW)).toBe(true);
    meter.forget('digest_a');
    expect(meter.waitingHelps('digest_a', NOW)).toBe(false);
    verify('digest_b', valid('key_b', 2));
    expect(meter.admit(KEY_B, 'digest_b', NOW)).toBeUndefined();
    expect(meter.waitingHelps('digest_b', NOW)).toBe(false);
  });
});

describe('waiting for the other instances of a fleet', () => {
  const others = (seen: SharedUnconfirmed): FleetMetering => ({ share: () => {}, others: () => seen });

  it('waits one refresh of the shared counts when what they hold leaves no room for one more', async () => {
    vi.useFakeTimers();
    const seen = { unconfirmed: 0, released: 0 };
    const { meter, verify } = meterWith({}, { shared: others(seen), sharedRefreshMs: 20 });
    verify('digest_a', valid('key_a', 3));
    expect(meter.othersSettling('digest_a', NOW)).toBeUndefined();
    seen.unconfirmed = 3;
    let done = false;
    void meter.othersSettling('digest_a', NOW)?.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(19);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });

  it('does not wait without shared counts or without a refresh period', () => {
    const seen = { unconfirmed: 3, released: 0 };
    for (const host of [{ sharedRefreshMs: 20 }, { shared: others(seen) }]) {
      const { meter, verify } = meterWith({}, host);
      verify('digest_a', valid('key_a', 3));
      expect(meter.othersSettling('digest_a', NOW), JSON.stringify(host)).toBeUndefined();
    }
  });
});

describe('the counts and the keys tracked', () => {
  it('counts as unsettled both what is pending and what settlements carry', () => {
    const { meter, verify } = meterWith({ maxBatch: 2 });
    verify('digest_a', valid('key_a', 100));
    for (let i = 0; i < 3; i++) meter.admit(KEY_A, 'digest_a', NOW);
    expect(meter.stats()).toMatchObject({ admitted: 3, settlements: 0, unsettled: 3 });
  });

  it('does not count a failed per-request verification as a failed settlement', () => {
    const { meter, verify } = meterWith();
    verify('digest_a', valid('key_a', 100));
    verify('digest_a', new ProviderError('PROVIDER_SERVER_ERROR', 'down', { provider: 'test', status: 503 }));
    expect(meter.stats()).toMatchObject({ failedSettlements: 0, lost: 0, inDoubt: 0 });
  });

  it('holds the key itself only while admissions of it wait to be settled', () => {
    const { meter, sent, verify } = meterWith({ maxBatch: 2 });
    verify('digest_a', valid('key_a', 100));
    meter.admit(KEY_A, 'digest_a', NOW);
    meter.admit(KEY_A, 'digest_a', NOW);
    const tracked = sent[0]!.call.meter!;
    expect(tracked.key === KEY_A).toBe(true);
    sent[0]!.answer(valid('key_a', 98));
    expect(tracked.key).toBeUndefined();
  });

  it('drops a key for a new one once its calls are answered, and keeps one with a call under way', () => {
    const { meter, sent, verify } = meterWith({ maxBatch: 2 }, { maxMeters: 1 });
    verify('digest_a', valid('key_a', 100));
    verify('digest_a', valid('key_a', 99));
    meter.admit(KEY_A, 'digest_a', NOW);
    meter.admit(KEY_A, 'digest_a', NOW);
    sent[0]!.answer(valid('key_a', 97));
    verify('digest_b', valid('key_b', 100));
    expect(meter.admit(KEY_A, 'digest_a', NOW)).toBeUndefined();
    meter.open('digest_b');
    verify('digest_c', valid('key_c', 100));
    expect(meter.admit(KEY_B, 'digest_b', NOW)).toBeDefined();
  });
});

describe('close', () => {
  it('admits nothing more, and warns of nothing when every admission was settled', async () => {
    const { meter, sent, warnings, verify } = meterWith({ maxBatch: 5, margin: 5, maxUnsettled: 50 });
    verify('digest_a', valid('key_a', 100));
    meter.admit(KEY_A, 'digest_a', NOW);
    const closed = meter.close();
    sent[0]!.answer(valid('key_a', 99));
    await closed;
    expect(meter.admit(KEY_A, 'digest_a', NOW)).toBeUndefined();
    expect([warnings, meter.stats().lost]).toEqual([[], 0]);
  });

  it('tries a failing settlement twice, then counts and reports the admissions lost, without the key', async () => {
    const { meter, sent, warnings, verify } = meterWith({ maxBatch: 5, margin: 5, maxUnsettled: 50 });
    verify('digest_a', valid('key_a', 100));
    meter.admit(KEY_A, 'digest_a', NOW);
    meter.admit(KEY_A, 'digest_a', NOW);
    const closed = meter.close();
    const down = () => new ProviderError('PROVIDER_SERVER_ERROR', 'down', { provider: 'test', status: 503 });
    for (let round = 0; round < 2; round++) {
      await vi.waitFor(() => expect(sent).toHaveLength(round + 1));
      sent[round]!.answer(down());
    }
    await closed;
    expect(sent).toHaveLength(2);
    expect(meter.stats()).toMatchObject({ failedSettlements: 2, lost: 2, unsettled: 0 });
    expect(warnings).toEqual([
      'keyguard: 2 requests admitted by batched metering could not be settled before close: the key service kept failing',
    ]);
  });
});
