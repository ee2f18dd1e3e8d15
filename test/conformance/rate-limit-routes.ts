import type { Logger, RateLimitBackend, RateLimitOptions, RateLimitRequest } from '@keyguard/core';

/**
 * The rate-limited routes every harness serves besides the three keyed ones: `GET <path>`, through the adapter's
 * `rateLimit()` with `rateLimitOptionsFor(route, backend)` (after `keyguard({ verifier })` when `afterKeyguard`),
 * answering 200 `passed(apiKey)` as the other routes do. `backend` is a `memoryRateLimitBackend()` the harness creates
 * on each start, so every run counts from zero; the routes that need a failing backend bring their own.
 */
export type RateLimitedPath =
  | '/limited/ip'
  | '/limited/limits'
  | '/limited/cost'
  | '/limited/header'
  | '/limited/key'
  | '/limited/function'
  | '/limited/fail-open'
  | '/limited/fail-closed';

export interface RateLimitedRoute {
  path: RateLimitedPath;
  /** The route verifies a key first (`keyguard()` before `rateLimit()`), so the `'apiKey'` source has one. */
  afterKeyguard?: true;
  /** Everything but the backend; `failing: true` routes count with `failingBackend`. */
  options: Omit<RateLimitOptions, 'backend'> & { failing?: true };
}

/** The outage warnings of the failing routes are expected: kept out of the test output. */
const quiet: Logger = { warn: () => undefined, error: () => undefined };

/** A backend that is down: every call rejects, as a Redis without connection or an unreachable Unkey would. */
export const failingBackend: RateLimitBackend = {
  kind: 'failing',
  batching: false,
  limit: () => Promise.reject(new Error('connection refused')),
};

/** The `x-user` header, read from a Node header record or a fetch `Headers` alike. */
function userOf(request: RateLimitRequest): string | undefined {
  const headers = request.headers as Headers | Record<string, string | string[] | undefined>;
  const value = headers instanceof Headers ? headers.get('x-user') : headers['x-user'];
  return typeof value === 'string' ? `user:${value}` : undefined;
}

// Every IP-counted route trusts one proxy hop: Next.js gives no socket address, so the rows send the client's address
// in `X-Forwarded-For`, and every adapter then counts that address.
const byForwardedIp = { identifier: 'ip', trustProxy: 1 } as const;

export const RATE_LIMITED_ROUTES: readonly RateLimitedRoute[] = [
  { path: '/limited/ip', options: { namespace: 'ip', limit: 3, duration: '1m', ...byForwardedIp } },
  {
    path: '/limited/limits',
    options: {
      namespace: 'limits',
      limits: [
        { name: 'burst', limit: 2, duration: '10s' },
        { name: 'hourly', limit: 50, duration: '1h' },
      ],
      ...byForwardedIp,
    },
  },
  { path: '/limited/cost', options: { namespace: 'cost', limit: 10, duration: '1m', cost: 4, ...byForwardedIp } },
  {
    path: '/limited/header',
    options: { namespace: 'header', limit: 2, duration: '1m', identifier: { header: 'x-tenant' } },
  },
  {
    path: '/limited/key',
    afterKeyguard: true,
    options: { namespace: 'key', limit: 2, duration: '1m', identifier: 'apiKey' },
  },
  { path: '/limited/function', options: { namespace: 'function', limit: 5, duration: '1m', identifier: userOf } },
  {
    path: '/limited/fail-open',
    options: {
      namespace: 'open',
      limit: 5,
      duration: '1m',
      onBackendError: 'fail-open',
      failing: true,
      logger: quiet,
      ...byForwardedIp,
    },
  },
  {
    path: '/limited/fail-closed',
    options: { namespace: 'closed', limit: 5, duration: '1m', failing: true, logger: quiet, ...byForwardedIp },
  },
];

/** The full options of a route's limiter, counting in `backend` unless the route brings the failing one. */
export function rateLimitOptionsFor(route: RateLimitedRoute, backend: RateLimitBackend): RateLimitOptions {
  const { failing, ...options } = route.options;
  return { ...options, backend: failing ? failingBackend : backend };
}
