import type { RateLimitState } from '../types.js';
import type { RateLimitHeaderStyle } from './types.js';

/** Seconds from `now` until `retryAt` (unix ms), rounded up and never negative, as `Retry-After` wants them. */
export function retryAfterSeconds(retryAt: number, now: number = Date.now()): string {
  if (!Number.isFinite(retryAt) || !Number.isFinite(now)) return '0';
  return String(Math.max(0, Math.ceil((retryAt - now) / 1000)));
}

/** The limit a client should heed first: least remaining, then the soonest reset. */
export function mostRestrictive(ratelimits: readonly RateLimitState[]): RateLimitState | undefined {
  let chosen: RateLimitState | undefined;
  for (const limit of ratelimits) {
    if (
      !chosen ||
      limit.remaining < chosen.remaining ||
      (limit.remaining === chosen.remaining && limit.reset < chosen.reset)
    )
      chosen = limit;
  }
  return chosen;
}

const remainingOf = (limit: RateLimitState): number => Math.max(0, limit.remaining);
const windowSeconds = (duration: number): number => Math.max(1, Math.ceil(duration / 1000));
const hasDuration = (limit: RateLimitState): limit is RateLimitState & { duration: number } =>
  typeof limit.duration === 'number' && Number.isFinite(limit.duration) && limit.duration > 0;

/** draft-6/7 policy (`100;w=60`), only when the window length is known. */
function policy(limit: RateLimitState): string | undefined {
  return hasDuration(limit) ? `${limit.limit};w=${windowSeconds(limit.duration)}` : undefined;
}

/** A limit name as a structured-field string (RFC 8941 §3.3.3): printable ASCII with `"` and `\` escaped. */
function sfString(value: string): string {
  return `"${value.replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '\\$&')}"`;
}

/** A limit's fixed parts in draft-8: its quoted name and its `RateLimit-Policy` item. */
interface Draft8Parts {
  readonly limit: number;
  readonly duration: number | undefined;
  readonly name: string;
  readonly policy: string;
}

// A limiter answers with the same few limits on every request, so their quoted names and policy items are built once
// rather than per request; bounded, as names can come from a backend.
const MAX_CACHED_PARTS = 256;
const partsByName = new Map<string, Draft8Parts>();

function draft8Parts(limit: RateLimitState): Draft8Parts {
  const cached = partsByName.get(limit.name);
  if (cached && cached.limit === limit.limit && cached.duration === limit.duration) return cached;
  const name = sfString(limit.name);
  const policy = hasDuration(limit)
    ? `${name};q=${limit.limit};w=${windowSeconds(limit.duration)}`
    : `${name};q=${limit.limit}`;
  const parts = { limit: limit.limit, duration: limit.duration, name, policy };
  if (partsByName.size >= MAX_CACHED_PARTS) partsByName.clear();
  partsByName.set(limit.name, parts);
  return parts;
}

const draft8State = (parts: Draft8Parts, limit: RateLimitState, now: number): string =>
  `${parts.name};r=${remainingOf(limit)};t=${retryAfterSeconds(limit.reset, now)}`;

function draft8(ratelimits: readonly RateLimitState[], now: number): Record<string, string> {
  if (ratelimits.length === 1) {
    const parts = draft8Parts(ratelimits[0]!);
    return { 'RateLimit-Policy': parts.policy, RateLimit: draft8State(parts, ratelimits[0]!, now) };
  }
  let policies = '';
  let states = '';
  for (const limit of ratelimits) {
    const parts = draft8Parts(limit);
    const separator = policies === '' ? '' : ', ';
    policies += separator + parts.policy;
    states += separator + draft8State(parts, limit, now);
  }
  return { 'RateLimit-Policy': policies, RateLimit: states };
}

/**
 * Rate-limit headers in one of the IETF httpapi-ratelimit-headers styles (or the legacy `X-RateLimit-*`).
 * draft-8 lists every limit; the older styles can describe one, so they describe the most restrictive.
 */
export function rateLimitHeaders(
  ratelimits: readonly RateLimitState[],
  style: RateLimitHeaderStyle,
  now: number = Date.now(),
): Record<string, string> {
  if (style === 'none' || ratelimits.length === 0) return {};
  if (style === 'draft-8') return draft8(ratelimits, now);
  const limit = mostRestrictive(ratelimits)!;
  const headers: Record<string, string> = {};
  const reset = retryAfterSeconds(limit.reset, now);
  switch (style) {
    case 'draft-6': {
      headers['RateLimit-Limit'] = String(limit.limit);
      headers['RateLimit-Remaining'] = String(remainingOf(limit));
      headers['RateLimit-Reset'] = reset;
      const text = policy(limit);
      if (text) headers['RateLimit-Policy'] = text;
      break;
    }
    case 'draft-7': {
      headers.RateLimit = `limit=${limit.limit}, remaining=${remainingOf(limit)}, reset=${reset}`;
      const text = policy(limit);
      if (text) headers['RateLimit-Policy'] = text;
      break;
    }
    case 'legacy':
      headers['X-RateLimit-Limit'] = String(limit.limit);
      headers['X-RateLimit-Remaining'] = String(remainingOf(limit));
      headers['X-RateLimit-Reset'] = String(Math.ceil(limit.reset / 1000));
      break;
  }
  return headers;
}
