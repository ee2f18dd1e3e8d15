import { ConfigurationError, ProviderError } from '../errors.js';
import type { HttpResponse, Runtime, TransportOptions } from '../runtime/types.js';
import { TransportError, requestWithConnectRetry } from '../runtime/types.js';
import type { Provider, ProviderAnswer } from '../types.js';
import { parseJsonObject } from './parse-json.js';
import { parseRetryAfter } from './retry-after.js';
import { toProviderAnswer } from './unkey-mapping.js';

export interface UnkeyProviderOptions extends TransportOptions {
  /** Root key with `api.*.verify_key` (or `api.<id>.verify_key`). Never logged. */
  rootKey: string;
  /** Default `https://api.unkey.com`; point it at `keyguard serve` to run offline. */
  baseUrl?: string;
  /** Deadline for one verification (default 2 s). */
  timeoutMs?: number;
}

export const DEFAULT_UNKEY_BASE_URL = 'https://api.unkey.com';
export const DEFAULT_PROVIDER_TIMEOUT_MS = 2000;

function errorFor(response: HttpResponse, requestId: string | undefined): ProviderError {
  const details = { provider: 'unkey', status: response.status, requestId };
  if (response.status === 401 || response.status === 403) {
    return new ProviderError('PROVIDER_UNAUTHORIZED', `Unkey rejected the root key (HTTP ${response.status})`, details);
  }
  if (response.status === 400 || response.status === 412) {
    return new ProviderError('PROVIDER_BAD_REQUEST', `Unkey rejected the verification request (HTTP ${response.status})`, details);
  }
  if (response.status === 429) {
    return new ProviderError('PROVIDER_RATE_LIMITED', 'Unkey is rate limiting this workspace (HTTP 429)', {
      ...details,
      retryAt: parseRetryAfter(response.headers['retry-after']),
    });
  }
  if (response.status >= 500) {
    return new ProviderError('PROVIDER_SERVER_ERROR', `Unkey answered HTTP ${response.status}`, {
      ...details,
      retryAt: parseRetryAfter(response.headers['retry-after']),
    });
  }
  return new ProviderError('PROVIDER_BAD_RESPONSE', `Unkey answered an unexpected HTTP ${response.status}`, details);
}

/** Verifies keys with Unkey's `POST /v2/keys.verifyKey` (or any server speaking its v2 wire format). */
export function createUnkeyProvider(runtime: Runtime, options: UnkeyProviderOptions): Provider {
  if (typeof options.rootKey !== 'string' || options.rootKey.length === 0) {
    throw new ConfigurationError('unkey({ rootKey }) needs a root key');
  }
  const baseUrl = options.baseUrl ?? DEFAULT_UNKEY_BASE_URL;
  const transport = runtime.createTransport(baseUrl, options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  const headers = { authorization: `Bearer ${options.rootKey}`, 'content-type': 'application/json', accept: 'application/json' };

  return {
    name: 'unkey',
    async verify(key: string): Promise<ProviderAnswer> {
      let response: HttpResponse;
      try {
        response = await requestWithConnectRetry(transport, {
          method: 'POST',
          path: '/v2/keys.verifyKey',
          headers,
          body: JSON.stringify({ key }),
          timeoutMs,
        });
      } catch (error) {
        const code = error instanceof TransportError && error.code === 'TRANSPORT_TIMEOUT' ? 'PROVIDER_TIMEOUT' : 'PROVIDER_CONNECTION_FAILED';
        const reason = error instanceof TransportError ? error.message : 'the request failed';
        throw new ProviderError(code, `Unkey verification failed: ${reason}`, { provider: 'unkey', cause: error });
      }
      const envelope = parseJsonObject(response.body);
      const meta = envelope?.meta as { requestId?: unknown } | undefined;
      const requestId = typeof meta?.requestId === 'string' ? meta.requestId : undefined;
      if (response.status !== 200) throw errorFor(response, requestId);
      const answer = envelope ? toProviderAnswer(envelope.data, requestId) : undefined;
      if (!answer) {
        throw new ProviderError('PROVIDER_BAD_RESPONSE', 'Unkey answered something that is not a verification', { provider: 'unkey', status: 200, requestId });
      }
      return answer;
    },
    close: () => transport.close(),
  };
}
