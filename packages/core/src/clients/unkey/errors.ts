import { KeyguardError } from '../../errors.js';

/** One item of a 400's `errors[]`: where the request was wrong and how to fix it. */
export interface UnkeyErrorItem {
  location: string;
  message: string;
  fix?: string;
}

export type UnkeyApiErrorCode =
  | 'UNKEY_BAD_REQUEST'
  | 'UNKEY_UNAUTHORIZED'
  | 'UNKEY_FORBIDDEN'
  | 'UNKEY_NOT_FOUND'
  | 'UNKEY_CONFLICT'
  | 'UNKEY_PRECONDITION_FAILED'
  | 'UNKEY_TOO_MANY_REQUESTS'
  | 'UNKEY_INTERNAL_SERVER_ERROR'
  /** Another 5xx (502, 503, 504 …). */
  | 'UNKEY_SERVER_ERROR'
  /** Another status (410 Gone, 3xx, …). */
  | 'UNKEY_HTTP_ERROR'
  /** A success status whose body is not Unkey's envelope, or a body over the size limit. */
  | 'UNKEY_BAD_RESPONSE';

export interface UnkeyApiErrorDetails {
  /** The operation called, e.g. `keys.getKey`. */
  operation: string;
  /** HTTP status; absent when no complete response was read (an oversized body). */
  status?: number;
  requestId?: string;
  /** Unkey's problem type URL. */
  type?: string;
  title: string;
  detail: string;
  errors?: UnkeyErrorItem[];
  /** From `Retry-After`, unix ms. */
  retryAt?: number;
  cause?: unknown;
}

/**
 * Unkey answered with an error, or with something that is not an answer. Built only from the response: it never
 * holds the request, its headers or the root key.
 */
export class UnkeyApiError extends KeyguardError {
  declare readonly code: UnkeyApiErrorCode;
  readonly operation: string;
  readonly status?: number;
  readonly requestId?: string;
  readonly type?: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: UnkeyErrorItem[];
  readonly retryAt?: number;

  constructor(code: UnkeyApiErrorCode, details: UnkeyApiErrorDetails) {
    const status = details.status === undefined ? '' : ` (HTTP ${details.status})`;
    super(code, `Unkey ${details.operation} failed${status}: ${details.title}${details.detail ? ` - ${details.detail}` : ''}`, { cause: details.cause });
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

export class BadRequestError extends UnkeyApiError {
  constructor(details: UnkeyApiErrorDetails) {
    super('UNKEY_BAD_REQUEST', details);
  }
}

/** The root key is unknown. */
export class UnauthorizedError extends UnkeyApiError {
  constructor(details: UnkeyApiErrorDetails) {
    super('UNKEY_UNAUTHORIZED', details);
  }
}

/** The root key lacks a permission for this call. */
export class ForbiddenError extends UnkeyApiError {
  constructor(details: UnkeyApiErrorDetails) {
    super('UNKEY_FORBIDDEN', details);
  }
}

export class NotFoundError extends UnkeyApiError {
  constructor(details: UnkeyApiErrorDetails) {
    super('UNKEY_NOT_FOUND', details);
  }
}

export class ConflictError extends UnkeyApiError {
  constructor(details: UnkeyApiErrorDetails) {
    super('UNKEY_CONFLICT', details);
  }
}

export class PreconditionFailedError extends UnkeyApiError {
  constructor(details: UnkeyApiErrorDetails) {
    super('UNKEY_PRECONDITION_FAILED', details);
  }
}

/** The workspace is over its quota; `retryAt` says when to come back when Unkey told. */
export class TooManyRequestsError extends UnkeyApiError {
  constructor(details: UnkeyApiErrorDetails) {
    super('UNKEY_TOO_MANY_REQUESTS', details);
  }
}

export class InternalServerError extends UnkeyApiError {
  constructor(details: UnkeyApiErrorDetails) {
    super('UNKEY_INTERNAL_SERVER_ERROR', details);
  }
}

/** The error class for an HTTP status. */
export function unkeyErrorFor(details: UnkeyApiErrorDetails & { status: number }): UnkeyApiError {
  switch (details.status) {
    case 400:
      return new BadRequestError(details);
    case 401:
      return new UnauthorizedError(details);
    case 403:
      return new ForbiddenError(details);
    case 404:
      return new NotFoundError(details);
    case 409:
      return new ConflictError(details);
    case 412:
      return new PreconditionFailedError(details);
    case 429:
      return new TooManyRequestsError(details);
    case 500:
      return new InternalServerError(details);
    default:
      return new UnkeyApiError(details.status >= 500 ? 'UNKEY_SERVER_ERROR' : 'UNKEY_HTTP_ERROR', details);
  }
}
