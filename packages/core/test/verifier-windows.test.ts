import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createVerifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import type { CacheOptions, KeyChange, KeyChangeSource, Logger, Verifier, VerifierOptions } from '@keyguard/core';
import { FakeUnkey } from '../../../test/support/fake-unkey.js';

// Focused tests of the cache's time windows and invalidation, each pinned at its boundary: moving a comparison by one
// millisecond, or ignoring the configured value for the default, fails one of them.

const VALID = 'sk_test_window_valid_01';
const UNKNOWN = 'sk_test_window_unknown_02';
const CREDITS = 'sk_test_window_credits_03';
const LIMITED = 'sk_test_window_limited_04';
const EXPIRING = 'sk_test_window_expiring_05';

let fake: FakeUnkey;
const verifiers: Verifier[] = [];
const silent: Logger = { warn: () => {}, error: () => {} };

function makeVerifier(cache: CacheOptions, extra: Partial<VerifierOptions> = {}): Verifier {
  const verifier = createVerifier({
    provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url, timeoutMs: 15_000 }),
    cache,
    logger: silent,
    ...extra,
  });
  verifiers.push(verifier);
  return verifier;
}

/** Moves the clock for keyguard and the fake service alike; timers stay real so sockets keep working. */
function useClock(start = Date.now()) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(start);
  return { set: (at: number) => vi.setSystemTime(at), start };
}

beforeAll(async () => {
  fake = await new FakeUnkey().start();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.keys.clear();
  fake.calls.clear();
  fake.fault = { kind: 'none' };
  fake.add(VALID, { keyId: 'key_valid', permissions: [] });
  fake.add(CREDITS, { keyId: 'key_credits', credits: 100 });
  fake.add(LIMITED, { keyId: 'key_limited', ratelimit: { name: 'requests', limit: 100, duration: 3_600_000 } });
});
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(verifiers.splice(0).map((verifier) => verifier.close()));
});

describe('negative answers are remembered for negativeMs exactly', () => {
  it('answers an unknown key from memory until negativeMs has passed, not a millisecond longer', async () => {
    const clock = useClock();
    const verifier = makeVerifier({ negativeMs: 700 });
    expect(await verifier.verify(UNKNOWN)).toMatchObject({ code: 'NOT_FOUND', source: 'upstream' });
    clock.set(clock.start + 699);
    expect(await verifier.verify(UNKNOWN)).toMatchObject({ code: 'NOT_FOUND', source: 'cache' });
    clock.set(clock.start + 700);
    expect(await verifier.verify(UNKNOWN)).toMatchObject({ code: 'NOT_FOUND', source: 'upstream' });
    expect(fake.callsFor(UNKNOWN)).toBe(2);
  });

  it('asks again after the window, so a key created meanwhile is let in', async () => {
    const clock = useClock();
    const verifier = makeVerifier({ negativeMs: 300 });
    expect(await verifier.verify(UNKNOWN)).toMatchObject({ code: 'NOT_FOUND' });
    fake.add(UNKNOWN, { keyId: 'key_created_late' });
    expect(await verifier.verify(UNKNOWN)).toMatchObject({ code: 'NOT_FOUND', source: 'cache' });
    clock.set(clock.start + 300);
    expect(await verifier.verify(UNKNOWN)).toMatchObject({
      valid: true,
      source: 'upstream',
      key: { id: 'key_created_late' },
    });
  });

  it('remembers nothing with negativeMs: 0', async () => {
    const verifier = makeVerifier({ negativeMs: 0 });
    for (let index = 0; index < 3; index++)
      expect(await verifier.verify(UNKNOWN)).toMatchObject({ code: 'NOT_FOUND', source: 'upstream' });
    expect(fake.callsFor(UNKNOWN)).toBe(3);
  });
});

describe('stale-if-error serves non-metered keys only', () => {
  const windows: CacheOptions = { freshMs: 0, staleMs: 0, staleIfErrorMs: 60_000 };

  it('serves a plain key within the window and not from its end on', async () => {
    const clock = useClock();
    const verifier = makeVerifier(windows);
    await verifier.verify(VALID);
    fake.fault = { kind: 'status', status: 500 };
    clock.set(clock.start + 59_999);
    expect(await verifier.verify(VALID)).toMatchObject({ valid: true, source: 'stale' });
    clock.set(clock.start + 60_000);
    expect(await verifier.verify(VALID)).toMatchObject({ valid: false, code: 'PROVIDER_UNAVAILABLE' });
  });

  it.each([
    ['with credits', CREDITS],
    ['with a rate limit', LIMITED],
  ])(
    'fails closed for a metered key (%s) in the same window where a plain key is served',
    async (_label, meteredKey) => {
      const verifier = makeVerifier(windows);
      expect(await verifier.verify(meteredKey)).toMatchObject({ valid: true, source: 'upstream' });
      await verifier.verify(VALID);
      fake.fault = { kind: 'status', status: 500 };
      expect(await verifier.verify(VALID)).toMatchObject({ valid: true, source: 'stale' });
      expect(await verifier.verify(meteredKey)).toMatchObject({
        valid: false,
        code: 'PROVIDER_UNAVAILABLE',
        source: 'upstream',
      });
    },
  );

  it('serves a metered key stale only when cacheMeteredKeys says so', async () => {
    const verifier = makeVerifier({ ...windows, cacheMeteredKeys: true });
    await verifier.verify(CREDITS);
    fake.fault = { kind: 'status', status: 500 };
    expect(await verifier.verify(CREDITS)).toMatchObject({ valid: true, source: 'stale' });
  });
});

describe('a key is never answered valid from memory at or after its own expiry', () => {
  it('stops serving the cached answer at the exact expiry', async () => {
    const clock = useClock();
    fake.add(EXPIRING, { keyId: 'key_expiring', expires: clock.start + 3_000 });
    const verifier = makeVerifier({ freshMs: 60_000 });
    await verifier.verify(EXPIRING);
    clock.set(clock.start + 2_999);
    expect(await verifier.verify(EXPIRING)).toMatchObject({ valid: true, source: 'cache' });
    clock.set(clock.start + 3_000);
    expect(await verifier.verify(EXPIRING)).toMatchObject({ valid: false, code: 'EXPIRED', source: 'upstream' });
  });

  it('does not serve it stale past its expiry, though the stale window is open', async () => {
    const clock = useClock();
    fake.add(EXPIRING, { keyId: 'key_expiring', expires: clock.start + 3_000 });
    const verifier = makeVerifier({ freshMs: 1_000, staleMs: 60_000 });
    await verifier.verify(EXPIRING);
    clock.set(clock.start + 2_000);
    expect(await verifier.verify(EXPIRING)).toMatchObject({ valid: true, source: 'stale' });
    clock.set(clock.start + 3_000);
    expect(await verifier.verify(EXPIRING)).toMatchObject({ valid: false, code: 'EXPIRED', source: 'upstream' });
  });

  it('does not serve it on a provider error past its expiry, though stale-if-error is open', async () => {
    const clock = useClock();
    fake.add(EXPIRING, { keyId: 'key_expiring', expires: clock.start + 3_000 });
    const verifier = makeVerifier({ freshMs: 0, staleMs: 0, staleIfErrorMs: 60_000 });
    await verifier.verify(EXPIRING);
    fake.fault = { kind: 'status', status: 500 };
    clock.set(clock.start + 2_999);
    expect(await verifier.verify(EXPIRING)).toMatchObject({ valid: true, source: 'stale' });
    clock.set(clock.start + 3_000);
    expect(await verifier.verify(EXPIRING)).toMatchObject({ valid: false, code: 'PROVIDER_UNAVAILABLE' });
  });
});

describe('an answer in flight when the cache is invalidated is not stored', () => {
  /** Starts a slow verification, runs `invalidate` while it is in flight, then says where the next answer came from. */
  async function sourceAfter(verifier: Verifier, invalidate: () => void): Promise<string> {
    fake.fault = { kind: 'delay', ms: 100 };
    const pending = verifier.verify(VALID);
    await new Promise((resolve) => setTimeout(resolve, 20));
    invalidate();
    expect(await pending).toMatchObject({ valid: true, source: 'upstream' });
    fake.fault = { kind: 'none' };
    return (await verifier.verify(VALID)).source;
  }

  it('stores it when nothing was invalidated (the control)', async () => {
    expect(await sourceAfter(makeVerifier({}), () => {})).toBe('cache');
  });

  it.each([
    ['invalidate(key)', (verifier: Verifier) => verifier.invalidate(VALID)],
    ['invalidateKeyId(id)', (verifier: Verifier) => verifier.invalidateKeyId('key_valid')],
    ['invalidateAll()', (verifier: Verifier) => verifier.invalidateAll()],
  ])('drops it after %s', async (_label, invalidate) => {
    const verifier = makeVerifier({});
    expect(await sourceAfter(verifier, () => invalidate(verifier))).toBe('upstream');
  });

  it('drops it after a client reports a change to the key', async () => {
    const listeners = new Set<(change: KeyChange) => void>();
    const client: KeyChangeSource = {
      onKeyChange(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const verifier = makeVerifier({}, { clients: [client] });
    expect(await sourceAfter(verifier, () => listeners.forEach((listener) => listener({ keyId: 'key_valid' })))).toBe(
      'upstream',
    );
  });
});
