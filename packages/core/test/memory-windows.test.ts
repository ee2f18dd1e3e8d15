import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProviderAnswer } from '@keyguard/core';
import { retentionOf } from '../src/verifier/cache-policy.js';
import { VerificationCache, type ValidEntry } from '../src/verifier/cache.js';
import { Memory, type Counters } from '../src/verifier/memory.js';
import { DEFAULT_CACHE_OPTIONS } from '../src/verifier/options.js';
import { verificationOf } from '../src/verifier/verification.js';

// The verifier's memory at the edges of its windows: an answer is served up to, and never at, the end of each.
const settings = { ...DEFAULT_CACHE_OPTIONS, freshMs: 1_000, staleMs: 2_000, negativeMs: 500, staleIfErrorMs: 3_000 };
const T0 = 1_700_000_000_000;
const valid = (expires?: number): ProviderAnswer => ({
  valid: true,
  code: 'VALID',
  metered: false,
  key: {
    id: 'key_1',
    provider: 'test',
    enabled: true,
    permissions: [],
    roles: [],
    meta: {},
    ...(expires === undefined ? {} : { expires }),
  },
});
const notFound: ProviderAnswer = { valid: false, code: 'NOT_FOUND', metered: false, keyId: 'key_2' };
const limited = (reset: number): ProviderAnswer => ({
  valid: false,
  code: 'RATE_LIMITED',
  keyId: 'key_3',
  metered: false,
  ratelimits: [{ name: 'requests', limit: 1, remaining: 0, reset, exceeded: true }],
});

function setUp() {
  const counters: Counters = {
    hits: 0,
    staleHits: 0,
    negativeHits: 0,
    misses: 0,
    upstreamCalls: 0,
    coalesced: 0,
    providerErrors: 0,
  };
  const refreshed: string[] = [];
  const cache = new VerificationCache(settings);
  const memory = new Memory(cache, counters, undefined, (key) => refreshed.push(key));
  vi.useFakeTimers({ toFake: ['Date'] });
  const at = (time: number) => vi.setSystemTime(time);
  return { counters, refreshed, cache, memory, at };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('memory windows', () => {
  it('serves a valid key fresh before freshUntil, stale from it, nothing from staleUntil', () => {
    const { counters, refreshed, memory, at } = setUp();
    memory.store('d1', valid(), T0);
    at(T0 + 999);
    expect(memory.lookup('k1', 'd1', undefined)?.source).toBe('cache');
    expect(counters.hits).toBe(1);
    at(T0 + 1_000);
    expect(memory.lookup('k1', 'd1', undefined)?.source).toBe('stale');
    expect(counters.staleHits).toBe(1);
    expect(refreshed).toEqual(['k1']);
    at(T0 + 2_999);
    expect(memory.lookup('k1', 'd1', undefined)?.source).toBe('stale');
    at(T0 + 3_000);
    expect(memory.lookup('k1', 'd1', undefined)).toBeUndefined();
    expect(counters).toMatchObject({ hits: 1, staleHits: 2, negativeHits: 0 });
  });

  it('serves nothing from the key’s own expiry on, even inside the fresh window', () => {
    const { memory, at } = setUp();
    memory.store('d1', valid(T0 + 500), T0);
    at(T0 + 499);
    expect(memory.lookup('k1', 'd1', undefined)?.valid).toBe(true);
    at(T0 + 500);
    expect(memory.lookup('k1', 'd1', undefined)).toBeUndefined();
  });

  it('keeps a negative answer until, and not at, negativeMs', () => {
    const { counters, memory, at } = setUp();
    memory.store('d2', notFound, T0);
    at(T0 + 499);
    expect(memory.lookup('k2', 'd2', undefined)).toMatchObject({ valid: false, code: 'NOT_FOUND', source: 'cache' });
    expect(counters.negativeHits).toBe(1);
    at(T0 + 500);
    expect(memory.lookup('k2', 'd2', undefined)).toBeUndefined();
    expect(counters.negativeHits).toBe(1);
  });

  it('turns a rate-limited key away until its reset, with the reset as retryAt', () => {
    const { counters, memory, at } = setUp();
    memory.store('d3', limited(T0 + 700), T0);
    at(T0 + 699);
    expect(memory.lookup('k3', 'd3', undefined)).toMatchObject({ code: 'RATE_LIMITED', retryAt: T0 + 700 });
    expect(counters.hits).toBe(1);
    at(T0 + 700);
    expect(memory.lookup('k3', 'd3', undefined)).toBeUndefined();
  });

  it('does not keep a rate limit whose reset is now', () => {
    expect(retentionOf(limited(T0), settings, T0)).toBeUndefined();
    expect(retentionOf(limited(T0 + 1), settings, T0)).toMatchObject({ kind: 'rate_limited', until: T0 + 1 });
  });

  it('remembers a metered key only as metered, never serving it without batched metering', () => {
    const { memory, at } = setUp();
    memory.store('d4', { ...valid(), metered: true }, T0);
    at(T0);
    expect(memory.isMetered('d4')).toBe(true);
    expect(memory.isMetered('d1')).toBe(false);
    expect(memory.lookup('k4', 'd4', undefined)).toBeUndefined();
  });

  it('keeps nothing without a cache', () => {
    const memory = new Memory(undefined, {} as Counters, undefined, () => undefined);
    memory.store('d1', valid(), T0);
    expect(memory.lookup('k1', 'd1', undefined)).toBeUndefined();
    expect(memory.isMetered('d1')).toBe(false);
  });
});

describe('VerificationCache', () => {
  const entry = (keyId: string): ValidEntry => {
    const hit = verificationOf(valid(), 'cache');
    return {
      kind: 'valid',
      keyId,
      freshUntil: 1,
      staleUntil: 2,
      staleIfErrorUntil: 3,
      expiresAt: 4,
      hit,
      stale: hit,
      refreshing: false,
    };
  };
  const negative = (keyId?: string) => ({
    until: 1,
    hit: { valid: false, code: 'NOT_FOUND', source: 'cache' } as const,
    ...(keyId ? { keyId } : {}),
  });

  it('holds a digest in one of its two caches only', () => {
    const cache = new VerificationCache(settings);
    cache.setNegative('d1', negative('key_1'));
    expect([cache.size, cache.negativeSize]).toEqual([0, 1]);
    cache.setKey('d1', entry('key_1'));
    expect([cache.size, cache.negativeSize]).toEqual([1, 0]);
    cache.setNegative('d1', negative('key_1'));
    expect([cache.size, cache.negativeSize]).toEqual([0, 1]);
    cache.delete('d1');
    expect([cache.size, cache.negativeSize]).toEqual([0, 0]);
  });

  it('forgets every digest of a key id, in both caches, and nothing else', () => {
    const cache = new VerificationCache(settings);
    cache.setKey('d1', entry('key_1'));
    cache.setKey('d2', entry('key_1'));
    cache.setNegative('d3', negative('key_1'));
    cache.setKey('d4', entry('key_2'));
    cache.setNegative('d5', negative());
    cache.deleteKeyId('key_1');
    expect(['d1', 'd2', 'd3', 'd4'].map((digest) => cache.getKey(digest)?.keyId)).toEqual([
      undefined,
      undefined,
      undefined,
      'key_2',
    ]);
    expect([cache.size, cache.negativeSize]).toEqual([1, 1]);
    expect(() => cache.deleteKeyId('key_unknown')).not.toThrow();
    cache.clear();
    expect([cache.size, cache.negativeSize]).toEqual([0, 0]);
  });

  it('keeps each cache within its bound, evicting the least recently used', () => {
    const cache = new VerificationCache({ ...settings, maxEntries: 2, maxNegativeEntries: 1 });
    cache.setKey('d1', entry('key_1'));
    cache.setKey('d2', entry('key_2'));
    cache.getKey('d1');
    cache.setKey('d3', entry('key_3'));
    expect([cache.getKey('d1')?.keyId, cache.getKey('d2'), cache.getKey('d3')?.keyId]).toEqual([
      'key_1',
      undefined,
      'key_3',
    ]);
    cache.setNegative('n1', negative('key_4'));
    cache.setNegative('n2', negative('key_5'));
    expect([cache.getNegative('n1'), cache.negativeSize]).toEqual([undefined, 1]);
    // An evicted digest is out of the key id's index too: forgetting the id later leaves the others alone.
    cache.setKey('d2', entry('key_1'));
    cache.deleteKeyId('key_2');
    expect(cache.getKey('d2')?.keyId).toBe('key_1');
  });
});
