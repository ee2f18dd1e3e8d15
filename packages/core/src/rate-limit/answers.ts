import { RATE_LIMIT_OUTCOMES } from '../http/problem-types.js';
import { rateLimitHeaders, retryAfterSeconds } from '../http/rate-limit-headers.js';
import type { DenialResponse } from '../http/types.js';
import { latestExceededReset } from '../rate-limit-state.js';
import type { RateLimitState } from '../types.js';
import type { RateLimitSettings } from './options.js';
import type { RateLimitOutcome } from './types.js';

/** When the backend failed, clients are asked to wait this long (as the verifier does when its service is down). */
const UNAVAILABLE_RETRY_SECONDS = '1';

type AnswerSettings = Pick<RateLimitSettings, 'headerStyle' | 'onDenied'>;

function problem(code: keyof typeof RATE_LIMIT_OUTCOMES, headers: Record<string, string>): DenialResponse {
  const outcome = RATE_LIMIT_OUTCOMES[code];
  return {
    status: outcome.status,
    headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', ...headers },
    body: {
      type: outcome.type,
      title: outcome.title,
      status: outcome.status,
      detail: outcome.detail,
      code: code === 'RATE_LIMITED' ? 'RATE_LIMITED' : 'RATE_LIMIT_UNAVAILABLE',
    },
  };
}

function customised(denial: DenialResponse, settings: AnswerSettings): DenialResponse {
  return settings.onDenied?.(denial) ?? denial;
}

/** A request let through: each limit's state in the configured header style. */
export function allowed(
  limits: RateLimitState[],
  settings: AnswerSettings,
  now: number,
  failedOpen?: boolean,
): RateLimitOutcome {
  const headers = rateLimitHeaders(limits, settings.headerStyle, now);
  return failedOpen ? { allowed: true, headers, limits, failedOpen } : { allowed: true, headers, limits };
}

/** A 429: `Retry-After` until the latest exceeded limit resets, and every limit's state in the headers. */
export function limited(limits: RateLimitState[], settings: AnswerSettings, now: number): RateLimitOutcome {
  const headers = rateLimitHeaders(limits, settings.headerStyle, now);
  const retryAt = latestExceededReset(limits);
  if (retryAt !== undefined) headers['Retry-After'] = retryAfterSeconds(retryAt, now);
  return { allowed: false, denial: customised(problem('RATE_LIMITED', headers), settings), limits };
}

/** A 503: the backend failed (or took longer than `timeoutMs`) and `onBackendError` is `'fail-closed'`. */
export function unavailable(settings: AnswerSettings): RateLimitOutcome {
  const denial = problem('RATE_LIMIT_UNAVAILABLE', { 'Retry-After': UNAVAILABLE_RETRY_SECONDS });
  return { allowed: false, denial: customised(denial, settings), limits: [] };
}
