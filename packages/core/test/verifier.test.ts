import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createVerifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import type { CacheOptions, Logger, Verifier, VerifierOptions } from '@keyguard/core';
import { FakeUnkey } from '../../../test/support/fake-unkey.js';
import { closedPortUrl } from '../../../test/support/loopback-server.js';
import { registerSecret } from '../../../test/support/secrets.js';

const VALID = 'sk_test_valid_0001';
const METERED = 'sk_test_metered_0002';
const LIMITED = 'sk_test_limited_0003';

let fake: FakeUnkey;
const verifiers: Verifier[] = [];

// A deadline no loaded machine reaches on loopback; the one test of a hanging service sets a short one.
function makeVerifier(
  cache: CacheOptions | false = {},
  extra: Partial<VerifierOptions> = {},
  timeoutMs = 15_000,
): Verifier {
  const verifier = createVerifier({
    provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url, timeoutMs }),
    cache,
    ...extra,
  });
  verifiers.push(verifier);
  return verifier;
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
  fake.requests.length = 0;
  fake.fault = { kind: 'none' };
  fake.add(VALID, {
    keyId: 'key_valid',
    name: 'reader',
    permissions: ['docs.read'],
    roles: ['reader'],
    meta: { plan: 'pro' },
    identity: { id: 'id_1', externalId: 'user_1' },
  });
});
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(verifiers.splice(0).map((verifier) => verifier.close()));
});

/** Moves the clock for keyguard and the fake service alike; timers stay real so sockets keep working. */
function useClock(start = Date.now()) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(start);
  return { advance: (ms: number) => vi.setSystemTime(Date.now() + ms) };
}

describe('cache', () => {
  it('answers a valid key from the provider once, then from memory', async () => {
    const verifier = makeVerifier();
    const first = await verifier.verify(VALID);
    expect(first).toMatchObject({
      valid: true,
      code: 'VALID',
      source: 'upstream',
      requestId: expect.stringMatching(/^req_/),
    });
    expect(first.key).toEqual({
      id: 'key_valid',
      provider: 'unkey',
      name: 'reader',
      identity: { id: 'id_1', externalId: 'user_1', meta: {} },
      permissions: ['docs.read'],
      roles: ['reader'],
      meta: { plan: 'pro' },
      expires: undefined,
      credits: undefined,
      enabled: true,
      ratelimits: undefined,
    });
    const second = await verifier.verify(VALID);
    expect(second).toMatchObject({ valid: true, source: 'cache' });
    expect(fake.callsFor(VALID)).toBe(1);
    expect(verifier.stats()).toMatchObject({ hits: 1, misses: 1, upstreamCalls: 1, entries: 1 });
  });

  it('coalesces 100 concurrent requests for one uncached key into exactly 1 upstream call', async () => {
    const verifier = makeVerifier();
    fake.fault = { kind: 'delay', ms: 50 };
    const results = await Promise.all(Array.from({ length: 100 }, () => verifier.verify(VALID)));
    expect(results.every((result) => result.valid)).toBe(true);
    expect(fake.callsFor(VALID)).toBe(1);
    expect(verifier.stats().coalesced).toBe(99);
  });

  it('serves a stale entry and refreshes it in the background exactly once', async () => {
    const clock = useClock();
    const verifier = makeVerifier({ freshMs: 1000, staleMs: 60_000 });
    await verifier.verify(VALID);
    clock.advance(1500);
    fake.fault = { kind: 'delay', ms: 50 };
    const stale = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(VALID)));
    expect(stale.every((result) => result.valid && result.source === 'stale')).toBe(true);
    await vi.waitFor(() => expect(fake.callsFor(VALID)).toBe(2));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.callsFor(VALID)).toBe(2);
    expect(await verifier.verify(VALID)).toMatchObject({ source: 'cache' });
  });

  it('goes upstream once the stale window is over', async () => {
    const clock = useClock();
    const verifier = makeVerifier({ freshMs: 1000, staleMs: 1000 });
    await verifier.verify(VALID);
    clock.advance(2500);
    expect(await verifier.verify(VALID)).toMatchObject({ valid: true, source: 'upstream' });
    expect(fake.callsFor(VALID)).toBe(2);
  });

  it('remembers unknown keys for the negative window only', async () => {
    const clock = useClock();
    const verifier = makeVerifier({ negativeMs: 5000 });
    const unknown = 'sk_test_unknown_key';
    expect(await verifier.verify(unknown)).toMatchObject({ valid: false, code: 'NOT_FOUND', source: 'upstream' });
    expect(await verifier.verify(unknown)).toMatchObject({ valid: false, code: 'NOT_FOUND', source: 'cache' });
    expect(fake.callsFor(unknown)).toBe(1);
    clock.advance(5001);
    expect(await verifier.verify(unknown)).toMatchObject({ code: 'NOT_FOUND', source: 'upstream' });
    expect(fake.callsFor(unknown)).toBe(2);
  });

  it('caches disabled and expired answers as negatives', async () => {
    const verifier = makeVerifier();
    fake.add('sk_test_disabled_key', { keyId: 'key_d', enabled: false });
    fake.add('sk_test_expired_key', { keyId: 'key_e', expires: Date.now() - 1000 });
    for (let round = 0; round < 3; round++) {
      expect(await verifier.verify('sk_test_disabled_key')).toMatchObject({ valid: false, code: 'DISABLED' });
      expect(await verifier.verify('sk_test_expired_key')).toMatchObject({ valid: false, code: 'EXPIRED' });
    }
    expect(fake.totalCalls).toBe(2);
  });

  it('never serves an entry past the key’s own expiry', async () => {
    const clock = useClock();
    const verifier = makeVerifier({ freshMs: 60_000 });
    fake.add('sk_test_expiring_key', { keyId: 'key_x', expires: Date.now() + 3000 });
    expect(await verifier.verify('sk_test_expiring_key')).toMatchObject({
      valid: true,
      key: { expires: expect.any(Number) },
    });
    expect(await verifier.verify('sk_test_expiring_key')).toMatchObject({ valid: true, source: 'cache' });
    clock.advance(3001);
    expect(await verifier.verify('sk_test_expiring_key')).toMatchObject({
      valid: false,
      code: 'EXPIRED',
      source: 'upstream',
    });
  });

  it('invalidate() and invalidateKeyId() take effect at once', async () => {
    const verifier = makeVerifier();
    await verifier.verify(VALID);
    verifier.invalidate(VALID);
    expect(await verifier.verify(VALID)).toMatchObject({ source: 'upstream' });
    verifier.invalidateKeyId('key_valid');
    fake.keys.delete(VALID);
    expect(await verifier.verify(VALID)).toMatchObject({ valid: false, code: 'NOT_FOUND' });
    expect(verifier.stats().entries).toBe(0);
  });

  it('does not store an answer that was in flight when the key was invalidated', async () => {
    const verifier = makeVerifier();
    fake.fault = { kind: 'delay', ms: 100 };
    const pending = verifier.verify(VALID);
    await new Promise((resolve) => setTimeout(resolve, 20));
    verifier.invalidateKeyId('key_valid');
    await pending;
    fake.fault = { kind: 'none' };
    expect(await verifier.verify(VALID)).toMatchObject({ source: 'upstream' });
  });

  it('keeps memory bounded under a flood of random keys while the valid key keeps its entry', async () => {
    const verifier = makeVerifier({ maxEntries: 100, maxNegativeEntries: 50 });
    await verifier.verify(VALID);
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          verifier.verify(`sk_flood_${batch}_${index}_${Math.random().toString(36).slice(2)}`),
        ),
      );
      expect(await verifier.verify(VALID)).toMatchObject({ source: 'cache' });
    }
    expect(verifier.stats().negativeEntries).toBeLessThanOrEqual(50);
    expect(verifier.stats().entries).toBe(1);
    expect(fake.callsFor(VALID)).toBe(1);
  });

  it('with cache: false asks the provider every time', async () => {
    const verifier = makeVerifier(false);
    await verifier.verify(VALID);
    await verifier.verify(VALID);
    expect(fake.callsFor(VALID)).toBe(2);
  });
});

describe('metered keys', () => {
  it('verifies a key with credits upstream on every request, never coalesced', async () => {
    const verifier = makeVerifier();
    fake.add(METERED, { keyId: 'key_m', credits: 30 });
    for (let index = 0; index < 3; index++)
      expect(await verifier.verify(METERED)).toMatchObject({ valid: true, source: 'upstream' });
    fake.fault = { kind: 'delay', ms: 30 };
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => verifier.verify(METERED)));
    expect(concurrent.every((result) => result.valid && result.source === 'upstream')).toBe(true);
    expect(fake.callsFor(METERED)).toBe(13);
    expect(fake.keys.get(METERED)?.credits).toBe(17);
  });

  it('spends exactly one credit per request even when the first requests arrive together', async () => {
    const verifier = makeVerifier();
    fake.add(METERED, { keyId: 'key_m', credits: 5 });
    fake.fault = { kind: 'delay', ms: 30 };
    const results = await Promise.all(Array.from({ length: 8 }, () => verifier.verify(METERED)));
    expect(fake.callsFor(METERED)).toBe(8);
    expect(results.filter((result) => result.valid)).toHaveLength(5);
    expect(results.filter((result) => result.code === 'USAGE_EXCEEDED')).toHaveLength(3);
  });

  it('turns a RATE_LIMITED key away from memory until its reset', async () => {
    const clock = useClock();
    const verifier = makeVerifier();
    fake.add(LIMITED, { keyId: 'key_l', ratelimit: { name: 'requests', limit: 2, duration: 10_000 } });
    expect(await verifier.verify(LIMITED)).toMatchObject({
      valid: true,
      ratelimits: [{ name: 'requests', limit: 2, remaining: 1, exceeded: false }],
    });
    expect(await verifier.verify(LIMITED)).toMatchObject({ valid: true, ratelimits: [{ remaining: 0 }] });
    const limited = await verifier.verify(LIMITED);
    expect(limited).toMatchObject({ valid: false, code: 'RATE_LIMITED', source: 'upstream' });
    expect(fake.callsFor(LIMITED)).toBe(3);
    const cached = await verifier.verify(LIMITED);
    expect(cached).toMatchObject({
      valid: false,
      code: 'RATE_LIMITED',
      source: 'cache',
      retryAt: limited.ratelimits?.[0]?.reset,
    });
    expect(fake.callsFor(LIMITED)).toBe(3);
    clock.advance(10_001);
    expect(await verifier.verify(LIMITED)).toMatchObject({ valid: true, source: 'upstream' });
    expect(fake.callsFor(LIMITED)).toBe(4);
  });
});

describe('local pre-checks', () => {
  it('rejects keys of bad length, charset or prefix without a network call', async () => {
    const verifier = makeVerifier({}, { keyPrefix: 'sk_' });
    for (const key of ['', 'x'.repeat(513), 'sk_has space', 'sk_ünïcode', 'pk_wrong_prefix', 'sk_a"b']) {
      expect(await verifier.verify(key)).toEqual({ valid: false, code: 'INVALID_KEY_FORMAT', source: 'local' });
    }
    expect(fake.requests.length).toBe(0);
  });
});

describe('provider failures', () => {
  it.each([
    ['a timeout', { kind: 'hang' } as const],
    ['a 500', { kind: 'status', status: 500 } as const],
    ['a 502 with an HTML body', { kind: 'status', status: 502, body: '<html>bad gateway</html>' } as const],
    ['a non-JSON 200', { kind: 'non-json' } as const],
    ['a reset mid-body', { kind: 'reset-mid-body' } as const],
    ['a connection destroyed before the answer', { kind: 'destroy-before-answer' } as const],
    ['an oversized body', { kind: 'oversized', bytes: 2 * 1024 * 1024 } as const],
  ])('fails closed (503-worthy) on %s for an uncached key, without retrying a sent request', async (_label, fault) => {
    const verifier = makeVerifier({}, {}, fault.kind === 'hang' ? 300 : 15_000);
    fake.fault = fault;
    const before = Date.now();
    const result = await verifier.verify(VALID);
    expect(result).toMatchObject({ valid: false, code: 'PROVIDER_UNAVAILABLE', source: 'upstream' });
    expect(result.retryAt).toBeGreaterThanOrEqual(before);
    expect(fake.callsFor(VALID)).toBe(1);
    expect(verifier.stats().providerErrors).toBe(1);
  });

  it('fails closed when the connection is refused', async () => {
    const verifier = createVerifier({
      provider: unkey({ rootKey: fake.rootKey, baseUrl: await closedPortUrl(), timeoutMs: 15_000 }),
    });
    verifiers.push(verifier);
    expect(await verifier.verify(VALID)).toMatchObject({ valid: false, code: 'PROVIDER_UNAVAILABLE' });
  });

  it('lets the request through without a key when fail-open is chosen', async () => {
    const verifier = makeVerifier({}, { onProviderError: 'fail-open' });
    fake.fault = { kind: 'status', status: 503 };
    expect(await verifier.verify(VALID)).toMatchObject({
      valid: false,
      code: 'PROVIDER_UNAVAILABLE',
      failedOpen: true,
    });
  });

  it('serves a previously valid, non-metered key within stale-if-error', async () => {
    const clock = useClock();
    const verifier = makeVerifier({ freshMs: 1000, staleMs: 1000, staleIfErrorMs: 60_000 });
    await verifier.verify(VALID);
    clock.advance(5000);
    fake.fault = { kind: 'status', status: 500 };
    expect(await verifier.verify(VALID)).toMatchObject({ valid: true, source: 'stale', key: { id: 'key_valid' } });
    clock.advance(60_000);
    expect(await verifier.verify(VALID)).toMatchObject({ valid: false, code: 'PROVIDER_UNAVAILABLE' });
  });

  it('fails closed for a metered key even when it was verified before', async () => {
    const verifier = makeVerifier();
    fake.add(METERED, { keyId: 'key_m', credits: 10 });
    expect(await verifier.verify(METERED)).toMatchObject({ valid: true });
    fake.fault = { kind: 'status', status: 500 };
    expect(await verifier.verify(METERED)).toMatchObject({ valid: false, code: 'PROVIDER_UNAVAILABLE' });
  });

  it('honours a provider 429 Retry-After: no calls until then, cached keys still served', async () => {
    const verifier = makeVerifier();
    await verifier.verify(VALID);
    fake.fault = { kind: 'status', status: 429, headers: { 'retry-after': '7' } };
    const before = Date.now();
    const limited = await verifier.verify('sk_test_other_key_1');
    expect(limited).toMatchObject({ valid: false, code: 'PROVIDER_UNAVAILABLE' });
    expect(limited.retryAt).toBeGreaterThanOrEqual(before + 7000);
    const callsAfter429 = fake.totalCalls;
    expect(await verifier.verify('sk_test_other_key_2')).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(fake.totalCalls).toBe(callsAfter429);
    expect(await verifier.verify(VALID)).toMatchObject({ valid: true, source: 'cache' });
  });

  it('treats an unknown code as invalid', async () => {
    const verifier = makeVerifier();
    fake.add('sk_test_strange_key', { keyId: 'key_s', code: 'SOMETHING_NEW' });
    expect(await verifier.verify('sk_test_strange_key')).toMatchObject({ valid: false, code: 'UNKNOWN_CODE' });
  });

  it('answers PROVIDER_MISCONFIGURED on a 401 and logs it once, without the root key', async () => {
    const logged: string[] = [];
    const logger: Logger = {
      warn: (message, details) => logged.push(message + JSON.stringify(details)),
      error: (message, details) => logged.push(message + JSON.stringify(details)),
    };
    registerSecret('unkey_wrong_root_key_123456');
    const verifier = createVerifier({
      provider: unkey({ rootKey: 'unkey_wrong_root_key_123456', baseUrl: fake.url }),
      logger,
    });
    verifiers.push(verifier);
    for (let index = 0; index < 3; index++)
      expect(await verifier.verify(`sk_test_any_${index}`)).toMatchObject({
        valid: false,
        code: 'PROVIDER_MISCONFIGURED',
      });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('PROVIDER_UNAUTHORIZED');
    expect(logged[0]).not.toContain('unkey_wrong_root_key_123456');
  });
});
