import { describe, expect, it } from 'vitest';
import type { ProviderAnswer, VerifiedKey } from '@keyguard/core';
import { retentionOf, shareMs } from '../src/verifier/cache-policy.js';
import { DEFAULT_CACHE_OPTIONS } from '../src/verifier/options.js';

// One policy: what memory keeps of an answer (retentionOf) and what a fleet may share of it (shareMs) agree.
const settings = { ...DEFAULT_CACHE_OPTIONS, freshMs: 1_000, staleMs: 2_000, negativeMs: 500, staleIfErrorMs: 3_000 };
const now = 1_700_000_000_000;
const key = (expires?: number): VerifiedKey => {
  const verified: VerifiedKey = { id: 'key_1', provider: 'test', enabled: true, permissions: [], roles: [], meta: {} };
  if (expires !== undefined) verified.expires = expires;
  return verified;
};
const valid = (expires?: number, metered = false): ProviderAnswer => ({
  valid: true,
  code: 'VALID',
  key: key(expires),
  metered,
});
const limited = (reset: number): ProviderAnswer => ({
  valid: false,
  code: 'RATE_LIMITED',
  keyId: 'key_1',
  metered: true,
  ratelimits: [{ name: 'requests', limit: 10, remaining: 0, reset, exceeded: true }],
});

describe('the cache policy', () => {
  it('keeps a valid key fresh, then stale, and after errors; shares the fresh window', () => {
    expect(retentionOf(valid(), settings, now)).toEqual({
      kind: 'valid',
      keyId: 'key_1',
      freshUntil: now + 1_000,
      staleUntil: now + 3_000,
      staleIfErrorUntil: now + 3_000,
      expiresAt: Number.POSITIVE_INFINITY,
    });
    expect(shareMs(valid(), settings, now)).toBe(1_000);
  });

  it('never past a key’s expiry, and not at all once expired', () => {
    expect(shareMs(valid(now + 300), settings, now)).toBe(300);
    expect(retentionOf(valid(now), settings, now)).toBeUndefined();
    expect(shareMs(valid(now), settings, now)).toBe(0);
  });

  it('remembers a metered key only as metered, and shares none of it unless cacheMeteredKeys', () => {
    expect(retentionOf(valid(undefined, true), settings, now)).toEqual({ kind: 'metered', keyId: 'key_1' });
    expect(shareMs(valid(undefined, true), settings, now)).toBe(0);
    expect(retentionOf(valid(undefined, true), { ...settings, cacheMeteredKeys: true }, now)?.kind).toBe('valid');
    expect(shareMs(valid(undefined, true), { ...settings, cacheMeteredKeys: true }, now)).toBe(1_000);
  });

  it('keeps a rate limit until its reset; a past reset is not kept', () => {
    expect(retentionOf(limited(now + 700), settings, now)).toEqual({
      kind: 'rate_limited',
      keyId: 'key_1',
      until: now + 700,
    });
    expect(shareMs(limited(now + 700), settings, now)).toBe(700);
    expect(retentionOf(limited(now - 1), settings, now)).toBeUndefined();
    expect(shareMs(limited(now - 1), settings, now)).toBe(0);
  });

  it('keeps unknown, expired, disabled and out-of-credit keys for negativeMs, and nothing else', () => {
    for (const code of ['NOT_FOUND', 'EXPIRED', 'DISABLED', 'USAGE_EXCEEDED'] as const) {
      const answer: ProviderAnswer = { valid: false, code, metered: false };
      expect(retentionOf(answer, settings, now)).toEqual({ kind: 'negative', keyId: undefined, until: now + 500 });
      expect(shareMs(answer, settings, now)).toBe(500);
    }
    const forbidden: ProviderAnswer = { valid: false, code: 'FORBIDDEN', metered: false };
    expect(retentionOf(forbidden, settings, now)).toBeUndefined();
    expect(shareMs(forbidden, settings, now)).toBe(0);
  });
});
