import { toAPIKey } from '../clients/clerk/wire.js';
import { ConfigurationError, ProviderError } from '../errors.js';
import type { Runtime, TransportOptions } from '../runtime/types.js';
import type { Provider, ProviderAnswer } from '../types.js';
import { toClerkAnswer } from './clerk-mapping.js';
import { parseJsonObject } from './parse-json.js';
import { DEFAULT_PROVIDER_TIMEOUT_MS } from './unkey.js';
import { providerErrorForStatus, sendProviderRequest } from './provider-http.js';

export interface ClerkProviderOptions extends TransportOptions {
  /** Instance secret key (`sk_live_…`, `sk_test_…`). Never logged. */
  secretKey: string;
  /** Default `https://api.clerk.com/v1`; point it at `keyguard serve` to run offline. */
  baseUrl?: string;
  /** Deadline for one verification (default 2 s). */
  timeoutMs?: number;
  /** Tokens without this prefix are rejected before any network call (default `ak_`; `false` accepts any). */
  acceptPrefix?: string | false;
}

export const DEFAULT_CLERK_BASE_URL = 'https://api.clerk.com/v1';
export const CLERK_API_VERSION = '2026-05-12';

/** Statuses with which Clerk says "this is not a valid API key" rather than "something went wrong". */
const KEY_REJECTED_STATUSES = new Set([400, 404, 410, 422]);

/** Verifies Clerk API keys with `POST /api_keys/verify`. Clerk bills per call, so the verifier's cache saves money. */
export function createClerkProvider(runtime: Runtime, options: ClerkProviderOptions): Provider {
  if (typeof options.secretKey !== 'string' || options.secretKey.length === 0) {
    throw new ConfigurationError('clerk({ secretKey }) needs the instance secret key');
  }
  const transport = runtime.createTransport(options.baseUrl ?? DEFAULT_CLERK_BASE_URL, options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  const headers = {
    authorization: `Bearer ${options.secretKey}`,
    'content-type': 'application/json',
    accept: 'application/json',
    'clerk-api-version': CLERK_API_VERSION,
  };

  return {
    name: 'clerk',
    keyPrefix: options.acceptPrefix === false ? undefined : (options.acceptPrefix ?? 'ak_'),
    async verify(key: string): Promise<ProviderAnswer> {
      const response = await sendProviderRequest(transport, 'clerk', {
        method: 'POST',
        path: '/api_keys/verify',
        headers,
        body: JSON.stringify({ secret: key }),
        timeoutMs,
      });
      const body = parseJsonObject(response.body);
      const requestId = typeof body?.clerk_trace_id === 'string' ? body.clerk_trace_id : undefined;
      if (KEY_REJECTED_STATUSES.has(response.status)) return { valid: false, code: 'NOT_FOUND', metered: false, requestId };
      if (response.status < 200 || response.status > 299) throw providerErrorForStatus('clerk', response, requestId);
      const apiKey = toAPIKey(body);
      if (!apiKey) {
        throw new ProviderError('PROVIDER_BAD_RESPONSE', 'Clerk answered something that is not an API key', { provider: 'clerk', status: response.status, requestId });
      }
      return toClerkAnswer(apiKey, requestId);
    },
    close: () => transport.close(),
  };
}
