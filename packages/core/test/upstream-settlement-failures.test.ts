import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProviderError, createVerifier } from '@keyguard/core';
import type { Logger, Provider, ProviderAnswer, VerificationCost, Verifier, VerifierHooks } from '@keyguard/core';

// Settlements of batched metering that the key store refuses or that the provider's Retry-After holds back: the
// admissions they carried are kept and settled later (the store ends up charged for each), and what is reported
// says what happened. The store charges credits and answers each call with what is left.
const KEY = 'sk_settle_fail_001';
const OTHER = 'sk_settle_fail_002';

interface CreditStore extends Provider {
  credits: number;
  events: string[];
  /** Answers one call instead of the store, when set; undefined lets the store answer. */
  fault: ((key: string, cost: VerificationCost | undefined) => ProviderError | undefined) | undefined;
}

function creditStore(credits: number): CreditStore {
  const store: CreditStore = {
    name: 'credits',
    supportsCost: true,
    credits,
    events: [],
    fault: undefined,
    async verify(key: string, cost?: VerificationCost): Promise<ProviderAnswer> {
      await new Promise((resolve) => setImmediate(resolve));
      const error = store.fault?.(key, cost);
      if (error) throw error;
      store.events.push(cost ? `settle ${cost.credits}` : 'request');
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

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (message) => void lines.push(message), error: (message) => void lines.push(message) };
}

const verifiers: Verifier[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(verifiers.splice(0).map((verifier) => verifier.close()));
});

function meteredVerifier(store: CreditStore, logger: Logger, hooks?: VerifierHooks): Verifier {
  const verifier = createVerifier({
    provider: store,
    logger,
    hooks,
    // A batch of two is sent as soon as it is full; the timer (a minute) never fires within a test.
    metering: { mode: 'batched', maxBatch: 2, maxDelayMs: 60_000 },
  });
  verifiers.push(verifier);
  return verifier;
}

const refusedRequest = () =>
  new ProviderError('PROVIDER_BAD_REQUEST', 'the key service refused the request (412)', {
    provider: 'credits',
    status: 412,
  });

/** Lets the settlement a full batch sent get its answer. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
}

describe('a settlement the key store refuses as a bad request (a limit it names was deleted)', () => {
  it('is counted and handed to onProviderError, but not logged as our misconfiguration, and settled later', async () => {
    const store = creditStore(1_000);
    const logger = recordingLogger();
    const reported: Error[] = [];
    const verifier = meteredVerifier(store, logger, { onProviderError: (error) => reported.push(error) });
    store.fault = (_key, cost) => (cost ? refusedRequest() : undefined);
    for (let index = 0; index < 3; index++) expect((await verifier.verify(KEY)).valid).toBe(true);
    await settle();
    expect(reported).toEqual([expect.objectContaining({ code: 'PROVIDER_BAD_REQUEST' })]);
    expect(verifier.stats()).toMatchObject({ providerErrors: 1, metering: { failedSettlements: 1, unsettled: 2 } });
    expect(logger.lines).toEqual([]);
    store.fault = undefined;
    await verifier.close();
    expect(store.events).toEqual(['request', 'settle 2']);
    expect(store.credits).toBe(1_000 - 3);
  });

  it('needs no onProviderError hook: nothing is thrown, nothing left unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const store = creditStore(1_000);
    const logger = recordingLogger();
    const verifier = meteredVerifier(store, logger);
    store.fault = (_key, cost) => (cost ? refusedRequest() : undefined);
    try {
      for (let index = 0; index < 3; index++) expect((await verifier.verify(KEY)).valid).toBe(true);
      await settle();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(verifier.stats()).toMatchObject({ providerErrors: 1, metering: { failedSettlements: 1 } });
    store.fault = undefined;
    await verifier.close();
    expect(store.credits).toBe(1_000 - 3);
    expect(logger.lines).toEqual([]);
  });
});

describe('a settlement the key store refuses because it refused our credentials', () => {
  it('is logged once as our misconfiguration, like a request it refuses, and settled once the credentials work', async () => {
    const store = creditStore(1_000);
    const logger = recordingLogger();
    const verifier = meteredVerifier(store, logger);
    store.fault = (_key, cost) =>
      cost
        ? new ProviderError('PROVIDER_UNAUTHORIZED', 'the key service refused the root key (401)', {
            provider: 'credits',
            status: 401,
          })
        : undefined;
    for (let index = 0; index < 3; index++) expect((await verifier.verify(KEY)).valid).toBe(true);
    await settle();
    expect(logger.lines).toEqual([
      expect.stringContaining('refused our own credentials or request (PROVIDER_UNAUTHORIZED'),
    ]);
    expect(verifier.stats()).toMatchObject({ providerErrors: 1, metering: { failedSettlements: 1, unsettled: 2 } });
    store.fault = undefined;
    await verifier.close();
    expect(store.credits).toBe(1_000 - 3);
  });
});

describe("a settlement due while the provider's Retry-After runs", () => {
  it('is not sent, keeps its admissions, and goes out with close() once the wait is over', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = 1_800_000_000_000;
    vi.setSystemTime(start);
    const store = creditStore(1_000);
    const logger = recordingLogger();
    const verifier = meteredVerifier(store, logger);
    expect(await verifier.verify(KEY)).toMatchObject({ valid: true, source: 'upstream' });
    expect(await verifier.verify(KEY)).toMatchObject({ valid: true, source: 'cache' });
    // Another key's request is answered 429: no call for 10 s.
    store.fault = (key) =>
      key === OTHER
        ? new ProviderError('PROVIDER_RATE_LIMITED', 'the key service answered 429', {
            provider: 'credits',
            status: 429,
            retryAt: start + 10_000,
          })
        : undefined;
    expect(await verifier.verify(OTHER)).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryAt: start + 10_000 });
    // This admission fills the batch; its settlement waits for the Retry-After.
    expect(await verifier.verify(KEY)).toMatchObject({ valid: true, source: 'cache' });
    await settle();
    expect(store.events).toEqual(['request']);
    expect(verifier.stats().metering).toMatchObject({ settlements: 0, failedSettlements: 1, unsettled: 2 });
    vi.setSystemTime(start + 10_000);
    await verifier.close();
    expect(store.events).toEqual(['request', 'settle 2']);
    expect(verifier.stats().metering).toMatchObject({ settlements: 1, settled: 2, unsettled: 0, lost: 0 });
    expect(store.credits).toBe(1_000 - 3);
  });
});
