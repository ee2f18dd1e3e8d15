import { mergeRateLimitHeaders } from '@keyguard/core';
import type { DenialResponse } from '@keyguard/core';
import type { Context } from 'koa';

/**
 * The headers to set, merged with the rate-limit headers already on the response: on a route with both keyguard()
 * and rateLimit(), the second to answer reports its limits beside the first's (core's `mergeRateLimitHeaders`).
 */
export function mergedHeaders(ctx: Context, headers: Record<string, string>): Record<string, string> {
  const { set, remove } = mergeRateLimitHeaders((name) => ctx.response.get(name) || undefined, headers);
  for (const name of remove) ctx.remove(name);
  return set;
}

/** Writes a denial as built by core: its status, its headers and its problem details, nothing else. */
export function writeDenial(ctx: Context, denial: DenialResponse): void {
  ctx.status = denial.status;
  // Headers first: Koa keeps a Content-Type that is already set when the body is assigned.
  ctx.set(mergedHeaders(ctx, denial.headers));
  ctx.body = JSON.stringify(denial.body);
}
