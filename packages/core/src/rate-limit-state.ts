import type { RateLimitState } from './types.js';

/** The latest reset (unix ms) among the exceeded limits: until then the key stays limited. Undefined when none is. */
export function latestExceededReset(ratelimits: readonly RateLimitState[] | undefined): number | undefined {
  let latest: number | undefined;
  for (const limit of ratelimits ?? []) {
    if (limit.exceeded && (latest === undefined || limit.reset > latest)) latest = limit.reset;
  }
  return latest;
}
