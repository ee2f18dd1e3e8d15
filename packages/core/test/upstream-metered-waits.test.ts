import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError, createVerifier } from '@keyguard/core';
import type {
  MeteringOptions,
  Provider,
  ProviderAnswer,
  Verification,
  VerificationCost,
  Verifier,
} from '@keyguard/core';

// Batched metering, seen from a key store that charges credits: when a request of a metered key that memory cannot
// admit waits for the settlements under way (and is then admitted from memory), and when it is verified upstream on
// its own. The store records each call in order ('request' for a per-request verification, 'settle N' for a
// settlement of N admissions); settlements can be held, or refused, to look at the requests in between.
const KEY = 'sk_metered_wait_01';

interface CreditStore extends Provider {
  credits: number;
  events: string[];
  /** While set, settlements wait for it before they are answered. */
  hold: Promise<void> | undefined;
  /** When set, settlements are refused with this error (nothing charged). */
  refuse: (() => ProviderError) | undefined;
}

function creditStore(credits: number): CreditStore {
  const store: CreditStore = {
    name: 'credits',
    supportsCost: true,
    credits,
    events: [],
    hold: undefined,
    refuse: undefined,
    async verify(_key: string, cost?: VerificationCost): Promise<ProviderAnswer> {
      store.events.push(cost ? `settle ${cost.credits}` : 'request');
      // A key store answers over I/O: never within the same turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      if (cost && store.hold) await store.hold;
      if (cost && store.refuse) throw store.refuse();
      store.credits -= cost ? cost.credits : 1;
      return {
        valid: true,
        code: 'VALID',
        metered: true,
        keyId: 'key_credits',
        key: {
          id: 'key_credits',
          provider: 'credits',
          permissions: [],
          roles: [],
          meta: {},
          enabled: true,
          credits: store.credits,
        },
      };
    },
  };
  return store;
}

const verifiers: Verifier[] = [];
afterEach(async () => {
  await Promise.all(verifiers.splice(0).map((verifier) => verifier.close()));
});

function meteredVerifier(store: CreditStore, metering: Omit<MeteringOptions & { mode: 'batched' }, 'mode'>): Verifier {
  const verifier = createVerifier({
    provider: store,
    logger: { warn: () => {}, error: () => {} },
    // Settlements are sent when a batch is full (or at close), never by the timer, within a test.
    metering: { mode: 'batched', maxDelayMs: 60_000, ...metering },
  });
  verifiers.push(verifier);
  return verifier;
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

async function verifyTimes(verifier: Verifier, times: number): Promise<Verification[]> {
  const answers: Verification[] = [];
  for (let index = 0; index < times; index++) answers.push(await verifier.verify(KEY));
  return answers;
}

describe('concurrent first requests of a metered key (batched metering)', () => {
  it("admit the others from memory on the first one's answer: one request goes upstream", async () => {
    const store = creditStore(1_000);
    const verifier = meteredVerifier(store, { maxBatch: 10 });
    const [first, second] = await Promise.all([verifier.verify(KEY), verifier.verify(KEY)]);
    expect(first).toMatchObject({ valid: true, source: 'upstream' });
    expect(second).toMatchObject({ valid: true, source: 'cache', key: { credits: 998 } });
    expect(verifier.stats()).toMatchObject({ upstreamCalls: 1, coalesced: 1, metering: { admitted: 1 } });
    await verifier.close();
    expect(store.events).toEqual(['request', 'settle 1']);
    expect(store.credits).toBe(998);
  });
});

describe('concurrent first requests of a metered key at its margin (batched metering)', () => {
  it('are each verified upstream: the first answer leaves no room to admit the others from memory', async () => {
    // 5 credits, margin 10: never admitted from memory.
    const store = creditStore(5);
    const verifier = meteredVerifier(store, { maxBatch: 10 });
    const answers = await Promise.all([verifier.verify(KEY), verifier.verify(KEY)]);
    expect(answers).toEqual([
      expect.objectContaining({ valid: true, source: 'upstream' }),
      expect.objectContaining({ valid: true, source: 'upstream', key: expect.objectContaining({ credits: 3 }) }),
    ]);
    expect(verifier.stats()).toMatchObject({ upstreamCalls: 2, coalesced: 1, metering: { admitted: 0 } });
    expect(store.events).toEqual(['request', 'request']);
  });
});

describe('a metered key at its cap of unconfirmed admissions', () => {
  it('waits for the settlement under way, then is admitted from memory', async () => {
    const store = creditStore(1_000);
    const verifier = meteredVerifier(store, { maxBatch: 2, maxUnsettled: 2 });
    expect((await verifyTimes(verifier, 2)).map((answer) => answer.source)).toEqual(['upstream', 'cache']);
    let release: () => void = () => {};
    store.hold = new Promise((resolve) => (release = resolve));
    // The third request fills the batch: its settlement is sent, and held.
    expect(await verifier.verify(KEY)).toMatchObject({ valid: true, source: 'cache' });
    expect(store.events).toEqual(['request', 'settle 2']);
    const fourth = verifier.verify(KEY);
    let sentMeanwhile: string[];
    try {
      for (let turn = 0; turn < 5; turn++) await nextTurn();
      sentMeanwhile = store.events.slice(2);
    } finally {
      // Released whatever happened: close() waits for the settlement.
      release();
    }
    expect(sentMeanwhile).toEqual([]);
    expect(await fourth).toMatchObject({ valid: true, source: 'cache' });
    expect(verifier.stats()).toMatchObject({ upstreamCalls: 2, metering: { admitted: 3, settled: 2 } });
  });

  it('waits for five settlement rounds at most, then is verified upstream on its own', async () => {
    const store = creditStore(1_000);
    const verifier = meteredVerifier(store, { maxBatch: 2, maxUnsettled: 2 });
    store.refuse = () =>
      new ProviderError('PROVIDER_SERVER_ERROR', 'the key store answered 503', { provider: 'credits', status: 503 });
    await verifyTimes(verifier, 3);
    // The batch the third request filled was refused: its admissions wait to be sent again.
    for (let turn = 0; turn < 3; turn++) await nextTurn();
    expect(store.events).toEqual(['request', 'settle 2']);
    expect(verifier.stats().metering).toMatchObject({ failedSettlements: 1, unsettled: 2 });
    expect(await verifier.verify(KEY)).toMatchObject({ valid: true, source: 'upstream' });
    expect(store.events.slice(2)).toEqual(['settle 2', 'settle 2', 'settle 2', 'settle 2', 'settle 2', 'request']);
    store.refuse = undefined;
    await verifier.close();
    expect(store.credits).toBe(1_000 - 2 - 2);
  });
});

describe('a metered key at its margin', () => {
  it('is verified upstream at once while it has room for one more, and leaves its admissions to their batch', async () => {
    // 10 credits, margin 5: after the first answer (9 left) four requests are admitted from memory (9 − 4 = 5).
    const store = creditStore(10);
    const verifier = meteredVerifier(store, { maxBatch: 5, margin: 5 });
    const answers = await verifyTimes(verifier, 6);
    expect(answers.map((answer) => answer.source)).toEqual([
      'upstream',
      'cache',
      'cache',
      'cache',
      'cache',
      'upstream',
    ]);
    expect(store.events).toEqual(['request', 'request']);
    await verifier.close();
    expect(store.events).toEqual(['request', 'request', 'settle 4']);
    expect(store.credits).toBe(4);
  });
});
