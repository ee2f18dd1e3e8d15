import { ConfigurationError, ProviderError } from '../errors.js';
import type { HttpResponse, Runtime, TransportOptions } from '../runtime/types.js';
import type { Provider, ProviderAnswer } from '../types.js';
import { parseJsonObject } from './parse-json.js';
import { providerErrorForStatus, sendProviderRequest } from './provider-http.js';
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
  if (response.status === 400 || response.status === 412) {
    return new ProviderError('PROVIDER_BAD_REQUEST', `Unkey rejected the verification request (HTTP ${response.status})`, {
      provider: 'unkey',
      status: response.status,
      requestId,
    });
  }
  return providerErrorForStatus('unkey', response, requestId);
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
      const response = await sendProviderRequest(transport, 'unkey', {
        method: 'POST',
        path: '/v2/keys.verifyKey',
        headers,
        body: JSON.stringify({ key }),
        timeoutMs,
      });
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
