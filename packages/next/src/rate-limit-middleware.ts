import type { CreateRateLimiter, RateLimitOptions, RateLimiter } from '@keyguard/core';
import { NextResponse } from 'next/server.js';
import type { MiddlewareEvent } from './middleware.js';
import { denialResponse } from './options.js';
import type { OptionsOrFactory } from './options.js';
import { createRateGate, MIDDLEWARE_PLATFORM } from './rate-limit-gate.js';

/** A `middleware.ts` function that limits requests: `export const middleware = rateLimitMiddleware({...})`. */
export interface RateLimitNextMiddleware {
  (request: Request, event?: MiddlewareEvent): Promise<Response>;
  /** The RateLimiter behind this middleware (created on first use when the options are a function). */
  rateLimiter(): RateLimiter;
}

/** The type of `rateLimitMiddleware`. */
export type RateLimitMiddlewareFactory = (options: OptionsOrFactory<RateLimitOptions>) => RateLimitNextMiddleware;

/** `rateLimitMiddleware` bound to one of core's builds. */
export function createRateLimitMiddleware(createRateLimiter: CreateRateLimiter): RateLimitMiddlewareFactory {
  return (options) => {
    const gate = createRateGate(createRateLimiter, options, MIDDLEWARE_PLATFORM);
    const middleware = async (request: Request, event?: MiddlewareEvent): Promise<Response> => {
      // On the edge a settlement with the backend dies with the response unless the platform is told to wait for it.
      const waitUntil = event ? (promise: Promise<unknown>) => event.waitUntil(promise) : undefined;
      const outcome = await gate({ headers: request.headers, url: request.url, waitUntil });
      if (!outcome.allowed) return denialResponse(outcome.denial);
      return NextResponse.next({ headers: outcome.headers });
    };
    return Object.assign(middleware, { rateLimiter: gate.rateLimiter });
  };
}
