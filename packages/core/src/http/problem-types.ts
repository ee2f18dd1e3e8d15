import type { ReadingFailure } from '../reading/types.js';
import type { VerificationCode } from '../types.js';

/** The `error` of a Bearer challenge (RFC 6750 §3.1); `challenge` alone means a challenge without an error. */
export type ChallengeKind = 'challenge' | 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'none';

/** Everything fixed about one way of being denied. */
export interface Outcome {
  status: number;
  /** The problem `type` URI; one per kind of outcome, stable across versions. */
  type: string;
  title: string;
  detail: string;
  challenge: ChallengeKind;
}

/** The `code` member of a denial body: a verification code, or one of the reading failures' codes. */
export type ProblemCode =
  Exclude<VerificationCode, 'VALID'> | 'MISSING_KEY' | 'MALFORMED_KEY' | 'AMBIGUOUS_KEY' | 'KEY_TOO_LONG';

export const PROBLEM_TYPE_PREFIX = 'urn:keyguard:problem:';
const type = (slug: string): string => PROBLEM_TYPE_PREFIX + slug;

const INVALID_REQUEST = type('invalid-request');
const INVALID_TOKEN = type('invalid-token');

/** The whole denial table of docs/http-conventions.md, in one place. */
export const OUTCOMES: Readonly<Record<ProblemCode, Readonly<Outcome>>> = Object.freeze({
  MISSING_KEY: {
    status: 401,
    type: type('missing-key'),
    title: 'API key required',
    detail: 'This request needs an API key.',
    challenge: 'challenge',
  },
  MALFORMED_KEY: {
    status: 400,
    type: INVALID_REQUEST,
    title: 'Invalid request',
    detail: 'The API key credential is malformed.',
    challenge: 'invalid_request',
  },
  AMBIGUOUS_KEY: {
    status: 400,
    type: INVALID_REQUEST,
    title: 'Invalid request',
    detail: 'The request carries an API key in more than one place; send it once.',
    challenge: 'invalid_request',
  },
  KEY_TOO_LONG: {
    status: 400,
    type: INVALID_REQUEST,
    title: 'Invalid request',
    detail: 'The API key is longer than allowed.',
    challenge: 'invalid_request',
  },
  NOT_FOUND: {
    status: 401,
    type: INVALID_TOKEN,
    title: 'Invalid API key',
    detail: 'The API key is not known.',
    challenge: 'invalid_token',
  },
  EXPIRED: {
    status: 401,
    type: INVALID_TOKEN,
    title: 'Invalid API key',
    detail: 'The API key has expired.',
    challenge: 'invalid_token',
  },
  DISABLED: {
    status: 401,
    type: INVALID_TOKEN,
    title: 'Invalid API key',
    detail: 'The API key is disabled.',
    challenge: 'invalid_token',
  },
  INVALID_KEY_FORMAT: {
    status: 401,
    type: INVALID_TOKEN,
    title: 'Invalid API key',
    detail: 'The API key is not in the expected format.',
    challenge: 'invalid_token',
  },
  UNKNOWN_CODE: {
    status: 401,
    type: INVALID_TOKEN,
    title: 'Invalid API key',
    detail: 'The API key was not accepted.',
    challenge: 'invalid_token',
  },
  FORBIDDEN: {
    status: 403,
    type: type('forbidden'),
    title: 'Forbidden',
    detail: 'The API key may not be used for this request.',
    challenge: 'none',
  },
  INSUFFICIENT_PERMISSIONS: {
    status: 403,
    type: type('insufficient-scope'),
    title: 'Insufficient permissions',
    detail: 'The API key lacks the permissions this request needs.',
    challenge: 'insufficient_scope',
  },
  RATE_LIMITED: {
    status: 429,
    type: type('rate-limited'),
    title: 'Too many requests',
    detail: 'The API key is rate limited; try again later.',
    challenge: 'none',
  },
  USAGE_EXCEEDED: {
    status: 429,
    type: type('usage-exceeded'),
    title: 'Usage exceeded',
    detail: 'The API key has no credits left.',
    challenge: 'none',
  },
  PROVIDER_UNAVAILABLE: {
    status: 503,
    type: type('service-unavailable'),
    title: 'Service unavailable',
    detail: 'The API key service is unavailable; try again later.',
    challenge: 'none',
  },
  // Never more than this: the cause (a wrong root key, a rejected request) is for the operator's logs only.
  PROVIDER_MISCONFIGURED: {
    status: 500,
    type: type('service-misconfigured'),
    title: 'Internal server error',
    detail: 'The API key service is misconfigured.',
    challenge: 'none',
  },
});

export const READING_FAILURE_CODES: Readonly<Record<ReadingFailure, ProblemCode>> = Object.freeze({
  missing: 'MISSING_KEY',
  other_scheme: 'MISSING_KEY',
  malformed: 'MALFORMED_KEY',
  ambiguous: 'AMBIGUOUS_KEY',
  too_long: 'KEY_TOO_LONG',
});

/**
 * Reading failures answered as their code's outcome but with their own `detail`: an Authorization header with
 * another scheme holds no key (RFC 6750 §3.1: 401, challenge without an error code), yet the caller is told why.
 */
export const READING_FAILURE_DETAILS: Readonly<Partial<Record<ReadingFailure, string>>> = Object.freeze({
  other_scheme:
    'This request needs an API key. The Authorization header does not hold a Bearer token: send `Authorization: Bearer <key>`.',
});

const READING_CODES: ReadonlySet<string> = new Set(Object.values(READING_FAILURE_CODES));

/** The problem code for a verification code; anything unexpected (even `VALID`) is an unaccepted key, never a pass. */
export function problemCodeOf(code: string): ProblemCode {
  return Object.hasOwn(OUTCOMES, code) && !READING_CODES.has(code) ? (code as ProblemCode) : 'UNKNOWN_CODE';
}

/**
 * Answers of rate limits no key carries (`createRateLimiter()`, each adapter's `rateLimit()`): the same 429 problem
 * type and `code` as a rate-limited key, worded for any client; a 503 of its own when the counts cannot be read.
 */
export const RATE_LIMIT_OUTCOMES = Object.freeze({
  RATE_LIMITED: {
    status: 429,
    type: type('rate-limited'),
    title: 'Too many requests',
    detail: 'Too many requests; try again later.',
    challenge: 'none',
  },
  RATE_LIMIT_UNAVAILABLE: {
    status: 503,
    type: type('rate-limit-unavailable'),
    title: 'Service unavailable',
    detail: 'Rate limits cannot be checked right now; try again later.',
    challenge: 'none',
  },
} as const satisfies Record<string, Outcome>);
