import type { CreateRateLimiter, RateLimitOptions, RateLimiter, RequestGuard } from '@keyguard/core';
import { NextResponse } from 'next/server.js';
import { resolveForwardHeader, resolveForwardSecret, signApiKey } from './forwarding.js';
import { mergeHeaderRecords } from './merge-headers.js';
import { createGate, denialResponse } from './options.js';
import type { CreateKeyguard, NextKeyguardOptions, OptionsOrFactory } from './options.js';
import { createRateGate, MIDDLEWARE_PLATFORM } from './rate-limit-gate.js';
import type { RateGate } from './rate-limit-gate.js';

/** Options of `keyguardMiddleware`: those of `withApiKey`, and how the verified key is forwarded to the route. */
export type KeyguardMiddlewareOptions = NextKeyguardOptions & {
  /**
   * Forward the verified key to the route as a signed request header, read back with `apiKeyFromHeaders`.
   * `secret` defaults to `process.env.KEYGUARD_FORWARD_SECRET`; `false` forwards nothing. The header is
   * always removed from incoming requests, forwarding or not.
   * @default { secret: process.env.KEYGUARD_FORWARD_SECRET, header: 'x-keyguard-api-key' }
   */
  forward?: false | { secret?: string; header?: string };
  /**
   * Limits no key carries, counted after the key is verified, so the `'apiKey'` and `'identity'` sources count by
   * it (`'ip'` needs `trustProxy`: middleware has no socket address). Denials are keyguard's 429 and 503.
   * @default undefined (no rate limit)
   */
  rateLimit?: RateLimitOptions;
};

/** The part of Next.js's `NextFetchEvent` the middleware uses: background work that outlives the response. */
export interface MiddlewareEvent {
  waitUntil(promise: Promise<unknown>): void;
}

/** A `middleware.ts` function: `export const middleware = keyguardMiddleware({...})`. */
export interface KeyguardNextMiddleware {
  (request: Request, event?: MiddlewareEvent): Promise<Response>;
  /** The RequestGuard behind this middleware (created on first use when the options are a function). */
  keyguard(): RequestGuard;
  /** The RateLimiter of the `rateLimit` option, if one is given (created on first use, as the guard). */
  rateLimiter(): RateLimiter | undefined;
}

/** The type of `keyguardMiddleware`. */
export type KeyguardMiddlewareFactory = (
  options: OptionsOrFactory<KeyguardMiddlewareOptions>,
) => KeyguardNextMiddleware;

interface Forwarding {
  header: string;
  secret: string | undefined;
}

function forwardingOf(options: KeyguardMiddlewareOptions): Forwarding {
  const forward = options.forward ?? {};
  if (forward === false) return { header: resolveForwardHeader(undefined), secret: undefined };
  return { header: resolveForwardHeader(forward.header), secret: resolveForwardSecret(forward.secret) };
}

/** `keyguardMiddleware` bound to one of core's builds. */
export function createKeyguardMiddleware(
  createKeyguard: CreateKeyguard,
  createRateLimiter: CreateRateLimiter,
): KeyguardMiddlewareFactory {
  return (options) => {
    // A factory runs once, for the gate and the forwarding settings together.
    let resolved: KeyguardMiddlewareOptions | undefined;
    const resolve = () => (resolved ??= typeof options === 'function' ? options() : options);
    const gate = createGate(createKeyguard, typeof options === 'function' ? resolve : options);
    let forwarding: Forwarding | undefined = typeof options === 'function' ? undefined : forwardingOf(options);
    const rateGateOf = (resolvedOptions: KeyguardMiddlewareOptions): RateGate | null =>
      resolvedOptions.rateLimit
        ? createRateGate(createRateLimiter, resolvedOptions.rateLimit, MIDDLEWARE_PLATFORM)
        : null;
    let rateGate: RateGate | null | undefined = typeof options === 'function' ? undefined : rateGateOf(options);
    const middleware = async (request: Request, event?: MiddlewareEvent): Promise<Response> => {
      forwarding ??= forwardingOf(resolve());
      // On the edge a background refresh dies with the response unless the platform is told to wait for it.
      const waitUntil = event ? (promise: Promise<unknown>) => event.waitUntil(promise) : undefined;
      const outcome = await gate({ headers: request.headers, url: request.url, waitUntil });
      if (!outcome.allowed) return denialResponse(outcome.denial);
      rateGate ??= rateGateOf(resolve());
      const counted = await rateGate?.({
        headers: request.headers,
        apiKey: outcome.apiKey,
        url: request.url,
        waitUntil,
      });
      if (counted && !counted.allowed) return denialResponse(counted.denial);
      // Whatever the client sent under our header never reaches the route.
      const headers = new Headers(request.headers);
      headers.delete(forwarding.header);
      if (outcome.apiKey && forwarding.secret !== undefined) {
        headers.set(forwarding.header, await signApiKey(outcome.apiKey, { secret: forwarding.secret }));
      }
      const responseHeaders = counted ? mergeHeaderRecords(outcome.headers, counted.headers) : outcome.headers;
      return NextResponse.next({ request: { headers }, headers: responseHeaders });
    };
    return Object.assign(middleware, {
      keyguard: gate.keyguard,
      rateLimiter: () => (rateGate ??= rateGateOf(resolve()))?.rateLimiter(),
    });
  };
}
