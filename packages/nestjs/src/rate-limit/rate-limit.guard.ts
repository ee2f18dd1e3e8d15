import { Inject, Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { routeRateLimitOptions } from '@keyguard/core';
import type { RateLimitOutcome, RateLimiter, RouteRateLimiters } from '@keyguard/core';
import { ApiKeyDenied } from '../denial/api-key-denied.js';
import { mergedHeaders, setHeaders } from '../denial/write-headers.js';
import type { KeyguardRequest } from '../guard/keyguard-request.js';
import { RATE_LIMIT_OPTIONS } from './rate-limit-module-definition.js';
import type { RateLimitModuleOptions } from './rate-limit-module-definition.js';
import { ROUTE_RATE_LIMITERS } from './tokens.js';
import { rateLimitOf } from './route-limits.js';

/** Set on a request once a RateLimitGuard counted it, so the guard applied twice (globally and on a route) counts once. */
const COUNTED_BY = Symbol('keyguard.rateLimitedBy');

/** The request as the rate-limit guard reads it (Express's `Request` or Fastify's `FastifyRequest` underneath). */
type RateLimitedRequest = KeyguardRequest & {
  socket?: { remoteAddress?: string };
  [COUNTED_BY]?: RateLimitGuard;
};

/**
 * Counts each request against its route's limits (`RateLimitModule`'s, or the route's `@RateLimit()`) and refuses it
 * past them: 429 with `Retry-After` (503 when the backend fails closed), thrown as `ApiKeyDenied` after its headers are
 * set, so `ApiKeyDeniedFilter` writes it as every adapter does. Rate-limit headers go on every answer. The `'ip'`
 * source is the socket's address (behind proxies as `trustProxy` says); after `ApiKeyGuard`, the `'apiKey'` and
 * `'identity'` sources count by the verified key: list `ApiKeyGuard` first (`APP_GUARD` providers run in order).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    @Inject(RATE_LIMIT_OPTIONS) private readonly options: RateLimitModuleOptions,
    @Inject(ROUTE_RATE_LIMITERS) private readonly limiters: RouteRateLimiters<object>,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const limiter = this.limiterOf(context.getClass(), context.getHandler());
    if (!limiter) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<RateLimitedRequest>();
    if (request[COUNTED_BY] === this) return true;
    request[COUNTED_BY] = this;
    const response: unknown = http.getResponse();
    const outcome = limiter.check({
      headers: request.headers,
      ip: request.socket?.remoteAddress,
      apiKey: request.apiKey,
      url: request.originalUrl ?? request.url,
      logger: request.log,
    });
    return outcome instanceof Promise
      ? outcome.then((settled) => this.admit(settled, response))
      : this.admit(outcome, response);
  }

  private limiterOf(controller: { name: string }, handler: { name: string }): RateLimiter | undefined {
    return this.limiters.of(handler, () => {
      const setting = rateLimitOf(controller, handler);
      if (setting?.skip) return undefined;
      return routeRateLimitOptions(this.options, setting?.options, `${controller.name}.${handler.name}`);
    });
  }

  private admit(outcome: RateLimitOutcome, response: unknown): boolean {
    const adapter = this.adapterHost.httpAdapter;
    if (outcome.allowed) {
      setHeaders(adapter, response, mergedHeaders(response, outcome.headers));
      return true;
    }
    // The merged headers go in the exception too: the filter writes them again, after the guard.
    const denial = { ...outcome.denial, headers: mergedHeaders(response, outcome.denial.headers) };
    setHeaders(adapter, response, denial.headers, 'Content-Type');
    throw new ApiKeyDenied(denial);
  }
}
