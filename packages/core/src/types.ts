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

/** Every outcome code a `Verification` can carry: Unkey's and keyguard's own. */
export type VerificationCode = UnkeyVerificationCode | KeyguardVerificationCode;

/** One rate limit of a key as the provider last reported it. */
export interface RateLimitState {
  /**
   * The provider's id for the limit, when it gives one. The keys of one identity share its limits, and so their ids:
   * batched metering counts a shared limit once for all of them.
   */
  id?: string;
  /** The limit's name (Unkey's `name`; the one `ratelimits[].name` of a cost refers to). */
  name: string;
  /** Requests allowed per window. */
  limit: number;
  /** Requests left in the current window, after this verification. */
  remaining: number;
  /** Absolute time (unix ms) at which the window resets. */
  reset: number;
  /** True when this verification went past the limit (the answer is then `RATE_LIMITED`). */
  exceeded: boolean;
  /** Window length in ms, when the provider tells it (used for `RateLimit-Policy`). */
  duration?: number;
}

/** The identity (user, organisation, tenant) a key belongs to, when the provider has one. */
export interface KeyIdentity {
  /** The provider's id of the identity. */
  id: string;
  /** Your own id for it (Unkey's `externalId`; Clerk's `subject`). */
  externalId: string;
  /** The identity's metadata, as stored with the provider. */
  meta: Record<string, unknown>;
}

/** The same shape for every provider. */
export interface VerifiedKey {
  /** The provider's id of the key (never the key itself). */
  id: string;
  /** The `name` of the provider that verified it: `'unkey'`, `'clerk'`, or a custom provider's own. */
  provider: 'unkey' | 'clerk' | (string & {});
  /** The key's name, when it has one. */
  name?: string;
  /** Whom the key belongs to, when the provider knows. */
  identity?: KeyIdentity;
  /** The key's permissions (its own and its roles'), as `requirePermissions` queries see them. */
  permissions: string[];
  /** The key's roles. */
  roles: string[];
  /** The key's metadata, as stored with the provider. */
  meta: Record<string, unknown>;
  /** Unix ms after which the key is no longer valid. */
  expires?: number;
  /** Credits remaining after this verification; absent means unlimited. */
  credits?: number;
  /** Whether the key is enabled (a verified key is). */
  enabled: boolean;
  /** The key's rate limits as this verification left them; absent when it has none. */
  ratelimits?: RateLimitState[];
  /**
   * Which kind of credential this is, for providers that verify several on one route: Clerk's token types
   * (`api_key`, `m2m_token`, `oauth_token`, as its `acceptsToken` names them) or a custom provider's own. Absent
   * for providers with one kind (Unkey's keys). A route's `accepts` option admits keys by this field.
   */
  kind?: 'api_key' | 'm2m_token' | 'oauth_token' | (string & {});
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
  /** Whether the key may be used: true exactly when `code` is `VALID` and `key` is set. */
  valid: boolean;
  /** The outcome. */
  code: VerificationCode;
  /** The verified key, on a valid answer. */
  key?: VerifiedKey;
  /** The key's rate limits, when it has any (also on a `RATE_LIMITED` answer). */
  ratelimits?: RateLimitState[];
  /** The provider's request id, when it gave one. */
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
   * The longest key the provider takes; longer ones are rejected before any call, and adapters read up to this
   * length. Default `MAX_KEY_LENGTH` (512, Unkey's limit); Clerk's M2M JWTs run to about 800 characters.
   */
  readonly maxKeyLength?: number;
  /**
   * Where the provider calls, for the outage log line: a URL without credentials, query or fragment (it is logged).
   */
  readonly endpoint?: string;
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
  /** One line per denied request (adapters), when the logger has this level. */
  debug?(message: string, details?: Record<string, unknown>): void;
  /** Informational lines, when the logger has this level. */
  info?(message: string, details?: Record<string, unknown>): void;
  /** Warnings, such as the start and end of a key service outage. */
  warn(message: string, details?: Record<string, unknown>): void;
  /** Errors, such as the key service refusing our own root key. */
  error(message: string, details?: Record<string, unknown>): void;
}

/** Request headers as Node gives them, or a fetch `Headers` object. */
export type HeaderBag = Headers | Record<string, string | string[] | undefined>;
