import { KeyguardError } from '../errors.js';

/** Why a rate-limit backend gave no answer: none in time, a failure (rejected call), or an answer that is not one. */
export type RateLimitBackendErrorCode =
  'RATE_LIMIT_BACKEND_TIMEOUT' | 'RATE_LIMIT_BACKEND_FAILED' | 'RATE_LIMIT_BACKEND_BAD_ANSWER';

/**
 * A rate-limit backend gave no usable answer; `onBackendError` decides what the request gets. The message names the
 * backend's kind and what went wrong, never the identifier (an identifier may come from a header the client sent).
 */
export class RateLimitBackendError extends KeyguardError {
  static override readonly brand: string = 'keyguard.core.RateLimitBackendError';

  declare readonly code: RateLimitBackendErrorCode;

  constructor(
    code: RateLimitBackendErrorCode,
    message: string,
    /** The backend's `kind`: `memory`, `redis`, `unkey`, or a custom backend's own. */
    readonly backend: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
