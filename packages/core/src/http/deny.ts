import { latestExceededReset } from '../rate-limit-state.js';
import type { Verification } from '../types.js';
import {
  OUTCOMES,
  problemCodeOf,
  READING_FAILURE_CODES,
  READING_FAILURE_DETAILS,
  type ChallengeKind,
  type ProblemCode,
} from './problem-types.js';
import { isQuotedStringSafe, quotedString } from './quoted-string.js';
import { rateLimitHeaders, retryAfterSeconds } from './rate-limit-headers.js';
import type { Denial, DenialResponse, DenyOptions, ProblemDetails } from './types.js';

export { rateLimitHeaders, retryAfterSeconds };

/** When a provider is down and did not say when to come back, ask clients to wait this long. */
const DEFAULT_UNAVAILABLE_RETRY_SECONDS = '1';

function challengeHeader(kind: ChallengeKind, realm: string, scope?: string): string | undefined {
  if (kind === 'none') return undefined;
  let value = `Bearer realm=${quotedString(realm)}`;
  if (kind !== 'challenge') value += `, error="${kind}"`;
  if (scope !== undefined && isQuotedStringSafe(scope)) value += `, scope="${scope}"`;
  return value;
}

/** When a rate-limited client may come back: the verification's own `retryAt`, else the latest exceeded reset. */
function rateLimitRetryAt(verification: Verification): number | undefined {
  return verification.retryAt ?? latestExceededReset(verification.ratelimits);
}

function problemCodeFor(denial: Denial): ProblemCode {
  if (denial.reason === 'verification') return problemCodeOf(denial.verification.code);
  if (denial.reason === 'insufficient_scope') return 'INSUFFICIENT_PERMISSIONS';
  return READING_FAILURE_CODES[denial.reason] ?? 'MALFORMED_KEY';
}

/**
 * Turns a denial into the answer to write (docs/http-conventions.md): status, headers and an RFC 9457 body. Adapters
 * write it as is. Nothing here ever sees the key, so no body can echo it; provider details never leak either.
 */
export function deny(denial: Denial, options: DenyOptions = {}): DenialResponse {
  const code = problemCodeFor(denial);
  const outcome = OUTCOMES[code];
  const now = options.now ?? Date.now();
  const headers: Record<string, string> = { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' };
  const challenge = challengeHeader(
    outcome.challenge,
    options.realm ?? 'api',
    denial.reason === 'insufficient_scope' ? denial.query : undefined,
  );
  if (challenge) headers['WWW-Authenticate'] = challenge;

  const detail =
    (denial.reason !== 'verification' &&
      denial.reason !== 'insufficient_scope' &&
      READING_FAILURE_DETAILS[denial.reason]) ||
    outcome.detail;
  const body: ProblemDetails = { type: outcome.type, title: outcome.title, status: outcome.status, detail, code };

  if (denial.reason === 'verification') {
    const { verification } = denial;
    if (code === 'RATE_LIMITED' || code === 'USAGE_EXCEEDED') {
      // Credits have no known refill time, so a usage denial gets `Retry-After` only when the verification has one.
      const retryAt = code === 'RATE_LIMITED' ? rateLimitRetryAt(verification) : verification.retryAt;
      if (retryAt !== undefined) headers['Retry-After'] = retryAfterSeconds(retryAt, now);
      const ratelimits = verification.ratelimits;
      if (ratelimits && ratelimits.length > 0)
        Object.assign(headers, rateLimitHeaders(ratelimits, options.rateLimitHeaders ?? 'draft-6', now));
    } else if (code === 'PROVIDER_UNAVAILABLE') {
      headers['Retry-After'] =
        verification.retryAt !== undefined
          ? retryAfterSeconds(verification.retryAt, now)
          : DEFAULT_UNAVAILABLE_RETRY_SECONDS;
    }
    // The id names the call that decided this answer; one served from memory was decided for an earlier request,
    // and repeating that id on every remembered answer would make separate requests read as one.
    if (
      verification.source === 'upstream' &&
      typeof verification.requestId === 'string' &&
      verification.requestId.length > 0
    )
      body.requestId = verification.requestId;
  }
  return { status: outcome.status, headers, body };
}
