import { ConfigurationError } from '../../errors.js';
import { CLERK_API_VERSION, DEFAULT_CLERK_BASE_URL } from '../../providers/clerk.js';
import type { Runtime } from '../../runtime/types.js';
import type { KeyChangeSource } from '../../verifier/types.js';
import { ApiConnection } from '../api-connection.js';
import { KeyChangeListeners, type KeyChangeListener } from '../key-change-listeners.js';
import { createApiKeysGroup, type ClerkApiKeys, type ClerkCall } from './api-keys.js';
import { ClerkApiError } from './errors.js';
import { readClerkResponse } from './response.js';
import type { ClerkClientOptions } from './types.js';

export const DEFAULT_CLERK_CLIENT_TIMEOUT_MS = 10_000;

/**
 * Typed client for Clerk's Backend API `api_keys` endpoints (docs/clerk-api-keys.md), or any server speaking that
 * wire format such as `keyguard serve`. Runtime-neutral: `ClerkClient` binds it to Node (undici) or to fetch.
 *
 * Reads and deletes are retried with jittered backoff on 429 (honouring `Retry-After`), 5xx and connection
 * failures; calls with effects (create, update, revoke, verify) only when the request certainly never left.
 * Updates, deletes and revocations emit a key change, so a verifier given this client (`clients: [client]`) drops
 * its cached answer at once.
 */
export class ClerkClientBase implements KeyChangeSource {
  readonly apiKeys: ClerkApiKeys;

  // Private fields: kept out of util.inspect, JSON.stringify and enumeration, since the connection holds the secret key.
  readonly #connection: ApiConnection;
  readonly #keyChanges = new KeyChangeListeners();

  constructor(options: ClerkClientOptions, runtime: Runtime) {
    if (typeof options.secretKey !== 'string' || options.secretKey.length === 0) {
      throw new ConfigurationError('the Clerk client needs the instance secret key (secretKey)');
    }
    this.#connection = new ApiConnection(runtime, {
      baseUrl: options.baseUrl ?? DEFAULT_CLERK_BASE_URL,
      credential: options.secretKey,
      headers: { 'user-agent': options.userAgent ?? 'keyguard', 'clerk-api-version': CLERK_API_VERSION },
      timeoutMs: options.timeoutMs ?? DEFAULT_CLERK_CLIENT_TIMEOUT_MS,
      retry: options.retry,
      maxResponseBytes: options.maxResponseBytes,
      connections: options.connections,
      isApiError: (error) => error instanceof ClerkApiError,
      tooLarge: (operation, cause) => new ClerkApiError('CLERK_BAD_RESPONSE', { operation, reason: cause.message, cause }),
    });
    this.apiKeys = createApiKeysGroup(this.#send.bind(this), (keyId) => this.#keyChanges.emit({ keyId }));
  }

  /** Calls `listener` after each update, delete or revocation of a key made through this client. */
  onKeyChange(listener: KeyChangeListener): () => void {
    return this.#keyChanges.add(listener);
  }

  /** Stops pending retries and closes the connections. Calling it again answers the same promise. */
  close(): Promise<void> {
    return this.#connection.close();
  }

  #send<T>({ parse, ...call }: ClerkCall<T>): Promise<T> {
    return this.#connection.send({ ...call, read: (response, redact) => readClerkResponse(call.operation, response, redact, parse) });
  }
}
