// On a route with both withApiKey and withRateLimit (or keyguardMiddleware counting with rateLimit), each reports its
// rate-limit headers beside the other's instead of one replacing the other (core's `mergeRateLimitHeaders`).
import type { ServerResponse } from 'node:http';
import { mergeRateLimitHeaders } from '@keyguard/core/edge';

/** `headers` merged onto a record of headers about to be answered, as one record. */
export function mergeHeaderRecords(
  existing: Readonly<Record<string, string>> | undefined,
  headers: Record<string, string>,
): Record<string, string> {
  if (!existing) return headers;
  const { set, remove } = mergeRateLimitHeaders((name) => existing[name], headers);
  const merged = { ...existing, ...set };
  for (const name of remove) delete merged[name];
  return merged;
}

/** Sets `headers` on a node:http response, merged with those already set. */
export function setMergedHeaders(res: ServerResponse, headers: Record<string, string>): void {
  const { set, remove } = mergeRateLimitHeaders((name) => res.getHeader(name), headers);
  for (const name of remove) res.removeHeader(name);
  for (const name in set) res.setHeader(name, set[name]!);
}

// The rate-limit headers withApiKey and withRateLimit put on each response, told apart from the handler's own.
const written = new WeakMap<Response, Record<string, string>>();

/**
 * Adds headers (rate-limit state) to a handler's response, merged with those an inner withApiKey or withRateLimit put
 * there, copying the response when its headers are immutable. A header the handler set itself wins, as in every other
 * adapter, where keyguard's are set before the handler runs.
 */
export function withResponseHeaders(response: Response, headers: Record<string, string> | undefined): Response {
  if (!headers) return response;
  const ours = written.get(response);
  const { set, remove } = mergeRateLimitHeaders((name) => ours?.[name], headers);
  const applied: Record<string, string> = { ...ours };
  const changes: [string, string][] = [];
  for (const [name, value] of Object.entries(set)) {
    if (ours?.[name] === undefined ? response.headers.has(name) : ours[name] === value) continue;
    changes.push([name, value]);
    applied[name] = value;
  }
  const removals = remove.filter((name) => ours?.[name] !== undefined);
  for (const name of removals) delete applied[name];
  if (changes.length === 0 && removals.length === 0) return response;
  const apply = (target: Response): Response => {
    for (const name of removals) target.headers.delete(name);
    for (const [name, value] of changes) target.headers.set(name, value);
    written.set(target, applied);
    return target;
  };
  try {
    return apply(response);
  } catch {
    return apply(new Response(response.body, response));
  }
}
