import { createRateLimiter } from '@keyguard/core';
import type { Logger, RateLimitOptions, RateLimitOutcome, RateLimiter } from '@keyguard/core';
import type { Middleware, Next, ParameterizedContext } from 'koa';
import type { KeyguardState } from './state.js';
import { mergedHeaders, writeDenial } from './write-denial.js';

/** What `rateLimit()` takes: a backend, a namespace, the limits and whom to count (see core's `RateLimitOptions`). */
export type RateLimitKoaOptions = RateLimitOptions;

/** The Koa middleware `rateLimit()` answers, with the limiter behind it. */
export interface RateLimitMiddleware extends Middleware<KeyguardState> {
  /** The RateLimiter behind this middleware (its stats, close). */
  readonly rateLimiter: RateLimiter;
}

function proceed(ctx: ParameterizedContext<KeyguardState>, next: Next, outcome: RateLimitOutcome): unknown {
  if (!outcome.allowed) return writeDenial(ctx, outcome.denial);
  ctx.set(mergedHeaders(ctx, outcome.headers));
  return next();
}

/**
 * Limits requests per IP, per key, per identity or per any identifier of yours, with limits no key carries; sends
 * the rate-limit headers (draft-8 `RateLimit-Policy` and `RateLimit` by default) on every answer and a 429 problem
 * (RFC 9457) with `Retry-After` past the limit. The `'ip'` source is the socket's address
 * (`ctx.req.socket.remoteAddress`), behind proxies only as `trustProxy` says; Koa's `app.proxy` is not read. After
 * `keyguard()`, the `'apiKey'` and `'identity'` sources count by `ctx.state.apiKey`.
 *
 * @param options - The backend, namespace, limits and identifier (core's `RateLimitOptions`).
 * @returns The middleware; its `rateLimiter` property is the RateLimiter behind it.
 * @throws ConfigurationError when the options are wrong (at start-up, never per request).
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { memoryRateLimitBackend } from '@keyguard/core';
 * import { rateLimit } from '@keyguard/koa';
 *
 * new Koa()
 *   .use(rateLimit({ backend: memoryRateLimitBackend(), namespace: 'api', limit: 100, duration: '1m' }))
 *   .use((ctx) => {
 *     ctx.body = { results: [] };
 *   })
 *   .listen(3000);
 * ```
 */
export function rateLimit(options: RateLimitKoaOptions): RateLimitMiddleware {
  const limiter = createRateLimiter(options);
  // Not an async function: an answer from memory goes straight on to `next()`.
  const middleware: Middleware<KeyguardState> = (ctx, next) => {
    const outcome = limiter.check({
      headers: ctx.headers,
      ip: ctx.req.socket.remoteAddress,
      apiKey: ctx.state.apiKey,
      url: ctx.originalUrl,
      logger: (ctx as { log?: Logger }).log,
    });
    return outcome instanceof Promise
      ? outcome.then((settled) => proceed(ctx, next, settled))
      : proceed(ctx, next, outcome);
  };
  return Object.assign(middleware, { rateLimiter: limiter });
}
