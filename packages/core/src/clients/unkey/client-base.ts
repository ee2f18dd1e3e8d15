import { ConfigurationError } from '../../errors.js';
import type { HttpRequest, HttpTransport, Runtime } from '../../runtime/types.js';
import { TransportError } from '../../runtime/types.js';
import type { KeyChangeSource } from '../../verifier/types.js';
import { createApisGroup, type UnkeyApis } from './apis.js';
import type { RetryPolicy } from './call.js';
import { UnkeyApiError } from './errors.js';
import { createKeysGroup, type UnkeyKeys } from './keys.js';
import { createPermissionsGroup, type UnkeyPermissions } from './permissions.js';
import { readEnvelope, type Envelope, type Redact } from './response.js';
import { DEFAULT_RETRY_CONFIG, withRetries, type RetryDecision, type RetryConfig } from './retry.js';
import type { UnkeyClientOptions } from './types.js';

export const DEFAULT_UNKEY_CLIENT_TIMEOUT_MS = 10_000;
const DEFAULT_BASE_URL = 'https://api.unkey.com';
const REDACTED = '[redacted]';

type KeyChangeListener = (change: { keyId: string }) => void;

function redactorFor(secrets: readonly string[]): Redact {
  const present = secrets.filter((secret) => secret.length > 0);
  return (text) => present.reduce((result, secret) => result.replaceAll(secret, REDACTED), text);
}

function retryDecider(policy: RetryPolicy, config: RetryConfig): (error: unknown) => RetryDecision {
  return (error) => {
    if (error instanceof TransportError) {
      // Never sent: repeating cannot do anything twice, whatever the call.
      if (!error.sent) return { retry: true };
      return { retry: policy === 'repeatable' && config.retryConnectionErrors !== false };
    }
    if (policy === 'repeatable' && error instanceof UnkeyApiError && error.status !== undefined && (error.status === 429 || error.status >= 500)) {
      return { retry: true, retryAt: error.retryAt };
    }
    return { retry: false };
  };
}

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

  // Private fields: kept out of util.inspect, JSON.stringify and enumeration, since the headers hold the root key.
  readonly #transport: HttpTransport;
  readonly #headers: Record<string, string>;
  readonly #rootKey: string;
  readonly #timeoutMs: number;
  readonly #retry: RetryConfig | undefined;
  readonly #listeners = new Set<KeyChangeListener>();
  readonly #closing = new AbortController();
  #closed: Promise<void> | undefined;

  constructor(options: UnkeyClientOptions, runtime: Runtime) {
    if (typeof options.rootKey !== 'string' || options.rootKey.length === 0) {
      throw new ConfigurationError('the Unkey client needs a root key (rootKey)');
    }
    this.#rootKey = options.rootKey;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_UNKEY_CLIENT_TIMEOUT_MS;
    this.#retry = options.retry === false ? undefined : (options.retry ?? DEFAULT_RETRY_CONFIG);
    this.#headers = {
      authorization: `Bearer ${options.rootKey}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': options.userAgent ?? 'keyguard',
    };
    this.#transport = runtime.createTransport(options.baseUrl ?? DEFAULT_BASE_URL, {
      maxResponseBytes: options.maxResponseBytes,
      connections: options.connections,
    });
    const call = this.#call.bind(this);
    this.apis = createApisGroup(call);
    this.keys = createKeysGroup(call, (keyId) => this.#emitKeyChange(keyId));
    this.permissions = createPermissionsGroup(call);
  }

  /** Calls `listener` after each confirmed delete or update of a key made through this client. */
  onKeyChange(listener: KeyChangeListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Stops pending retries and closes the connections. Calling it again answers the same promise. */
  close(): Promise<void> {
    this.#closing.abort();
    this.#closed ??= this.#transport.close();
    return this.#closed;
  }

  #emitKeyChange(keyId: string): void {
    for (const listener of this.#listeners) {
      try {
        listener({ keyId });
      } catch {
        // A listener's failure must not turn a successful delete or update into an error for the caller.
      }
    }
  }

  async #call<T>(operation: string, body: object, policy: RetryPolicy, secrets: readonly string[] = []): Promise<Envelope<T>> {
    const request: HttpRequest = {
      method: 'POST',
      path: `/v2/${operation}`,
      headers: this.#headers,
      body: JSON.stringify(body),
      timeoutMs: this.#timeoutMs,
    };
    const redact = redactorFor([this.#rootKey, ...secrets]);
    const attempt = () => this.#attempt<T>(operation, request, redact);
    const retry = this.#retry;
    return withRetries(attempt, retry ? retryDecider(policy, retry) : () => ({ retry: false }), retry?.backoff, this.#closing.signal);
  }

  async #attempt<T>(operation: string, request: HttpRequest, redact: Redact): Promise<Envelope<T>> {
    let response;
    try {
      response = await this.#transport.request(request);
    } catch (error) {
      if (error instanceof TransportError && error.code === 'TRANSPORT_RESPONSE_TOO_LARGE') {
        throw new UnkeyApiError('UNKEY_BAD_RESPONSE', { operation, title: 'Response too large', detail: error.message, cause: error });
      }
      throw error;
    }
    return readEnvelope<T>(operation, response, redact);
  }
}
