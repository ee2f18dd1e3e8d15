import { ConfigurationError } from '@keyguard/core';
import type { KeyChangeSource } from '@keyguard/core';
import { runtime as defaultRuntime } from '@keyguard/core/runtime';
import { KeyChangeListeners } from '@keyguard/core/service';
import type { ApiClientOptions, KeyChangeListener, Runtime } from '@keyguard/core/service';
import { createUnkeyConnection } from '../connection.js';
import { createApisGroup, type UnkeyApis } from './apis.js';
import { createIdentitiesGroup, type UnkeyIdentities } from './identities.js';
import { createKeysGroup, type UnkeyKeys } from './keys.js';
import { createPermissionsGroup, type UnkeyPermissions } from './permissions.js';
import { createRatelimitGroup, type UnkeyRatelimit } from './ratelimit.js';

/** Deadline of one attempt of a client call, unless `timeoutMs` says otherwise. */
export const DEFAULT_UNKEY_CLIENT_TIMEOUT_MS = 10_000;

/** What `new UnkeyClient()` takes: the root key, where Unkey is, and how to call it. */
export interface UnkeyClientOptions extends ApiClientOptions {
  /** Root key. Sent as `Authorization: Bearer …`; never put in an error, a message or a log. */
  rootKey: string;
  /**
   * Default `https://api.unkey.com`; point it at `keyguard serve` to run offline.
   * @default 'https://api.unkey.com'
   */
  baseUrl?: string;
}

/**
 * Typed client for Unkey API v2 (`apis.*`, `identities.*`, `keys.*`, `permissions.*`, `ratelimit.*`: the 36 operations
 * of Unkey's SDKs), or any server speaking its wire format such as `keyguard serve`. Every failure is an
 * `UnkeyApiError` with a stable `code`.
 *
 * Reads, deletes and other repeatable calls are retried with jittered backoff on 429 (honouring `Retry-After`), 5xx
 * and connection failures; calls with effects only when the request certainly never left. Every change that alters
 * a key's verification (its settings, permissions or roles, a reroll, a deleted permission or role, an identity's
 * metadata or limits) emits a key change, so a verifier given this client (`clients: [client]`) drops its cached
 * answer at once.
 */
export class UnkeyClient implements KeyChangeSource {
  /** `apis.*`: create, get and delete APIs, list their keys. */
  readonly apis: UnkeyApis;
  /** `identities.*`: the owners keys can share limits and metadata through. */
  readonly identities: UnkeyIdentities;
  /** `keys.*`: create, read, update, reroll and delete keys, their credits, permissions and roles. */
  readonly keys: UnkeyKeys;
  /** `permissions.*`: permissions and roles. */
  readonly permissions: UnkeyPermissions;
  /** `ratelimit.*`: standalone rate limits and their overrides. */
  readonly ratelimit: UnkeyRatelimit;

  // Private fields: kept out of util.inspect, JSON.stringify and enumeration, since the connection holds the root key.
  readonly #connection: ReturnType<typeof createUnkeyConnection>;
  readonly #keyChanges = new KeyChangeListeners();

  /** `runtime` defaults to the one core's package exports select (undici on Node, fetch on edge runtimes). */
  constructor(options: UnkeyClientOptions, runtime: Runtime = defaultRuntime) {
    if (typeof options?.rootKey !== 'string' || options.rootKey.length === 0) {
      throw new ConfigurationError('the Unkey client needs a root key (rootKey)');
    }
    this.#connection = createUnkeyConnection(runtime, {
      ...options,
      timeoutMs: options.timeoutMs ?? DEFAULT_UNKEY_CLIENT_TIMEOUT_MS,
    });
    const { call } = this.#connection;
    this.apis = createApisGroup(call, (apiId) => this.#keyChanges.emit({ apiId }));
    this.keys = createKeysGroup(call, (keyId) => this.#keyChanges.emit({ keyId }));
    const everyKeyChanged = () => this.#keyChanges.emit({ all: true });
    this.identities = createIdentitiesGroup(call, everyKeyChanged);
    this.permissions = createPermissionsGroup(call, everyKeyChanged);
    this.ratelimit = createRatelimitGroup(call);
  }

  /** Calls `listener` after each confirmed change made through this client that may alter a key's verification. */
  onKeyChange(listener: KeyChangeListener): () => void {
    return this.#keyChanges.add(listener);
  }

  /** Stops pending retries and closes the connections. Calling it again answers the same promise. */
  close(): Promise<void> {
    return this.#connection.close();
  }
}
