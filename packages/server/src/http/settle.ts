import type { KeyServerLogger } from '../server/logger.js';
import { ApiError } from './errors.js';

/**
 * Waits for a request's work: an `ApiError` is answered with `fail`; anything else is logged (its kind and message,
 * never the request body or headers) and answered with `fail` as a 500. Nothing is thrown.
 */
export function settle(work: Promise<void>, logger: KeyServerLogger, requestId: string, fail: (error: ApiError) => void): void {
  work.catch((error: unknown) => {
    if (error instanceof ApiError) {
      fail(error);
      return;
    }
    logger.error('unexpected error', { requestId, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    fail(new ApiError(500, 'UNEXPECTED_ERROR', 'The server failed to answer this request.'));
  });
}
