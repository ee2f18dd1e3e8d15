import { KeyguardError } from '@keyguard/core';

/** One item of Clerk's `errors[]`, camelCased. */
export interface ClerkErrorItem {
  /** Clerk's machine code, e.g. `resource_not_found`, `form_param_format_invalid`. */
  code: string;
  /** A short message. */
  message: string;
  /** A longer message, for a human. */
  longMessage: string;
  /** Free-form details (e.g. `paramName`); top-level keys camelCased, values as sent. */
  meta?: Record<string, unknown>;
}

/** The stable code of a `ClerkApiError`: one per HTTP status Clerk documents, and one per way of getting no answer. */
export type ClerkApiErrorCode =
  | 'CLERK_BAD_REQUEST'
  /** The secret key is wrong: a misconfiguration, not the caller's fault. */
  | 'CLERK_UNAUTHORIZED'
  | 'CLERK_FORBIDDEN'
  | 'CLERK_NOT_FOUND'
  | 'CLERK_CONFLICT'
  | 'CLERK_UNPROCESSABLE_ENTITY'
  | 'CLERK_TOO_MANY_REQUESTS'
  /** Any 5xx. */
  | 'CLERK_SERVER_ERROR'
  /** Another status (3xx, 410, …). */
  | 'CLERK_HTTP_ERROR'
  /** A success status whose body is not the expected object, or a body over the size limit. */
  | 'CLERK_BAD_RESPONSE'
  /** No answer in time. The call may have reached Clerk. */
  | 'CLERK_TIMEOUT'
  /** The connection failed or dropped; `cause.sent` says whether the call may have reached Clerk. */
  | 'CLERK_CONNECTION_FAILED';

const CODE_BY_STATUS: Readonly<Record<number, ClerkApiErrorCode>> = {
  400: 'CLERK_BAD_REQUEST',
  401: 'CLERK_UNAUTHORIZED',
  403: 'CLERK_FORBIDDEN',
  404: 'CLERK_NOT_FOUND',
  409: 'CLERK_CONFLICT',
  422: 'CLERK_UNPROCESSABLE_ENTITY',
  429: 'CLERK_TOO_MANY_REQUESTS',
};

/** The stable code for an error status. */
export function clerkErrorCode(status: number): ClerkApiErrorCode {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'CLERK_SERVER_ERROR' : 'CLERK_HTTP_ERROR');
}

/** What a `ClerkApiError` is built from. */
export interface ClerkApiErrorDetails {
  /** The operation called, e.g. `apiKeys.get`. */
  operation: string;
  /** HTTP status; absent when no complete response was read (a timeout, a dropped connection, an oversized body). */
  status?: number;
  /** What went wrong when Clerk's body did not say (a non-JSON body, a bad response). */
  reason?: string;
  /** Clerk's `errors[]`, when it sent them. */
  errors?: ClerkErrorItem[];
  /** Clerk's `clerk_trace_id`, for its support. */
  clerkTraceId?: string;
  /** From `Retry-After`, unix ms. */
  retryAt?: number;
  /** A `TransportError` when no complete answer was read. */
  cause?: unknown;
}

/**
 * Everything `ClerkClient` throws once constructed: Clerk answered with an error, with something that is not an
 * answer, or not at all. Match on `code` (stable), not on the message. Built only from the response (with secrets
 * redacted): it never holds the request, its headers, the secret key or an API key secret.
 */
export class ClerkApiError extends KeyguardError {
  static override readonly brand: string = 'keyguard.clerk.ClerkApiError';
  /** What went wrong, stable across versions. */
  declare readonly code: ClerkApiErrorCode;
  /** The operation called, e.g. `apiKeys.get`. */
  readonly operation: string;
  /** HTTP status; absent when no complete response was read. */
  readonly status?: number;
  /** Clerk's `errors[]`; empty when it sent none. */
  readonly errors: ClerkErrorItem[];
  /** Clerk's `clerk_trace_id`, for its support. */
  readonly clerkTraceId?: string;
  /** When Clerk asked us to come back (unix ms), from `Retry-After`. */
  readonly retryAt?: number;

  constructor(code: ClerkApiErrorCode, details: ClerkApiErrorDetails) {
    const status = details.status === undefined ? '' : ` (HTTP ${details.status})`;
    const first = details.errors?.[0];
    const reason = first ? first.longMessage || first.message : (details.reason ?? code);
    super(code, `Clerk ${details.operation} failed${status}: ${reason}`, { cause: details.cause });
    this.operation = details.operation;
    this.status = details.status;
    this.errors = details.errors ?? [];
    this.clerkTraceId = details.clerkTraceId;
    this.retryAt = details.retryAt;
  }
}
