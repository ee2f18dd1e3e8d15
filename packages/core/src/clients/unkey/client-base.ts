import { ConfigurationError } from '../../errors.js';
import type { Runtime } from '../../runtime/types.js';
import type { KeyChangeSource } from '../../verifier/types.js';
import { ApiConnection } from '../api-connection.js';
import { KeyChangeListeners, type KeyChangeListener } from '../key-change-listeners.js';
import type { RetryPolicy } from '../retry-policy.js';
import { createApisGroup, type UnkeyApis } from './apis.js';
import { UnkeyApiError } from './errors.js';
import { createKeysGroup, type UnkeyKeys } from './keys.js';
import { createPermissionsGroup, type UnkeyPermissions } from './permissions.js';
import { readEnvelope, type Envelope } from './response.js';
import type { UnkeyClientOptions } from './types.js';

export const DEFAULT_UNKEY_CLIENT_TIMEOUT_MS = 10_000;
const DEFAULT_BASE_URL = 'https://api.unkey.com';

/**
 * Typed client for Unkey API v2 (`apis.*`, `keys.*`, `permissions.*`), or any server speaking its wire format such
 * as `keyguard serve`. Runtime-neutral: `UnkeyClient` binds it to Node (undici) or to fetch.
 *
 * Reads and deletes are retried with jittered backoff on 429 (honouring `Retry-After`), 5xx and connection
 * failures; calls with effects only when the request certainly never left. Deletes and updates of a key emit a
 * key change, so a verifier given this client (`clients: [client]`) drops its cached answer at once.
 */
export class UnkeyClientBase implements KeyChangeSource {
  readonly apis: UnkeyApis;
  readonly keys: UnkeyKeys;
  readonly permissions: UnkeyPermissions;

  // Private fields: kept out of util.inspect, JSON.stringify and enumeration, since the connection holds the root key.
  readonly #connection: ApiConnection;
  readonly #keyChanges = new KeyChangeListeners();

  constructor(options: UnkeyClientOptions, runtime: Runtime) {
    if (typeof options.rootKey !== 'string' || options.rootKey.length === 0) {
      throw new ConfigurationError('the Unkey client needs a root key (rootKey)');
    }
    this.#connection = new ApiConnection(runtime, {
      baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
      credential: options.rootKey,
      headers: { 'user-agent': options.userAgent ?? 'keyguard' },
      timeoutMs: options.timeoutMs ?? DEFAULT_UNKEY_CLIENT_TIMEOUT_MS,
      retry: options.retry,
      maxResponseBytes: options.maxResponseBytes,
      connections: options.connections,
      isApiError: (error) => error instanceof UnkeyApiError,
      tooLarge: (operation, cause) => new UnkeyApiError('UNKEY_BAD_RESPONSE', { operation, title: 'Response too large', detail: cause.message, cause }),
    });
    const call = this.#call.bind(this);
    this.apis = createApisGroup(call, (apiId) => this.#keyChanges.emit({ apiId }));
    this.keys = createKeysGroup(call, (keyId) => this.#keyChanges.emit({ keyId }));
    this.permissions = createPermissionsGroup(call);
  }

  /** Calls `listener` after each confirmed delete or update of a key made through this client. */
  onKeyChange(listener: KeyChangeListener): () => void {
    return this.#keyChanges.add(listener);
  }

  /** Stops pending retries and closes the connections. Calling it again answers the same promise. */
  close(): Promise<void> {
    return this.#connection.close();
  }

  #call<T>(operation: string, body: object, policy: RetryPolicy, secrets: readonly string[] = []): Promise<Envelope<T>> {
    return this.#connection.send({
      operation,
      method: 'POST',
      path: `/v2/${operation}`,
      body,
      policy,
      secrets,
      read: (response, redact) => readEnvelope<T>(operation, response, redact),
    });
  }
}
