import type { ReadingFailure } from '../reading/read-key.js';
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
import { rateLimitHeaders, retryAfterSeconds, type RateLimitHeaderStyle } from './rate-limit-headers.js';

export { rateLimitHeaders, retryAfterSeconds, type RateLimitHeaderStyle };

/** How `deny` writes its answer. */
export interface DenyOptions {
  /**
   * `realm` of `WWW-Authenticate` (default `api`).
   * @default 'api'
   */
  realm?: string;
  /**
   * Style of rate-limit headers on 429s (default `draft-6`).
   * @default 'draft-6'
   */
  rateLimitHeaders?: RateLimitHeaderStyle;
  /**
   * The current time in unix ms, for the seconds in `Retry-After` and `RateLimit-Reset` (default `Date.now()`).
   * @default Date.now()
   */
  now?: number;
}

/**
 * Why a request is denied: the key could not be read (`ReadingFailure`), the verification said no, or the key lacks
 * the permissions a route's query asks for.
 */
export type Denial =
  | { reason: ReadingFailure }
  | { reason: 'verification'; verification: Verification }
  | { reason: 'insufficient_scope'; query: string };

/** RFC 9457 problem details with keyguard's `code` (and `requestId` when a provider call decided this answer). */
export interface ProblemDetails {
  /** A URI naming the kind of problem (RFC 9457 §3.1.1). */
  type: string;
  /** A short summary of that kind of problem. */
  title: string;
  /** The HTTP status code. */
  status: number;
  /** What went wrong with this request, for a human; never the key. */
  detail: string;
  /** keyguard's stable code (the verification code, or the reading failure's). */
  code: string;
  /** The provider's request id of the call that decided this answer; none for an answer from memory. */
  requestId?: string;
  [extension: string]: unknown;
}

/** A denial ready to write: status, headers (`WWW-Authenticate`, `Retry-After`, rate limits) and JSON body. */
export interface DenialResponse {
  /** 400, 401, 403, 429, 500 or 503. */
  status: number;
  /** Headers to send with it. */
  headers: Record<string, string>;
  /** The `application/problem+json` body. */
  body: ProblemDetails;
}

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
