// What a denial is and how it is answered: shapes only, so that contracts (guard/types.ts) name them without
// importing the code that builds the answers.
import type { ReadingFailure } from '../reading/types.js';
import type { Verification } from '../types.js';

/**
 * Which rate-limit headers to send: the IETF httpapi-ratelimit-headers drafts 6, 7 or 8, the legacy
 * `X-RateLimit-*` trio, or `none`.
 */
export type RateLimitHeaderStyle = 'draft-6' | 'draft-7' | 'draft-8' | 'legacy' | 'none';

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
