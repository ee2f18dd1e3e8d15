import { KEY_IDS } from './key-services/key-service.js';
import type { UnkeyScenarioKeys } from './key-services/unkey.js';
import { parseDuration } from '../../packages/core/src/rate-limit/duration.js';
import { OVERRIDE_LIMIT, RATE_LIMITED_ROUTES } from './rate-limit-routes.js';
import { deltaSeconds, passedWith } from './table.js';
import type { HeaderExpectation, Scenario, ValueMatcher } from './table.js';

/**
 * Rate limits no key carries (each adapter's `rateLimit()`, the routes of rate-limit-routes.ts): the draft-8 headers
 * on every answer (`RateLimit-Policy` names each limit with its quota and window, `RateLimit` its remaining tokens and
 * the seconds to its reset), a 429 past the limit, a 503 or a pass when the backend is down, per
 * draft-ietf-httpapi-ratelimit-headers-08 and docs/http-conventions.md. Each row counts a client of its own (its
 * `X-Forwarded-For` address, header value or key), so rows never spend each other's limits.
 */

/** `RateLimit` of one limit: its name and remaining tokens exactly, the seconds to reset within the window. */
function state(...limits: [name: string, remaining: number, windowSeconds: number][]): ValueMatcher {
  const items = limits.map(([name, remaining, window]) => ({ name, remaining, window }));
  return {
    describe: items.map((item) => `"${item.name}";r=${item.remaining};t=<1..${item.window}>`).join(', '),
    test: (value) => {
      const parts = value.split(', ');
      return (
        parts.length === items.length &&
        parts.every((part, index) => {
          const match = /^"([^"]+)";r=(\d+);t=(\d+)$/.exec(part);
          const item = items[index]!;
          return (
            match !== null &&
            match[1] === item.name &&
            Number(match[2]) === item.remaining &&
            Number(match[3]) >= 1 &&
            Number(match[3]) <= item.window
          );
        })
      );
    },
  };
}

const ONE_LIMIT_POLICY = '"1m";q=3;w=60';
const TWO_LIMITS_POLICY = '"burst";q=2;w=10, "hourly";q=50;w=3600';

/** A 429 of the rate limiter: its own problem type, `Retry-After`, and every limit's state. */
function limitedBy(headers: Record<string, HeaderExpectation>): Scenario['expected'] {
  return {
    status: 429,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
    body: {
      type: 'urn:keyguard:problem:rate-limited',
      title: 'Too many requests',
      status: 429,
      detail: 'Too many requests; try again later.',
      code: 'RATE_LIMITED',
    },
  };
}

const forwardedFor = (address: string) => () => ({ 'x-forwarded-for': address });

// The override rows count in the one local key service every harness shares: each harness gets customers of its own.
let customers = 0;
const customer = (prefix: 'vip' | 'org') => () => ({ 'x-customer': `${prefix}_${++customers}` });
const OVERRIDE_POLICY = `"1m";q=${OVERRIDE_LIMIT};w=60`;

const rows: Scenario<UnkeyScenarioKeys>[] = [
  {
    name: 'rate limit by IP: allowed, with RateLimit-Policy and RateLimit (draft-8)',
    route: '/limited/ip',
    headers: forwardedFor('198.51.100.1'),
    expected: passedWith(null, { 'ratelimit-policy': ONE_LIMIT_POLICY, ratelimit: state(['1m', 2, 60]) }),
  },
  {
    name: 'rate limit by IP: past the limit, 429 with Retry-After',
    route: '/limited/ip',
    headers: forwardedFor('198.51.100.2'),
    warmUps: 3,
    expected: limitedBy({
      'retry-after': deltaSeconds(60),
      'ratelimit-policy': ONE_LIMIT_POLICY,
      ratelimit: state(['1m', 0, 60]),
    }),
  },
  {
    name: 'several limits on one route: each reported',
    route: '/limited/limits',
    headers: forwardedFor('198.51.100.3'),
    expected: passedWith(null, {
      'ratelimit-policy': TWO_LIMITS_POLICY,
      ratelimit: state(['burst', 1, 10], ['hourly', 49, 3600]),
    }),
  },
  {
    name: 'several limits on one route: the burst used up, 429 until it resets',
    route: '/limited/limits',
    headers: forwardedFor('198.51.100.4'),
    warmUps: 2,
    expected: limitedBy({
      'retry-after': deltaSeconds(10),
      'ratelimit-policy': TWO_LIMITS_POLICY,
      ratelimit: state(['burst', 0, 10], ['hourly', 48, 3600]),
    }),
  },
  {
    name: 'rate limit with a cost: a request spends 4 of 10',
    route: '/limited/cost',
    headers: forwardedFor('198.51.100.5'),
    expected: passedWith(null, { 'ratelimit-policy': '"1m";q=10;w=60', ratelimit: state(['1m', 6, 60]) }),
  },
  {
    name: 'rate limit by a header',
    route: '/limited/header',
    headers: () => ({ 'x-tenant': 'tenant-a' }),
    expected: passedWith(null, { 'ratelimit-policy': '"1m";q=2;w=60', ratelimit: state(['1m', 1, 60]) }),
  },
  {
    name: 'rate limit by a header the request lacks: not limited, no headers',
    route: '/limited/header',
    expected: passedWith(null),
  },
  {
    name: 'rate limit by the key keyguard() verified',
    route: '/limited/key',
    headers: (k) => ({ 'x-api-key': k.reader }),
    expected: passedWith(KEY_IDS.reader, { 'ratelimit-policy': '"1m";q=2;w=60', ratelimit: state(['1m', 1, 60]) }),
  },
  {
    name: 'rate limit by the key keyguard() verified: past the limit',
    route: '/limited/key',
    headers: (k) => ({ 'x-api-key': k.writer }),
    warmUps: 2,
    expected: limitedBy({
      'retry-after': deltaSeconds(60),
      'ratelimit-policy': '"1m";q=2;w=60',
      ratelimit: state(['1m', 0, 60]),
    }),
  },
  {
    // draft-6 describes one limit: the key's (none left of 1 a minute) rather than the route's (4 of 5 left), whole.
    name: "rate limit after keyguard() on a metered key (draft-6 both): the most restrictive limit, the key's",
    route: '/limited/metered',
    headers: (k) => ({ 'x-api-key': k.limited }),
    expected: passedWith(KEY_IDS.limited, {
      'ratelimit-limit': '1',
      'ratelimit-remaining': '0',
      'ratelimit-reset': deltaSeconds(60),
      'ratelimit-policy': '1;w=60',
    }),
  },
  {
    name: 'rate limit by a function of the request',
    route: '/limited/function',
    headers: () => ({ 'x-user': 'ada' }),
    expected: passedWith(null, { 'ratelimit-policy': '"1m";q=5;w=60', ratelimit: state(['1m', 4, 60]) }),
  },
  {
    name: 'rate-limit backend down, fail-open: let through without rate-limit headers',
    route: '/limited/fail-open',
    headers: forwardedFor('198.51.100.6'),
    expected: passedWith(null),
  },
  {
    name: 'rate-limit backend down, fail-closed: 503 with Retry-After',
    route: '/limited/fail-closed',
    headers: forwardedFor('198.51.100.7'),
    expected: {
      status: 503,
      headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', 'retry-after': '1' },
      body: {
        type: 'urn:keyguard:problem:rate-limit-unavailable',
        title: 'Service unavailable',
        status: 503,
        detail: 'Rate limits cannot be checked right now; try again later.',
        code: 'RATE_LIMIT_UNAVAILABLE',
      },
    },
  },
  {
    name: 'rate limit on Unkey: an override set for the identifier (vip_*) applies, with its limit in the headers',
    route: '/limited/override',
    headers: customer('vip'),
    expected: passedWith(null, {
      'ratelimit-policy': OVERRIDE_POLICY,
      ratelimit: state(['1m', OVERRIDE_LIMIT - 1, 60]),
    }),
  },
  {
    name: 'rate limit on Unkey: past the override, 429',
    route: '/limited/override',
    headers: customer('vip'),
    warmUps: OVERRIDE_LIMIT,
    expected: limitedBy({
      'retry-after': deltaSeconds(60),
      'ratelimit-policy': OVERRIDE_POLICY,
      ratelimit: state(['1m', 0, 60]),
    }),
  },
  {
    name: 'rate limit on Unkey: an identifier no override matches gets the route limit',
    route: '/limited/override',
    headers: customer('org'),
    expected: passedWith(null, { 'ratelimit-policy': '"1m";q=10;w=60', ratelimit: state(['1m', 9, 60]) }),
  },
];

/** The shortest window a route counts in: its row starts away from that window's end (see test/support/window-edge.ts). */
function shortestWindow(route: Scenario['route']): number | undefined {
  const options = RATE_LIMITED_ROUTES.find((candidate) => candidate.path === route)?.options;
  const durations = options?.limits?.map((limit) => limit.duration) ?? [options?.duration];
  const windows = durations
    .filter((duration) => duration !== undefined)
    .map((duration) => parseDuration('duration', duration));
  return windows.length > 0 ? Math.min(...windows) : undefined;
}

export const rateLimitRows: Scenario<UnkeyScenarioKeys>[] = rows.map((row) => ({
  ...row,
  windowMs: shortestWindow(row.route),
}));
