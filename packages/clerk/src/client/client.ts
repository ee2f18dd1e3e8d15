import { ConfigurationError } from '@keyguard/core';
import type { KeyChangeSource } from '@keyguard/core';
import { runtime as defaultRuntime } from '@keyguard/core/runtime';
import { KeyChangeListeners } from '@keyguard/core/service';
import type { ApiClientOptions, KeyChangeListener, Runtime } from '@keyguard/core/service';
import { createClerkConnection } from '../connection.js';
import { createApiKeysGroup, type ClerkApiKeys } from './api-keys.js';
import { createM2MTokensGroup, type ClerkM2MTokens } from './m2m-tokens.js';

/** Deadline of one attempt of a client call, unless `timeoutMs` says otherwise. */
export const DEFAULT_CLERK_CLIENT_TIMEOUT_MS = 10_000;

/** What `new ClerkClient()` takes: the secret key, where Clerk is, and how to call it. */
export interface ClerkClientOptions extends ApiClientOptions {
  /** Instance secret key (`sk_live_…`, `sk_test_…`). Sent as `Authorization: Bearer …`; never put in an error. */
  secretKey: string;
  /**
   * Default `https://api.clerk.com/v1`; point it at `keyguard serve` (`http://127.0.0.1:8787/v1`) to run offline.
   * @default 'https://api.clerk.com/v1'
   */
  baseUrl?: string;
}

/**
 * Typed client for Clerk's Backend API `api_keys` endpoints (and `m2m_tokens` revoke and verify), or any server speaking that wire format such as
 * `keyguard serve`. Every failure is a `ClerkApiError` with a stable `code`.
 *
 * Reads and deletes are retried with jittered backoff on 429 (honouring `Retry-After`), 5xx and connection
 * failures; calls with effects (create, update, revoke, verify) only when the request certainly never left.
 * Updates, deletes and revocations emit a key change, so a verifier given this client (`clients: [client]`) drops
 * its cached answer at once.
 */
export class ClerkClient implements KeyChangeSource {
  /** The `api_keys` endpoints: create, list, get, update, revoke, delete, verify. */
  readonly apiKeys: ClerkApiKeys;
  /** The `m2m_tokens` endpoints a verifier's cache depends on: revoke (a key change) and verify. */
  readonly m2mTokens: ClerkM2MTokens;

  // Private fields: kept out of util.inspect, JSON.stringify and enumeration, since the connection holds the secret key.
  readonly #connection: ReturnType<typeof createClerkConnection>;
  readonly #keyChanges = new KeyChangeListeners();

  /** `runtime` defaults to the one core's package exports select (undici on Node, fetch on edge runtimes). */
  constructor(options: ClerkClientOptions, runtime: Runtime = defaultRuntime) {
    if (typeof options?.secretKey !== 'string' || options.secretKey.length === 0) {
      throw new ConfigurationError('the Clerk client needs the instance secret key (secretKey)');
    }
    this.#connection = createClerkConnection(runtime, {
      ...options,
      timeoutMs: options.timeoutMs ?? DEFAULT_CLERK_CLIENT_TIMEOUT_MS,
    });
    const keyChanged = (keyId: string) => this.#keyChanges.emit({ keyId });
    this.apiKeys = createApiKeysGroup(this.#connection.send, keyChanged);
    this.m2mTokens = createM2MTokensGroup(this.#connection.send, keyChanged);
  }

  /** Calls `listener` after each update, delete or revocation of a key or M2M token made through this client. */
  onKeyChange(listener: KeyChangeListener): () => void {
    return this.#keyChanges.add(listener);
  }

  /** Stops pending retries and closes the connections. Calling it again answers the same promise. */
  close(): Promise<void> {
    return this.#connection.close();
  }
}
