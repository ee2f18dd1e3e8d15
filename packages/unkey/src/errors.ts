import { KeyguardError } from '@keyguard/core';

/** One item of a 400's `errors[]`: where the request was wrong and how to fix it. */
export interface UnkeyErrorItem {
  /** Where in the request (a JSON path such as `body.apiId`). */
  location: string;
  /** What is wrong there. */
  message: string;
  /** How to fix it, when Unkey says. */
  fix?: string;
}

/** The stable code of an `UnkeyApiError`: one per HTTP status Unkey documents, and one per way of getting no answer. */
export type UnkeyApiErrorCode =
  | 'UNKEY_BAD_REQUEST'
  /** The root key is unknown. */
  | 'UNKEY_UNAUTHORIZED'
  /** The root key lacks a permission for this call. */
  | 'UNKEY_FORBIDDEN'
  | 'UNKEY_NOT_FOUND'
  | 'UNKEY_CONFLICT'
  | 'UNKEY_PRECONDITION_FAILED'
  /** The workspace is over its quota; `retryAt` says when to come back when Unkey told. */
  | 'UNKEY_TOO_MANY_REQUESTS'
  | 'UNKEY_INTERNAL_SERVER_ERROR'
  /** Another 5xx (502, 503, 504 …). */
  | 'UNKEY_SERVER_ERROR'
  /** Another status (410 Gone, 3xx, …). */
  | 'UNKEY_HTTP_ERROR'
  /** A success status whose body is not Unkey's envelope, or a body over the size limit. */
  | 'UNKEY_BAD_RESPONSE'
  /** No answer in time. The call may have reached Unkey. */
  | 'UNKEY_TIMEOUT'
  /** The connection failed or dropped; `cause.sent` says whether the call may have reached Unkey. */
  | 'UNKEY_CONNECTION_FAILED';

const CODE_BY_STATUS: Readonly<Record<number, UnkeyApiErrorCode>> = {
  400: 'UNKEY_BAD_REQUEST',
  401: 'UNKEY_UNAUTHORIZED',
  403: 'UNKEY_FORBIDDEN',
  404: 'UNKEY_NOT_FOUND',
  409: 'UNKEY_CONFLICT',
  412: 'UNKEY_PRECONDITION_FAILED',
  429: 'UNKEY_TOO_MANY_REQUESTS',
  500: 'UNKEY_INTERNAL_SERVER_ERROR',
};

/** The stable code for an error status. */
export function unkeyErrorCode(status: number): UnkeyApiErrorCode {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'UNKEY_SERVER_ERROR' : 'UNKEY_HTTP_ERROR');
}

/** What an `UnkeyApiError` is built from. */
export interface UnkeyApiErrorDetails {
  /** The operation called, e.g. `keys.getKey`. */
  operation: string;
  /** HTTP status; absent when no complete response was read (a timeout, a dropped connection, an oversized body). */
  status?: number;
  /** Unkey's `meta.requestId`, when it answered. */
  requestId?: string;
  /** Unkey's problem type URL. */
  type?: string;
  /** Unkey's short summary of the problem. */
  title: string;
  /** Unkey's explanation of this occurrence (secrets it echoed are redacted). */
  detail: string;
  /** The request's faults, on a 400. */
  errors?: UnkeyErrorItem[];
  /** From `Retry-After`, unix ms. */
  retryAt?: number;
  /** A `TransportError` when no complete answer was read. */
  cause?: unknown;
}

/**
 * Everything `UnkeyClient` throws once constructed: Unkey answered with an error, with something that is not an
 * answer, or not at all. Match on `code` (stable), not on the message. Built only from the response: it never holds
 * the request, its headers or the root key.
 */
export class UnkeyApiError extends KeyguardError {
  static override readonly brand: string = 'keyguard.unkey.UnkeyApiError';
  /** What went wrong, stable across versions. */
  declare readonly code: UnkeyApiErrorCode;
  /** The operation called, e.g. `keys.getKey`. */
  readonly operation: string;
  /** HTTP status; absent when no complete response was read. */
  readonly status?: number;
  /** Unkey's `meta.requestId`, for its support. */
  readonly requestId?: string;
  /** Unkey's problem type URL. */
  readonly type?: string;
  /** Unkey's short summary of the problem. */
  readonly title: string;
  /** Unkey's explanation of this occurrence (secrets it echoed are redacted). */
  readonly detail: string;
  /** The request's faults, on a 400; empty otherwise. */
  readonly errors: UnkeyErrorItem[];
  /** When Unkey asked us to come back (unix ms), from `Retry-After`. */
  readonly retryAt?: number;

  constructor(code: UnkeyApiErrorCode, details: UnkeyApiErrorDetails) {
    const status = details.status === undefined ? '' : ` (HTTP ${details.status})`;
    super(
      code,
      `Unkey ${details.operation} failed${status}: ${details.title}${details.detail ? ` - ${details.detail}` : ''}`,
      { cause: details.cause },
    );
    this.operation = details.operation;
    this.status = details.status;
    this.requestId = details.requestId;
    this.type = details.type;
    this.title = details.title;
    this.detail = details.detail;
    this.errors = details.errors ?? [];
    this.retryAt = details.retryAt;
  }
}
