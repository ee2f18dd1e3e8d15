import { mergeRateLimitHeaders } from '@keyguard/core';
import type { HttpServer } from '@nestjs/common';

/** Sets headers through Nest's HTTP adapter, so the same code serves Express and Fastify responses. */
export function setHeaders(
  adapter: HttpServer,
  response: unknown,
  headers: Record<string, string>,
  except?: string,
): void {
  for (const name in headers) {
    if (name !== except) adapter.setHeader(response, name, headers[name]!);
  }
}

/** How Express's response and Fastify's reply both read and remove a header (Nest's adapter does neither). */
interface HeaderReading {
  getHeader?(name: string): string | number | readonly string[] | undefined;
  removeHeader?(name: string): unknown;
}

/**
 * The headers to set, merged with the rate-limit headers already on the response: on a route with both the API key
 * guard and the rate-limit guard, the second to answer reports its limits beside the first's (core's
 * `mergeRateLimitHeaders`). A response that cannot be read gets the headers as they are.
 */
export function mergedHeaders(response: unknown, headers: Record<string, string>): Record<string, string> {
  const reading = response as HeaderReading;
  if (typeof reading.getHeader !== 'function') return headers;
  const { set, remove } = mergeRateLimitHeaders((name) => reading.getHeader!(name), headers);
  for (const name of remove) reading.removeHeader?.(name);
  return set;
}
