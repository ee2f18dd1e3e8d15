import { createRateLimiter } from '@keyguard/core';
import type { Logger, RateLimitOptions, RateLimitOutcome, RateLimiter } from '@keyguard/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { mergedHeaders, writeDenial } from './write-denial.js';

/** What `rateLimit()` takes: a backend, a namespace, the limits and whom to count (see core's `RateLimitOptions`). */
export type RateLimitExpressOptions = RateLimitOptions;

/** The Express middleware `rateLimit()` answers, with the limiter behind it. */
export interface RateLimitMiddleware extends RequestHandler {
  /** The RateLimiter behind this middleware (its stats, close). */
  readonly rateLimiter: RateLimiter;
}

// Module-level rather than a closure per request, as in keyguard().
function proceed(response: Response, next: NextFunction, outcome: RateLimitOutcome): void {
  if (!outcome.allowed) return writeDenial(response, outcome.denial);
  response.set(mergedHeaders(response, outcome.headers));
  next();
}

/**
 * Limits requests per IP, per key, per identity or per any identifier of yours, with limits no key carries; sends
 * the rate-limit headers (draft-8 `RateLimit-Policy` and `RateLimit` by default) on every answer and a 429 problem
 * (RFC 9457) with `Retry-After` past the limit. The `'ip'` source is the socket's address (`req.socket.remoteAddress`),
 * behind proxies only as `trustProxy` says; Express's own `trust proxy` setting is not read. After `keyguard()`, the
 * `'apiKey'` and `'identity'` sources count by `req.apiKey`.
 *
 * @param options - The backend, namespace, limits and identifier (core's `RateLimitOptions`).
 * @returns The middleware; its `rateLimiter` property is the RateLimiter behind it.
 * @throws ConfigurationError when the options are wrong (at start-up, never per request).
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { memoryRateLimitBackend } from '@keyguard/core';
 * import { rateLimit } from '@keyguard/express';
 *
 * const app = express();
 * const limit = rateLimit({ backend: memoryRateLimitBackend(), namespace: 'api', limit: 100, duration: '1m' });
 * app.get('/search', limit, (req, res) => void res.json({ results: [] }));
 * ```
 */
export function rateLimit(options: RateLimitExpressOptions): RateLimitMiddleware {
  const limiter = createRateLimiter(options);
  const middleware = (request: Request, response: Response, next: NextFunction) => {
    const outcome = limiter.check({
      headers: request.headers,
      ip: request.socket.remoteAddress,
      apiKey: request.apiKey,
      url: request.originalUrl,
      logger: (request as Request & { log?: Logger }).log,
    });
    if (outcome instanceof Promise) outcome.then((settled) => proceed(response, next, settled), next);
    else proceed(response, next, outcome);
  };
  return Object.assign(middleware, { rateLimiter: limiter });
}
