import type { ProviderError } from '../../errors.js';
import { TransportError } from '../../runtime/transport-error.js';

/**
 * Whether a failed call may nevertheless have been applied by the service: its request may have left and no answer
 * came back (a timeout, a connection dropped after sending), or an answer came back that could not be read. Such a
 * settlement is not repeated: it may be recorded already, and charging twice is worse than once too few.
 */
export function mayHaveBeenApplied(error: ProviderError): boolean {
  let cause: unknown = error;
  for (let depth = 0; cause && depth < 5; depth++) {
    if (cause instanceof TransportError) return cause.sent;
    cause = (cause as { cause?: unknown }).cause;
  }
  return error.status !== undefined && error.status >= 200 && error.status < 300;
}
