import { describe, expect, it } from 'vitest';
import { rateLimitHeaders } from '../src/http/rate-limit-headers.js';
import type { RateLimitState } from '../src/types.js';

const NOW = 1_700_000_000_000;
const state = (name: string, extra: Partial<RateLimitState> = {}): RateLimitState => ({
  name,
  limit: 100,
  remaining: 42,
  reset: NOW + 16_200,
  exceeded: false,
  duration: 60_000,
  ...extra,
});

// draft-8's names and policy items are kept between requests: a limit that changes under the same name (an
// override at Unkey, a window changed on redeploy) must be described as it is now, never as it was first seen.
describe('rateLimitHeaders draft-8 across requests', () => {
  it('describes a limit anew when its limit or window changes under the same name', () => {
    expect(rateLimitHeaders([state('quota')], 'draft-8', NOW)['RateLimit-Policy']).toBe('"quota";q=100;w=60');
    expect(rateLimitHeaders([state('quota', { limit: 7 })], 'draft-8', NOW)['RateLimit-Policy']).toBe(
      '"quota";q=7;w=60',
    );
    expect(rateLimitHeaders([state('quota', { limit: 7, duration: 3_600_000 })], 'draft-8', NOW)).toEqual({
      'RateLimit-Policy': '"quota";q=7;w=3600',
      RateLimit: '"quota";r=42;t=17',
    });
    expect(rateLimitHeaders([state('quota', { limit: 7, duration: undefined })], 'draft-8', NOW)).toEqual({
      'RateLimit-Policy': '"quota";q=7',
      RateLimit: '"quota";r=42;t=17',
    });
  });

  it('carries each request its own remaining count and reset', () => {
    const first = rateLimitHeaders([state('steady', { remaining: 9 })], 'draft-8', NOW);
    const second = rateLimitHeaders([state('steady', { remaining: 8, reset: NOW + 2_000 })], 'draft-8', NOW);
    expect([first.RateLimit, second.RateLimit]).toEqual(['"steady";r=9;t=17', '"steady";r=8;t=2']);
  });

  it('stays right past the names it keeps (more limit names than it remembers)', () => {
    for (let index = 0; index < 600; index++) {
      const name = `limit-${index}`;
      expect(rateLimitHeaders([state(name, { limit: index + 1 })], 'draft-8', NOW)['RateLimit-Policy']).toBe(
        `"${name}";q=${index + 1};w=60`,
      );
    }
    expect(rateLimitHeaders([state('limit-0', { limit: 1 }), state('limit-599')], 'draft-8', NOW)).toEqual({
      'RateLimit-Policy': '"limit-0";q=1;w=60, "limit-599";q=100;w=60',
      RateLimit: '"limit-0";r=42;t=17, "limit-599";r=42;t=17',
    });
  });
});
