import { ProviderError } from '../errors.js';
import type { HttpRequest, HttpResponse, HttpTransport } from '../runtime/types.js';
import { TransportError, requestWithConnectRetry } from '../runtime/types.js';
import { parseRetryAfter } from './retry-after.js';

/** Sends a provider request; a transport failure becomes a ProviderError that names no credential. */
export async function sendProviderRequest(transport: HttpTransport, provider: string, request: HttpRequest): Promise<HttpResponse> {
  try {
    return await requestWithConnectRetry(transport, request);
  } catch (error) {
    const code = error instanceof TransportError && error.code === 'TRANSPORT_TIMEOUT' ? 'PROVIDER_TIMEOUT' : 'PROVIDER_CONNECTION_FAILED';
    const reason = error instanceof TransportError ? error.message : 'the request failed';
    throw new ProviderError(code, `${provider} verification failed: ${reason}`, { provider, cause: error });
  }
}

/** The statuses every key service means the same way: our credentials, their rate limit, their failure. */
export function providerErrorForStatus(provider: string, response: HttpResponse, requestId: string | undefined): ProviderError {
  const details = { provider, status: response.status, requestId };
  if (response.status === 401 || response.status === 403) {
    return new ProviderError('PROVIDER_UNAUTHORIZED', `${provider} rejected our credentials (HTTP ${response.status})`, details);
  }
  if (response.status === 429) {
    return new ProviderError('PROVIDER_RATE_LIMITED', `${provider} is rate limiting us (HTTP 429)`, {
      ...details,
      retryAt: parseRetryAfter(response.headers['retry-after']),
    });
  }
  if (response.status >= 500) {
    return new ProviderError('PROVIDER_SERVER_ERROR', `${provider} answered HTTP ${response.status}`, {
      ...details,
      retryAt: parseRetryAfter(response.headers['retry-after']),
    });
  }
  return new ProviderError('PROVIDER_BAD_RESPONSE', `${provider} answered an unexpected HTTP ${response.status}`, details);
}
