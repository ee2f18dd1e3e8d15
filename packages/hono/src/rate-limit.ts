import { createRateLimiter } from '@keyguard/core';
import type { RateLimitOptions, RateLimitOutcome, RateLimiter } from '@keyguard/core';
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { GetConnInfo } from 'hono/conninfo';
import { denialResponse, nodeIncoming, proceedWithHeaders, waitUntilOf } from './context.js';
import type { KeyguardEnv } from './env.js';

/** What `rateLimit()` takes: core's `RateLimitOptions`, and how to find the client's address on your runtime. */
export type RateLimitHonoOptions = RateLimitOptions & {
  /**
   * The runtime's `getConnInfo` (from `hono/bun`, `hono/deno`, `hono/cloudflare-workers`, `hono/vercel`,
   * `@hono/node-server/conninfo`), for the `'ip'` source. On @hono/node-server the socket's address is read without
   * it. Elsewhere, without it, `'ip'` yields an address only from `X-Forwarded-For` as `trustProxy` allows.
   * @default the Node socket's address on @hono/node-server, none elsewhere
   */
  getConnInfo?: GetConnInfo;
};

/** The Hono middleware `rateLimit()` answers, with the limiter behind it. */
export interface RateLimitMiddleware extends MiddlewareHandler<KeyguardEnv> {
  /** The RateLimiter behind this middleware (its stats, close). */
  readonly rateLimiter: RateLimiter;
}

function proceed(c: Context, next: Next, outcome: RateLimitOutcome): Promise<Response | void> {
  if (!outcome.allowed) return Promise.resolve(denialResponse(c, outcome.denial));
  return proceedWithHeaders(c, next, outcome.headers);
}

/**
 * Limits requests per IP, per key, per identity or per any identifier of yours, with limits no key carries; sends
 * the rate-limit headers (draft-8 `RateLimit-Policy` and `RateLimit` by default) on every answer and a 429 problem
 * (RFC 9457) with `Retry-After` past the limit. After `keyguard()`, the `'apiKey'` and `'identity'` sources count by
 * `c.get('apiKey')`. Where the runtime keeps the request alive for background work (`executionCtx.waitUntil`),
 * settlements with the backend are handed to it.
 *
 * @param options - The backend, namespace, limits and identifier (core's `RateLimitOptions`), and `getConnInfo`.
 * @returns The middleware; its `rateLimiter` property is the RateLimiter behind it.
 * @throws ConfigurationError when the options are wrong (at start-up, never per request).
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { getConnInfo } from 'hono/bun';
 * import { memoryRateLimitBackend } from '@keyguard/core';
 * import { rateLimit } from '@keyguard/hono';
 *
 * const limit = rateLimit({ backend: memoryRateLimitBackend(), namespace: 'api', limit: 100, duration: '1m', getConnInfo });
 * const app = new Hono().get('/search', limit, (c) => c.json({ results: [] }));
 * ```
 */
export function rateLimit(options: RateLimitHonoOptions): RateLimitMiddleware {
  const { getConnInfo, ...limiterOptions } = options;
  const limiter = createRateLimiter(limiterOptions);
  // Not an async function: an answer from memory goes straight on to `next()`.
  const middleware: MiddlewareHandler<KeyguardEnv> = (c, next) => {
    const incoming = nodeIncoming(c);
    const outcome = limiter.check({
      headers: incoming?.headers ?? c.req.raw.headers,
      ip: incoming ? incoming.socket?.remoteAddress : getConnInfo?.(c).remote.address,
      apiKey: c.get('apiKey'),
      url: c.req.path,
      waitUntil: waitUntilOf(c),
    });
    return outcome instanceof Promise
      ? outcome.then((settled) => proceed(c, next, settled))
      : proceed(c, next, outcome);
  };
  return Object.assign(middleware, { rateLimiter: limiter });
}
