import { ProviderError } from '../errors.js';
import { TransportError } from '../runtime/transport-error.js';

/** What a key-service client's error tells about a failed call (`UnkeyApiError` and `ClerkApiError` have these fields). */
export interface ClientFailure {
  /** The HTTP status, when an answer came. */
  status?: number;
  /** When the service asked us to come back (unix ms), from `Retry-After`. */
  retryAt?: number;
  /** The service's request id, when it gave one. */
  requestId?: string;
  /** A `TransportError` when no complete answer was read. */
  cause?: unknown;
}

/**
 * Turns a client's failure into the verifier's `ProviderError`: no answer (a timeout, a failed connection), our own
 * credentials or request refused, the service's rate limit, its failure, or an answer that is not one. The message
 * names the service and the status, never a credential.
 */
export function providerErrorFor(
  provider: string,
  failure: ClientFailure,
  badRequestStatuses: ReadonlySet<number>,
): ProviderError {
  const { status, requestId, cause } = failure;
  const details = { provider, status, requestId, cause };
  if (cause instanceof TransportError) {
    if (cause.code === 'TRANSPORT_TIMEOUT')
      return new ProviderError('PROVIDER_TIMEOUT', `${provider} verification failed: ${cause.message}`, details);
    if (cause.code === 'TRANSPORT_RESPONSE_TOO_LARGE')
      return new ProviderError('PROVIDER_BAD_RESPONSE', `${provider} verification failed: ${cause.message}`, details);
    return new ProviderError(
      'PROVIDER_CONNECTION_FAILED',
      `${provider} verification failed: ${cause.message}`,
      details,
    );
  }
  if (status === undefined || (status >= 200 && status < 300)) {
    return new ProviderError(
      'PROVIDER_BAD_RESPONSE',
      `${provider} answered something that is not a verification`,
      details,
    );
  }
  if (status === 401 || status === 403)
    return new ProviderError('PROVIDER_UNAUTHORIZED', `${provider} rejected our credentials (HTTP ${status})`, details);
  if (status === 429)
    return new ProviderError('PROVIDER_RATE_LIMITED', `${provider} is rate limiting us (HTTP 429)`, {
      ...details,
      retryAt: failure.retryAt,
    });
  if (status >= 500)
    return new ProviderError('PROVIDER_SERVER_ERROR', `${provider} answered HTTP ${status}`, {
      ...details,
      retryAt: failure.retryAt,
    });
  if (badRequestStatuses.has(status))
    return new ProviderError(
      'PROVIDER_BAD_REQUEST',
      `${provider} rejected the verification request (HTTP ${status})`,
      details,
    );
  return new ProviderError('PROVIDER_BAD_RESPONSE', `${provider} answered an unexpected HTTP ${status}`, details);
}
