import { mergeRateLimitHeaders } from '@keyguard/core';
import type { DenialResponse } from '@keyguard/core';
import type { FastifyReply } from 'fastify';

/**
 * The headers to set, merged with the rate-limit headers already on the reply: on a route with both keyguard() and
 * rateLimit(), the second to answer reports its limits beside the first's (core's `mergeRateLimitHeaders`).
 */
export function mergedHeaders(reply: FastifyReply, headers: Record<string, string>): Record<string, string> {
  // The common case, a route with one limiter: nothing on the reply to merge with, so no merge work at all.
  if (!hasAnyOf(reply, headers)) return headers;
  const { set, remove } = mergeRateLimitHeaders((name) => reply.getHeader(name), headers);
  for (const name of remove) reply.removeHeader(name);
  return set;
}

function hasAnyOf(reply: FastifyReply, headers: Record<string, string>): boolean {
  for (const name in headers) if (reply.hasHeader(name)) return true;
  return false;
}

/** Writes a denial as built by core: its status, its headers and its problem details, nothing else. */
export function writeDenial(reply: FastifyReply, denial: DenialResponse): FastifyReply {
  return reply.code(denial.status).headers(mergedHeaders(reply, denial.headers)).send(JSON.stringify(denial.body));
}
