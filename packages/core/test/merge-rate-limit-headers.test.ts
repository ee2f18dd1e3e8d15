import { describe, expect, it } from 'vitest';
import { mergeRateLimitHeaders } from '../src/http/merge-rate-limit-headers.js';
import { rateLimitHeaders } from '../src/http/rate-limit-headers.js';
import type { RateLimitHeaderStyle } from '../src/http/types.js';
import type { RateLimitState } from '../src/types.js';

const NOW = 1_700_000_000_000;
// The key's own limit (keyguard()) and the route's (rateLimit()).
const key: RateLimitState = {
  name: 'key',
  limit: 10,
  remaining: 2,
  reset: NOW + 30_000,
  duration: 60_000,
  exceeded: false,
};
const route: RateLimitState = {
  name: '1m',
  limit: 5,
  remaining: 4,
  reset: NOW + 50_000,
  duration: 60_000,
  exceeded: false,
};

/** A response holding `headers`, read case-insensitively as every framework does. */
const on = (headers: Record<string, string>) => (name: string) =>
  Object.entries(headers).find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
const headersOf = (limit: RateLimitState, style: RateLimitHeaderStyle) => rateLimitHeaders([limit], style, NOW);

describe('mergeRateLimitHeaders', () => {
  it('draft-8: joins both lists, the existing items first', () => {
    const merged = mergeRateLimitHeaders(on(headersOf(key, 'draft-8')), headersOf(route, 'draft-8'));
    expect(merged.set).toEqual({
      'RateLimit-Policy': '"key";q=10;w=60, "1m";q=5;w=60',
      RateLimit: '"key";r=2;t=30, "1m";r=4;t=50',
    });
    expect(merged.remove).toEqual([]);
  });

  it('draft-8: an incoming name already used is renamed in both fields alike', () => {
    const existing = headersOf({ ...key, name: '1m' }, 'draft-8');
    const { set } = mergeRateLimitHeaders(on(existing), headersOf(route, 'draft-8'));
    expect(set['RateLimit-Policy']).toBe('"1m";q=10;w=60, "1m-2";q=5;w=60');
    expect(set.RateLimit).toBe('"1m";r=2;t=30, "1m-2";r=4;t=50');
  });

  it('draft-8: the same limit written twice is reported once', () => {
    const headers = headersOf(route, 'draft-8');
    expect(mergeRateLimitHeaders(on(headers), headers).set).toEqual(headers);
    const counted = headersOf({ ...route, remaining: 3 }, 'draft-8');
    expect(mergeRateLimitHeaders(on(headers), counted).set.RateLimit).toBe('"1m";r=4;t=50, "1m-2";r=3;t=50');
  });

  it('draft-8: a response without rate-limit headers gets the incoming ones as they are', () => {
    const incoming = headersOf(route, 'draft-8');
    expect(mergeRateLimitHeaders(on({ 'Content-Type': 'text/plain' }), incoming).set).toEqual(incoming);
  });

  it.each(['draft-6', 'draft-7', 'legacy'] as const)('%s: keeps the most restrictive set whole', (style) => {
    // The key has 2 left, the route 4: the key's set stays and none of the route's is written.
    const keyFirst = mergeRateLimitHeaders(on(headersOf(key, style)), headersOf(route, style));
    expect(keyFirst.set).toEqual({});
    // The other order: the route's set is replaced whole by the key's.
    const routeFirst = mergeRateLimitHeaders(on(headersOf(route, style)), headersOf(key, style));
    expect(routeFirst.set).toEqual(headersOf(key, style));
  });

  it.each(['draft-6', 'draft-7', 'legacy'] as const)('%s: on equal remaining counts, the soonest reset', (style) => {
    const later = { ...route, remaining: 2, reset: NOW + 45_000 };
    expect(mergeRateLimitHeaders(on(headersOf(later, style)), headersOf(key, style)).set).toEqual(
      headersOf(key, style),
    );
    expect(mergeRateLimitHeaders(on(headersOf(key, style)), headersOf(later, style)).set).toEqual({});
  });

  it('draft-6: a policy of the set not kept is removed when the kept set has none', () => {
    const { duration: _duration, ...unknownWindow } = key;
    const merged = mergeRateLimitHeaders(on(headersOf(route, 'draft-6')), headersOf(unknownWindow, 'draft-6'));
    expect(merged.set['RateLimit-Remaining']).toBe('2');
    expect(merged.remove).toEqual(['RateLimit-Policy']);
  });

  it('Retry-After: the later of the two', () => {
    const incoming = { ...headersOf(route, 'draft-8'), 'Retry-After': '50' };
    expect(mergeRateLimitHeaders(on({ 'Retry-After': '70' }), incoming).set['Retry-After']).toBeUndefined();
    expect(mergeRateLimitHeaders(on({ 'Retry-After': '20' }), incoming).set['Retry-After']).toBe('50');
  });

  it('styles mixed: a name both use carries the incoming value, the other names stay', () => {
    const merged = mergeRateLimitHeaders(on(headersOf(key, 'draft-6')), headersOf(route, 'draft-8'));
    expect(merged.set).toEqual(headersOf(route, 'draft-8'));
    expect(merged.remove).toEqual([]);
  });

  it('reads values a framework answers as numbers or arrays', () => {
    const existing = (name: string) =>
      ({ 'ratelimit-policy': ['"key";q=10;w=60'], ratelimit: '"key";r=2;t=30', 'retry-after': 70 })[name.toLowerCase()];
    const { set } = mergeRateLimitHeaders(existing, { ...headersOf(route, 'draft-8'), 'Retry-After': '50' });
    expect(set['RateLimit-Policy']).toBe('"key";q=10;w=60, "1m";q=5;w=60');
    expect(set['Retry-After']).toBeUndefined();
  });
});
