import type { Logger, RateLimitBackend, RateLimitOptions, RateLimitRequest } from '@keyguard/core';
import type { KeyServer } from '@keyguard/server';
import type { UnkeyClient } from '@keyguard/unkey';
import { registerSecret } from '../support/secrets.js';

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
  | '/limited/metered'
  | '/limited/function'
  | '/limited/fail-open'
  | '/limited/fail-closed'
  | '/limited/override';

export interface RateLimitedRoute {
  path: RateLimitedPath;
  /** The route verifies a key first (`keyguard()` before `rateLimit()`), so the `'apiKey'` source has one. */
  afterKeyguard?: true;
  /** Everything but the backend; `failing: true` routes count with `failingBackend`, `unkey: true` with `localUnkeyBackend`. */
  options: Omit<RateLimitOptions, 'backend'> & { failing?: true; unkey?: true };
}

/** The outage warnings of the failing routes are expected: kept out of the test output. */
const quiet: Logger = { warn: () => undefined, error: () => undefined };

/** A backend that is down: every call rejects, as a Redis without connection or an unreachable Unkey would. */
export const failingBackend: RateLimitBackend = {
  kind: 'failing',
  batching: false,
  limit: () => Promise.reject(new Error('connection refused')),
};

/** Where `localUnkeyBackend` sets its override: identifiers `vip_*` of this namespace get `OVERRIDE_LIMIT`. */
export const OVERRIDE_NAMESPACE = 'conformance.override';
export const OVERRIDE_LIMIT = 2;

let localUnkey: Promise<{ server: KeyServer; client: UnkeyClient; backend: RateLimitBackend }> | undefined;

/** The local key service, started on the first call (or by the test file first), with the override set through Unkey's API (`ratelimit.setOverride`). */
export function startLocalUnkey() {
  localUnkey ??= (async () => {
    // Imported here, not above: the harness files also run as apps on Bun and Deno (test/runtimes), which never
    // count on Unkey and need not load the key service.
    const [{ createKeyServer }, { UnkeyClient, unkeyRateLimitBackend }] = await Promise.all([
      import('@keyguard/server'),
      import('@keyguard/unkey'),
    ]);
    const server = createKeyServer();
    const rootKey = server.bootstrap().rootKey as string;
    registerSecret(rootKey);
    const { url } = await server.start();
    const client = new UnkeyClient({ rootKey, baseUrl: url, retry: false });
    const backend = unkeyRateLimitBackend({ client });
    // The namespace exists once something was counted in it; then its override can be set.
    await client.ratelimit.limit({
      namespace: OVERRIDE_NAMESPACE,
      identifier: 'setup',
      limit: 1,
      duration: 60_000,
      cost: 0,
    });
    await client.ratelimit.setOverride({
      namespace: OVERRIDE_NAMESPACE,
      identifier: 'vip_*',
      limit: OVERRIDE_LIMIT,
      duration: 60_000,
    });
    return { server, client, backend };
  })();
  return localUnkey;
}

/**
 * `unkeyRateLimitBackend()` on keyguard's local key service (Unkey's `ratelimit.limit`, real HTTP), which every harness
 * shares: rows that use it count identifiers of their own. Started on first use; `stopLocalUnkey()` ends it.
 */
export const localUnkeyBackend: RateLimitBackend = {
  kind: 'unkey',
  batching: true,
  limit: async (call, signal) => (await startLocalUnkey()).backend.limit(call, signal),
};

/** Stops the local key service of `localUnkeyBackend`, if it was started. */
export async function stopLocalUnkey(): Promise<void> {
  if (!localUnkey) return;
  const { server, client } = await localUnkey;
  localUnkey = undefined;
  await client.close();
  await server.stop();
}

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
  // The key's own limit (keyguard()'s draft-6 headers, the default) and the route's, in the same style: merged.
  {
    path: '/limited/metered',
    afterKeyguard: true,
    options: { namespace: 'metered', limit: 5, duration: '1m', identifier: 'apiKey', rateLimitHeaders: 'draft-6' },
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
  {
    path: '/limited/override',
    options: {
      namespace: OVERRIDE_NAMESPACE,
      limit: 10,
      duration: '1m',
      identifier: { header: 'x-customer' },
      // A real HTTP call per request on a machine the rest of the suite loads too: more than the default 1 s.
      timeoutMs: 5000,
      unkey: true,
    },
  },
];

/** The backend a route counts in: the harness's `backend`, unless the route brings the failing or the Unkey one. */
export function backendOf(route: RateLimitedRoute, backend: RateLimitBackend): RateLimitBackend {
  return route.options.failing ? failingBackend : route.options.unkey ? localUnkeyBackend : backend;
}

/** The full options of a route's limiter. */
export function rateLimitOptionsFor(route: RateLimitedRoute, backend: RateLimitBackend): RateLimitOptions {
  const { failing: _failing, unkey: _unkey, ...options } = route.options;
  return { ...options, backend: backendOf(route, backend) };
}
