import { mergeRateLimitHeaders } from '@keyguard/core';
import type { DenialResponse } from '@keyguard/core';
import type { Response } from 'express';

/**
 * The headers to set, merged with the rate-limit headers already on the response: on a route with both keyguard()
 * and rateLimit(), the second to answer reports its limits beside the first's (core's `mergeRateLimitHeaders`).
 */
export function mergedHeaders(response: Response, headers: Record<string, string>): Record<string, string> {
  const { set, remove } = mergeRateLimitHeaders((name) => response.getHeader(name), headers);
  for (const name of remove) response.removeHeader(name);
  return set;
}

/** Writes a denial as built by core: its status, its headers and its problem details, nothing else. */
export function writeDenial(response: Response, denial: DenialResponse): void {
  response.status(denial.status).set(mergedHeaders(response, denial.headers)).send(JSON.stringify(denial.body));
}
