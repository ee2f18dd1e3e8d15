import { TransportError } from '../runtime/transport-error.js';
import type { RetryConfig } from './retry-config.js';
import type { RetryDecision } from './retry.js';

/**
 * How a call may be repeated. `repeatable`: reads and deletes, retried on 429, 5xx and connection failures.
 * `unsent-only`: calls with effects (create, update, verify: a verification may be billed or spend a credit),
 * retried only when the request certainly never reached the server.
 */
export type RetryPolicy = 'repeatable' | 'unsent-only';

/** What a client's API error tells the retry loop: the HTTP status, and when the server asked us to come back. */
export interface StatusError {
  /** The HTTP status of the answer, when one came. */
  status?: number;
  /** When the server asked us to come back (unix ms), from `Retry-After`. */
  retryAt?: number;
}

/** Decides, after a failed attempt, whether a call with this policy may go again. */
export function retryDecider(
  policy: RetryPolicy,
  config: RetryConfig,
  isApiError: (error: unknown) => error is StatusError,
): (error: unknown) => RetryDecision {
  return (error) => {
    if (error instanceof TransportError) {
      // An oversized answer would be just as large the next time.
      if (error.code === 'TRANSPORT_RESPONSE_TOO_LARGE') return { retry: false };
      // Never sent: repeating cannot do anything twice, whatever the call.
      if (!error.sent) return { retry: true };
      return { retry: policy === 'repeatable' && config.retryConnectionErrors !== false };
    }
    if (
      policy === 'repeatable' &&
      isApiError(error) &&
      error.status !== undefined &&
      (error.status === 429 || error.status >= 500)
    ) {
      return { retry: true, retryAt: error.retryAt };
    }
    return { retry: false };
  };
}
