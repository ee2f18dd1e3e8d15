/** The outcome codes of a verification. The first eight are Unkey's `keys.verifyKey` codes. */
export type UnkeyVerificationCode =
  | 'VALID'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'DISABLED'
  | 'EXPIRED'
  | 'INSUFFICIENT_PERMISSIONS'
  | 'RATE_LIMITED'
  | 'USAGE_EXCEEDED';

/**
 * keyguard's own codes: a key rejected by the local pre-checks before any network call
 * (`INVALID_KEY_FORMAT`), an answer the provider gave that we do not know (`UNKNOWN_CODE`, treated as invalid),
 * and the two ways the provider itself can fail us.
 */
export type KeyguardVerificationCode =
  'INVALID_KEY_FORMAT' | 'UNKNOWN_CODE' | 'PROVIDER_UNAVAILABLE' | 'PROVIDER_MISCONFIGURED';

export type VerificationCode = UnkeyVerificationCode | KeyguardVerificationCode;

export interface RateLimitState {
  /**
   * The provider's id for the limit, when it gives one. The keys of one identity share its limits, and so their ids:
   * batched metering counts a shared limit once for all of them.
   */
  id?: string;
  name: string;
  limit: number;
  remaining: number;
  /** Absolute time (unix ms) at which the window resets. */
  reset: number;
  exceeded: boolean;
  /** Window length in ms, when the provider tells it (used for `RateLimit-Policy`). */
  duration?: number;
}

export interface KeyIdentity {
  id: string;
  externalId: string;
  meta: Record<string, unknown>;
}

/** The same shape for every provider. */
export interface VerifiedKey {
  id: string;
  /** The `name` of the provider that verified it: `'unkey'`, `'clerk'`, or a custom provider's own. */
  provider: 'unkey' | 'clerk' | (string & {});
  name?: string;
  identity?: KeyIdentity;
  permissions: string[];
  roles: string[];
  meta: Record<string, unknown>;
  /** Unix ms after which the key is no longer valid. */
  expires?: number;
  /** Credits remaining after this verification; absent means unlimited. */
  credits?: number;
  enabled: boolean;
  ratelimits?: RateLimitState[];
}

/** Where an answer came from: memory, the provider, memory past its fresh window, or the local pre-checks. */
export type VerificationSource = 'cache' | 'upstream' | 'stale' | 'local';

interface VerificationFields {
  code: VerificationCode;
  ratelimits?: RateLimitState[];
  source: VerificationSource;
  /** The provider's request id, when it gave one (Unkey `meta.requestId`, Clerk `clerk_trace_id`). */
  requestId?: string;
  /** The key's id on an invalid answer, when the provider named one (an expired, disabled or rate-limited key); a valid one has `key.id`. */
  keyId?: string;
  /** When the caller may try again (unix ms): from a rate limit's reset or a provider's `Retry-After`. */
  retryAt?: number;
  /** True when the provider failed and `onProviderError: 'fail-open'` let the request through without a key. */
  failedOpen?: boolean;
}

/** The outcome of verifying one key: `key` is there exactly when `valid` is true. */
export type Verification =
  (VerificationFields & { valid: true; key: VerifiedKey }) | (VerificationFields & { valid: false; key?: undefined });

/** What a provider answers for one key; the verifier adds `source` and the cache decisions. */
export interface ProviderAnswer {
  valid: boolean;
  code: VerificationCode;
  key?: VerifiedKey;
  ratelimits?: RateLimitState[];
  requestId?: string;
  /** The key's id when the provider named one, also on invalid answers: used to invalidate by id. */
  keyId?: string;
  /**
   * True when verifying this key spends something upstream (credits, rate-limit tokens): such a key is
   * verified upstream on every request, never served from a valid cache entry and never coalesced.
   */
  metered: boolean;
}

/**
 * What one verification spends upstream, for providers that can be told (Unkey's `credits.cost` and
 * `ratelimits[].cost` of `keys.verifyKey`). Batched metering settles `n` locally admitted requests with one call
 * whose costs are all `n`.
 */
export interface VerificationCost {
  /** Credits to spend; 0 spends none (and a key without credits spends none anyway). */
  credits: number;
  /**
   * Rate limits to spend, by name, each with its own cost. Naming a limit replaces its automatic cost-1 check;
   * limits not named are checked as the service does by default.
   */
  ratelimits: readonly { name: string; cost: number }[];
}

/**
 * A key service, as the verifier sees it. `unkey()` (`@keyguard/unkey`) and `clerk()` (`@keyguard/clerk`) are two;
 * any object of this shape is a third (a database lookup, another vendor). The verifier adds the cache, coalescing
 * and failure policy; a provider only answers for one key.
 */
export interface Provider {
  /** Names the provider in errors and logs, and becomes `VerifiedKey.provider`. */
  readonly name: string;
  /** Keys without this prefix cannot belong to the provider: the verifier rejects them without a call. */
  readonly keyPrefix?: string;
  /**
   * Verifies one key: an answer for every key the service could judge (valid or not, with a code), or a thrown
   * `ProviderError` when it could not answer (down, timed out, refused our credentials). Any other thrown error is
   * treated as `PROVIDER_BAD_RESPONSE`. Never put the key in an error.
   *
   * `cost`, given only to providers with `supportsCost`, says what this verification spends instead of the default
   * (one credit, one token of each automatic limit).
   */
  verify(key: string, cost?: VerificationCost): Promise<ProviderAnswer>;
  /**
   * True when `verify` honours a `cost`. Batched metering (`metering: { mode: 'batched' }`) needs it; a provider
   * without it can only be metered strictly, one upstream call per request.
   */
  readonly supportsCost?: boolean;
  /** Releases connections; called by `verifier.close()`. */
  close?(): Promise<void>;
}

/**
 * Minimal logger; `console` fits, and so does pino (recognised by its `bindings()`, and given the fields first as it
 * expects). `debug` and `info` are optional: a logger without them gets no lines at those levels. keyguard never
 * passes a key, root key or secret to it.
 */
export interface Logger {
  debug?(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/** Request headers as Node gives them, or a fetch `Headers` object. */
export type HeaderBag = Headers | Record<string, string | string[] | undefined>;
