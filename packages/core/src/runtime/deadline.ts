import { TransportError } from './transport-error.js';

/** Connection errors raised before a byte of the request left: repeating such a request cannot do anything twice. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The deadline passed before the key service answered (the request may have reached it). */
export function timeoutError(cause?: unknown): TransportError {
  return new TransportError('TRANSPORT_TIMEOUT', 'the key service did not answer in time', true, cause);
}

/** The key service's answer went past the cap on what a transport reads. */
export function responseTooLargeError(maxBytes: number): TransportError {
  return new TransportError(
    'TRANSPORT_RESPONSE_TOO_LARGE',
    `the key service answered more than ${maxBytes} bytes`,
    true,
  );
}

/** A transport's failure as a TransportError that says whether the request may have reached the server. */
export function transportErrorFor(error: unknown, timedOut: boolean, code: string): TransportError {
  if (error instanceof TransportError) return error;
  if (timedOut) return timeoutError(error);
  if (NOT_SENT_CODES.has(code))
    return new TransportError(
      'TRANSPORT_CONNECTION_FAILED',
      `could not connect to the key service (${code})`,
      false,
      error,
    );
  return new TransportError(
    'TRANSPORT_CONNECTION_RESET',
    `the connection to the key service failed${code ? ` (${code})` : ''}`,
    true,
    error,
  );
}

/**
 * Runs one request under an overall deadline: `work` gets a signal that aborts after `timeoutMs`, and any failure
 * comes out as a TransportError. `errorCode` finds the system error code in a transport's own error shape.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  work: (signal: AbortSignal) => Promise<T>,
  errorCode: (error: unknown) => string,
  isTimeout: (error: unknown) => boolean = () => false,
): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    return await work(controller.signal);
  } catch (error) {
    throw transportErrorFor(error, timedOut || isTimeout(error), errorCode(error));
  } finally {
    clearTimeout(timer);
  }
}
