import { describe, expect, it } from 'vitest';
import { deny, rateLimitHeaders, retryAfterSeconds } from '../src/http/deny.js';
import type { Denial } from '../src/http/types.js';
import type { RateLimitState, Verification, VerificationCode } from '../src/types.js';

const NOW = 1_700_000_000_000;
const PROBLEM_HEADERS = { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' };
const verification = (code: VerificationCode, extra: Partial<Omit<Verification, 'valid' | 'key'>> = {}): Denial => ({
  reason: 'verification',
  verification: { valid: false, code, source: 'upstream', ...extra },
});

const minute: RateLimitState = {
  name: 'per-minute',
  limit: 100,
  remaining: 42,
  reset: NOW + 16_200,
  exceeded: false,
  duration: 60_000,
};
const hour: RateLimitState = {
  name: 'per-hour',
  limit: 1000,
  remaining: 0,
  reset: NOW + 1_800_000,
  exceeded: true,
  duration: 3_600_000,
};

describe('deny: reading failures', () => {
  it('answers 401 with a bare challenge when there is no key', () => {
    expect(deny({ reason: 'missing' }, { now: NOW })).toEqual({
      status: 401,
      headers: { ...PROBLEM_HEADERS, 'WWW-Authenticate': 'Bearer realm="api"' },
      body: {
        type: 'urn:keyguard:problem:missing-key',
        title: 'API key required',
        status: 401,
        detail: 'This request needs an API key.',
        code: 'MISSING_KEY',
      },
    });
  });

  it.each([
    ['malformed', 'MALFORMED_KEY'],
    ['ambiguous', 'AMBIGUOUS_KEY'],
    ['too_long', 'KEY_TOO_LONG'],
  ] as const)('answers 400 invalid_request for %s', (reason, code) => {
    const response = deny({ reason });
    expect(response.status).toBe(400);
    expect(response.headers).toEqual({
      ...PROBLEM_HEADERS,
      'WWW-Authenticate': 'Bearer realm="api", error="invalid_request"',
    });
    expect(response.body).toMatchObject({ type: 'urn:keyguard:problem:invalid-request', status: 400, code });
    expect(response.body.requestId).toBeUndefined();
  });
});

describe('deny: verification codes', () => {
  it.each(['NOT_FOUND', 'EXPIRED', 'DISABLED', 'INVALID_KEY_FORMAT', 'UNKNOWN_CODE'] as const)(
    'answers 401 invalid_token for %s',
    (code) => {
      const response = deny(verification(code));
      expect(response.status).toBe(401);
      expect(response.headers).toEqual({
        ...PROBLEM_HEADERS,
        'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"',
      });
      expect(response.body).toMatchObject({
        type: 'urn:keyguard:problem:invalid-token',
        title: 'Invalid API key',
        status: 401,
        code,
      });
    },
  );

  it('answers 403 without a challenge for FORBIDDEN', () => {
    const response = deny(verification('FORBIDDEN'));
    expect(response.status).toBe(403);
    expect(response.headers).toEqual(PROBLEM_HEADERS);
    expect(response.body).toMatchObject({ type: 'urn:keyguard:problem:forbidden', code: 'FORBIDDEN', status: 403 });
  });

  it('answers 403 insufficient_scope for INSUFFICIENT_PERMISSIONS', () => {
    const response = deny(verification('INSUFFICIENT_PERMISSIONS'));
    expect(response.status).toBe(403);
    expect(response.headers['WWW-Authenticate']).toBe('Bearer realm="api", error="insufficient_scope"');
    expect(response.body).toMatchObject({
      type: 'urn:keyguard:problem:insufficient-scope',
      code: 'INSUFFICIENT_PERMISSIONS',
    });
  });

  it('answers 429 with Retry-After and rate-limit headers for RATE_LIMITED', () => {
    const response = deny(verification('RATE_LIMITED', { ratelimits: [minute, hour] }), { now: NOW });
    expect(response.status).toBe(429);
    expect(response.headers).toEqual({
      ...PROBLEM_HEADERS,
      'Retry-After': '1800',
      'RateLimit-Limit': '1000',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '1800',
      'RateLimit-Policy': '1000;w=3600',
    });
    expect(response.body).toMatchObject({
      type: 'urn:keyguard:problem:rate-limited',
      code: 'RATE_LIMITED',
      status: 429,
    });
  });

  it('takes Retry-After from the verification retryAt', () => {
    const response = deny(verification('RATE_LIMITED', { retryAt: NOW + 2500 }), { now: NOW });
    expect(response.headers['Retry-After']).toBe('3');
    expect(response.headers['RateLimit-Limit']).toBeUndefined();
  });

  it('answers 429 without Retry-After when no reset is known', () => {
    const response = deny(verification('RATE_LIMITED'), { now: NOW });
    expect(response.status).toBe(429);
    expect(response.headers).toEqual(PROBLEM_HEADERS);
  });

  it('answers 429 for USAGE_EXCEEDED, with Retry-After only when retryAt is known', () => {
    expect(deny(verification('USAGE_EXCEEDED'), { now: NOW })).toMatchObject({
      status: 429,
      headers: PROBLEM_HEADERS,
      body: { type: 'urn:keyguard:problem:usage-exceeded', code: 'USAGE_EXCEEDED' },
    });
    expect(deny(verification('USAGE_EXCEEDED', { retryAt: NOW + 60_000 }), { now: NOW }).headers['Retry-After']).toBe(
      '60',
    );
  });

  it('answers 503 with Retry-After for PROVIDER_UNAVAILABLE, default 1 second', () => {
    const response = deny(verification('PROVIDER_UNAVAILABLE'), { now: NOW });
    expect(response.status).toBe(503);
    expect(response.headers).toEqual({ ...PROBLEM_HEADERS, 'Retry-After': '1' });
    expect(response.body).toMatchObject({
      type: 'urn:keyguard:problem:service-unavailable',
      code: 'PROVIDER_UNAVAILABLE',
    });
    expect(
      deny(verification('PROVIDER_UNAVAILABLE', { retryAt: NOW + 30_000 }), { now: NOW }).headers['Retry-After'],
    ).toBe('30');
  });

  it('answers 500 with nothing about the provider for PROVIDER_MISCONFIGURED', () => {
    const response = deny(verification('PROVIDER_MISCONFIGURED', { requestId: 'req_1' }));
    expect(response).toEqual({
      status: 500,
      headers: PROBLEM_HEADERS,
      body: {
        type: 'urn:keyguard:problem:service-misconfigured',
        title: 'Internal server error',
        status: 500,
        detail: 'The API key service is misconfigured.',
        code: 'PROVIDER_MISCONFIGURED',
        requestId: 'req_1',
      },
    });
  });

  it('adds requestId only when the verification has one', () => {
    expect(deny(verification('NOT_FOUND', { requestId: 'req_abc' })).body.requestId).toBe('req_abc');
    expect('requestId' in deny(verification('NOT_FOUND')).body).toBe(false);
  });

  it('never lets an unexpected code through as anything but an invalid key', () => {
    for (const code of ['VALID', 'SOMETHING_NEW', 'toString', 'MISSING_KEY', '__proto__']) {
      const response = deny(verification(code as VerificationCode));
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('UNKNOWN_CODE');
    }
  });

  it('has a distinct type per kind of outcome and the status in the body', () => {
    const denials: Denial[] = [
      { reason: 'missing' },
      { reason: 'malformed' },
      { reason: 'insufficient_scope', query: 'a' },
      ...(
        [
          'NOT_FOUND',
          'FORBIDDEN',
          'RATE_LIMITED',
          'USAGE_EXCEEDED',
          'PROVIDER_UNAVAILABLE',
          'PROVIDER_MISCONFIGURED',
        ] as const
      ).map((code) => verification(code)),
    ];
    const responses = denials.map((denial) => deny(denial));
    expect(new Set(responses.map((response) => response.body.type)).size).toBe(denials.length);
    for (const response of responses) {
      expect(response.body.status).toBe(response.status);
      expect(response.body.type).toMatch(/^urn:keyguard:problem:[a-z]+(?:-[a-z]+)*$/);
      if (response.status === 401) expect(response.headers['WWW-Authenticate']).toMatch(/^Bearer realm="api"/);
    }
  });
});

describe('deny: insufficient_scope and realm', () => {
  it('adds scope when the query is safe in a quoted-string', () => {
    const response = deny({ reason: 'insufficient_scope', query: 'api.read AND (billing:* OR admin)' });
    expect(response.status).toBe(403);
    expect(response.headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="api.read AND (billing:* OR admin)"',
    );
    expect(response.body).toMatchObject({
      type: 'urn:keyguard:problem:insufficient-scope',
      code: 'INSUFFICIENT_PERMISSIONS',
      status: 403,
    });
  });

  it('leaves scope out when the query is not safe', () => {
    for (const query of ['a"b', 'a\\b', 'a\r\nX-Evil: 1', 'é', '']) {
      expect(deny({ reason: 'insufficient_scope', query }).headers['WWW-Authenticate']).toBe(
        'Bearer realm="api", error="insufficient_scope"',
      );
    }
  });

  it('escapes the realm as a quoted-string and drops characters a header cannot carry', () => {
    expect(deny({ reason: 'missing' }, { realm: 'my "quoted" \\ realm' }).headers['WWW-Authenticate']).toBe(
      'Bearer realm="my \\"quoted\\" \\\\ realm"',
    );
    expect(deny({ reason: 'missing' }, { realm: 'a\r\nSet-Cookie: x=1' }).headers['WWW-Authenticate']).toBe(
      'Bearer realm="aSet-Cookie: x=1"',
    );
    expect(deny({ reason: 'malformed' }, { realm: 'Acme' }).headers['WWW-Authenticate']).toBe(
      'Bearer realm="Acme", error="invalid_request"',
    );
  });
});

describe('rateLimitHeaders', () => {
  it('writes draft-6 for the most restrictive limit', () => {
    expect(rateLimitHeaders([minute], 'draft-6', NOW)).toEqual({
      'RateLimit-Limit': '100',
      'RateLimit-Remaining': '42',
      'RateLimit-Reset': '17',
      'RateLimit-Policy': '100;w=60',
    });
  });

  it('writes draft-7', () => {
    expect(rateLimitHeaders([minute], 'draft-7', NOW)).toEqual({
      RateLimit: 'limit=100, remaining=42, reset=17',
      'RateLimit-Policy': '100;w=60',
    });
  });

  it('writes draft-8 with one entry per limit', () => {
    expect(rateLimitHeaders([minute, hour], 'draft-8', NOW)).toEqual({
      'RateLimit-Policy': '"per-minute";q=100;w=60, "per-hour";q=1000;w=3600',
      RateLimit: '"per-minute";r=42;t=17, "per-hour";r=0;t=1800',
    });
    expect(rateLimitHeaders([{ ...minute, name: 'a"b\\c\u00e9', duration: undefined }], 'draft-8', NOW)).toEqual({
      'RateLimit-Policy': '"a\\"b\\\\c";q=100',
      RateLimit: '"a\\"b\\\\c";r=42;t=17',
    });
  });

  it('writes legacy X-RateLimit-* with reset as epoch seconds', () => {
    expect(rateLimitHeaders([minute], 'legacy', NOW)).toEqual({
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '42',
      'X-RateLimit-Reset': String(Math.ceil((NOW + 16_200) / 1000)),
    });
  });

  it('writes nothing for none or no limits', () => {
    expect(rateLimitHeaders([minute], 'none', NOW)).toEqual({});
    expect(rateLimitHeaders([], 'draft-6', NOW)).toEqual({});
  });

  it('picks least remaining, then the soonest reset', () => {
    const a = { ...minute, name: 'a', remaining: 5, reset: NOW + 50_000 };
    const b = { ...minute, name: 'b', remaining: 5, reset: NOW + 10_000, limit: 7 };
    const c = { ...minute, name: 'c', remaining: 9, reset: NOW + 1_000, limit: 9 };
    expect(rateLimitHeaders([a, b, c], 'draft-6', NOW)['RateLimit-Limit']).toBe('7');
    expect(rateLimitHeaders([c, a], 'draft-7', NOW).RateLimit).toBe('limit=100, remaining=5, reset=50');
  });

  it('omits the policy when the window is unknown and clamps negative remaining', () => {
    expect(rateLimitHeaders([{ ...minute, duration: undefined, remaining: -3 }], 'draft-6', NOW)).toEqual({
      'RateLimit-Limit': '100',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '17',
    });
  });
});

describe('retryAfterSeconds', () => {
  it('rounds up to whole seconds', () => {
    expect(retryAfterSeconds(NOW + 1, NOW)).toBe('1');
    expect(retryAfterSeconds(NOW + 1000, NOW)).toBe('1');
    expect(retryAfterSeconds(NOW + 1001, NOW)).toBe('2');
    expect(retryAfterSeconds(NOW, NOW)).toBe('0');
  });

  it('is never negative and survives nonsense', () => {
    expect(retryAfterSeconds(NOW - 5000, NOW)).toBe('0');
    expect(retryAfterSeconds(Number.NaN, NOW)).toBe('0');
  });

  it('defaults to now', () => {
    expect(Number(retryAfterSeconds(Date.now() + 60_000))).toBeGreaterThanOrEqual(59);
  });
});
