import type { CreateRateLimiter, RateLimitOptions, RateLimiter, VerifiedKey } from '@keyguard/core';
import { withResponseHeaders } from './merge-headers.js';
import { denialResponse } from './options.js';
import type { OptionsOrFactory } from './options.js';
import { createRateGate } from './rate-limit-gate.js';
import type { RouteParams } from './route-handler.js';
import { waitUntilAfterResponse } from './wait-until.js';

/** What the context of a rate-limited route handler may carry, for the `'apiKey'` and `'identity'` sources. */
export interface OptionalApiKeyContext {
  /** The key `withApiKey` verified, when it wraps this handler. */
  apiKey?: VerifiedKey;
}

/**
 * The second argument of a rate-limited route handler: Next.js's `{ params }`, with `apiKey` when `withApiKey`
 * wraps it (then the `'apiKey'` and `'identity'` sources count by it).
 */
export interface RateLimitContext<P = RouteParams> extends OptionalApiKeyContext {
  /** The route's dynamic segments, a Promise as in Next.js 15 and 16. */
  params: Promise<P>;
}

/** The route handler `withRateLimit` returns, to export as `GET`, `POST`, … or to wrap in `withApiKey`. */
export interface RateLimitedRouteHandler<Req extends Request = Request, C = RateLimitContext> {
  (request: Req, context: C): Promise<Response>;
  /** The RateLimiter behind this handler (created on first use when the options are a function). */
  rateLimiter(): RateLimiter;
}

/** The type of `withRateLimit`. */
export type WithRateLimit = <Req extends Request = Request, C extends OptionalApiKeyContext = RateLimitContext>(
  handler: (request: Req, context: C) => Response | Promise<Response>,
  options: OptionsOrFactory<RateLimitOptions>,
) => RateLimitedRouteHandler<Req, C>;

/** `withRateLimit` bound to one of core's builds. */
export function createWithRateLimit(createRateLimiter: CreateRateLimiter): WithRateLimit {
  return <Req extends Request, C extends OptionalApiKeyContext>(
    handler: (request: Req, context: C) => Response | Promise<Response>,
    options: OptionsOrFactory<RateLimitOptions>,
  ) => {
    const gate = createRateGate(createRateLimiter, options, 'A Next.js route handler');
    const route = async (request: Req, context: C): Promise<Response> => {
      const outcome = await gate({
        headers: request.headers,
        apiKey: context?.apiKey,
        url: request.url,
        waitUntil: waitUntilAfterResponse,
      });
      if (!outcome.allowed) return denialResponse(outcome.denial);
      return withResponseHeaders(await handler(request, context), outcome.headers);
    };
    return Object.assign(route, { rateLimiter: gate.rateLimiter });
  };
}
