import type { Telemetry } from '../telemetry/types.js';
import type { Logger, Provider, ProviderAnswer, Verification } from '../types.js';
import type { VerifierLimits, VerifierStats } from './stats.js';

export type { VerifierStats } from './stats.js';

/**
 * How the verifier treats metered keys (keys with credits or rate limits, whose every verification spends something
 * upstream).
 */
export interface MeteringOptions {
  /**
   * `strict` (the default): every request of a metered key is verified upstream, one call each.
   * `batched`: after one upstream answer, requests are admitted from memory while the key's known limits and credits
   * allow, and reported upstream in batches (one `keys.verifyKey` with `credits.cost = n` and `ratelimits[].cost = n`);
   * near each limit's edge the key is verified upstream per request again. Needs a provider with `supportsCost`.
   * @default 'strict'
   */
  mode: 'strict' | 'batched';
  /**
   * Admissions settled by one upstream call: an integer from 1 to 1,000,000.
   * @default 100
   */
  maxBatch?: number;
  /**
   * Longest an admission waits before it is settled, in ms: an integer from 1 to 60,000.
   * @default 1_000
   */
  maxDelayMs?: number;
  /**
   * Requests are no longer admitted from memory once a limit or the credits would have this many or fewer left, as
   * this instance sees them; they are verified upstream one by one (default and minimum: `maxBatch`).
   * @default maxBatch
   */
  margin?: number;
  /**
   * Most admissions of one key, or of one limit shared by an identity's keys, that this instance holds without the
   * service having confirmed them (waiting for a batch or in a settlement under way); past it, requests are verified
   * upstream. It bounds how far several instances together can go past a limit (default 10 × `maxBatch`, minimum
   * `maxBatch`).
   * @default 10 * maxBatch
   */
  maxUnsettled?: number;
}

/** How long and how much the verifier keeps in memory (`createVerifier({ cache })`). */
export interface CacheOptions {
  /**
   * Most cached keys: an integer of at least 1.
   * @default 10_000
   */
  maxEntries?: number;
  /**
   * Most cached negative answers (unknown, expired, disabled keys): an integer of at least 1.
   * @default 1_000
   */
  maxNegativeEntries?: number;
  /**
   * Answer from memory for this long, in ms (0 or more).
   * @default 10_000
   */
  freshMs?: number;
  /**
   * After the fresh window, answer from memory and refresh in the background for this long, in ms (0 or more).
   * @default 60_000
   */
  staleMs?: number;
  /**
   * How long unknown / expired / disabled answers are remembered, in ms (0 or more).
   * @default 5_000
   */
  negativeMs?: number;
  /**
   * When the provider fails, a previously valid, non-metered key keeps working this long, in ms (0 or more).
   * @default 300_000
   */
  staleIfErrorMs?: number;
  /**
   * Serve metered keys (credits, rate limits) from the cache anyway, spending nothing for the requests it answers. Off
   * by default: billing stays exact. `metering: { mode: 'batched' }` is the exact way to answer them from memory.
   * @default false
   */
  cacheMeteredKeys?: boolean;
}

/** One answer the verifier gave, as `hooks.onVerification` sees it. */
export interface VerificationEvent {
  /** SHA-256 digest of the key (base64url); never the key itself. */
  digest: string;
  /** The answer given. */
  verification: Verification;
  /** Time from the call to `verify` to the answer, in ms. */
  durationMs: number;
}

/** Callbacks on what the verifier does; they must not throw. */
export interface VerifierHooks {
  /** Called with every answer, from memory or from the provider. */
  onVerification?(event: VerificationEvent): void;
  /** Called with every failure of the provider (a `ProviderError`). */
  onProviderError?(error: Error): void;
}

/**
 * A change made through a client: one key (`keyId`), every key of an API (`apiId`, after `apis.deleteApi`: the
 * verifier cannot tell which cached keys belonged to it, so it drops them all), or any key at all (`all`, after a
 * change to something many keys share: a permission, a role, an identity).
 */
export type KeyChange =
  | { keyId: string; apiId?: undefined; all?: undefined }
  | { apiId: string; keyId?: undefined; all?: undefined }
  | { all: true; keyId?: undefined; apiId?: undefined };

/** Anything that can tell the verifier a key changed: `UnkeyClient` and `ClerkClient` do. */
export interface KeyChangeSource {
  /** Calls `listener` with every change made through this client; the answer stops that. */
  onKeyChange(listener: (change: KeyChange) => void): () => void;
}

/** What to drop from memory: one key (by its digest), every answer for a key id, or everything. */
export type Invalidation =
  | { digest: string; keyId?: undefined; all?: undefined }
  | { keyId: string; digest?: undefined; all?: undefined }
  | { all: true; digest?: undefined; keyId?: undefined };

/** An answer a fleet gives back, and when it was obtained (unix ms, this process's clock): memory's windows start then. */
export interface FleetAnswer {
  /** The answer, as the provider gave it. */
  answer: ProviderAnswer;
  /** When it was obtained (unix ms). */
  obtainedAt: number;
}

/** What a verifier hands the fleet it joins. */
export interface FleetMember {
  /** How long the fleet may share this answer (ms; 0: not at all), by the same policy as memory. */
  shareMs(answer: ProviderAnswer, now: number): number;
  /** Drops matching answers from this verifier's memory without publishing them again (an invalidation from elsewhere). */
  drop(invalidation: Invalidation): void;
  /**
   * Present when the verifier meters in batches: it asks the fleet to share its unconfirmed admissions
   * (`FleetMembership.metering`), read again at most every `refreshMs` (a quarter of `maxDelayMs`, at most 50 ms).
   */
  metering?: { refreshMs: number };
}

/** What the other instances of a fleet hold of one budget without the key service having confirmed it, as last read. */
export interface SharedUnconfirmed {
  /** Their unconfirmed admissions, summed. */
  unconfirmed: number;
  /**
   * Running total of the decreases seen in their counts (settled, refused, or faded) since this view began. A decrease
   * may be a settlement the key service recorded after this instance's newest answer: the verifier keeps subtracting
   * it until an answer to a call sent after it was seen.
   */
  released: number;
}

/**
 * Batched metering's counts shared across a fleet: each instance publishes, per budget (a key's credits, or one rate
 * limit) and window, the admissions it made and the service has not confirmed, and reads the others'. Both calls are
 * synchronous and run on the hot path: the fleet writes and reads in the background, coalesced, and never throws.
 */
export interface FleetMetering {
  /** This instance now holds `unconfirmed` admissions of `budgetId` in the window ending at `window` (unix ms; Infinity: none). */
  share(budgetId: string, window: number, unconfirmed: number): void;
  /** The others' counts as last read (zero when never read, or Redis is away); asking keeps the view refreshed. */
  others(budgetId: string, window: number): SharedUnconfirmed;
}

/**
 * Verifiers on many instances sharing answers and invalidations, such as `redisFleet()` of `@keyguard/redis`. The
 * verifier turns to it only on a memory miss and on an invalidation: an answer from memory never touches it.
 */
export interface Fleet {
  /** Called once by `createVerifier`. */
  join(member: FleetMember): FleetMembership;
}

/** One verifier's place in a fleet. */
export interface FleetMembership {
  /**
   * A memory miss: an answer another instance shared, or `ask()`'s (the provider's), asked about once for the whole
   * fleet. Rejects only with `ask()`'s own error: the fleet's own failures fall back to `ask()`.
   */
  resolve(digest: string, ask: () => Promise<ProviderAnswer>): Promise<FleetAnswer>;
  /** Tells every other member to drop these answers. Never throws and never waits for the network. */
  publish(invalidation: Invalidation): void;
  /** Leaves the fleet (`verifier.close()`). */
  leave(): Promise<void>;
  /** Shared metering counts, when the member asked for them (`FleetMember.metering`) and the fleet can share them. */
  metering?: FleetMetering;
}

/** Keeps a promise's work alive past the response on platforms that end it there (Workers, Vercel, Next.js `after`). */
export type WaitUntil = (promise: Promise<unknown>) => void;

/** Per-call settings of `verify`. */
export interface VerifyOptions {
  /** Overrides the verifier's `waitUntil` for a refresh this call starts (an adapter passes the request's own). */
  waitUntil?: WaitUntil;
}

/** What `createVerifier` takes; every adapter's `keyguard()` takes them too, to create its verifier. */
export interface VerifierOptions {
  /** The key service to ask: `unkey({ rootKey })`, `clerk({ secretKey })`, or your own `Provider`. */
  provider: Provider;
  /**
   * Cache settings, or `false` to ask the provider every time. An unknown setting throws a `ConfigurationError`.
   * @default {} (every setting at its default)
   */
  cache?: CacheOptions | false;
  /**
   * What to do when the provider cannot answer and nothing usable is cached: `fail-closed` answers 503.
   * @default 'fail-closed'
   */
  onProviderError?: 'fail-closed' | 'fail-open';
  /**
   * Expected key prefix (e.g. `sk_`): other keys are rejected before any network call. Default: the provider's own
   * (`clerk()` expects `ak_`); `false` accepts any prefix even when the provider names one.
   * @default the provider's `keyPrefix`
   */
  keyPrefix?: string | false;
  /**
   * Hands background refreshes (a stale answer served while the provider is asked again) to the platform, so they are
   * not cut off when the response ends on serverless and edge runtimes. Default: none (a Node process keeps running).
   * @default undefined
   */
  waitUntil?: WaitUntil;
  /**
   * The longest a provider's `Retry-After` is honoured, in ms (default 60 s): both the pause of calls after the
   * provider rate limited us and the `Retry-After` sent to clients on a 503 are cut to it. A finite number, 0 or more.
   * @default 60_000
   */
  maxRetryAfterMs?: number;
  /**
   * Called on every answer given (`onVerification`) and every provider failure (`onProviderError`).
   * @default {}
   */
  hooks?: VerifierHooks;
  /**
   * Where warnings go: a wrong root key, and the start and end of a key service outage.
   * @default console
   */
  logger?: Logger;
  /**
   * Traces and metrics. Default on Node: OpenTelemetry when `@opentelemetry/api` is installed, recording once an SDK
   * is registered; elsewhere, or to choose providers, `openTelemetry()` from `@keyguard/core/opentelemetry`.
   * `false`: none.
   * @default OpenTelemetry when found (Node), else none
   */
  telemetry?: Telemetry | false;
  /**
   * Clients whose deletes and updates invalidate cached entries at once.
   * @default []
   */
  clients?: KeyChangeSource[];
  /**
   * Instances that share a second-level cache and revoke together (`redisFleet()` of `@keyguard/redis`): every
   * invalidation is published to them, and a memory miss asks the fleet before the provider. With batched metering
   * they also share their unconfirmed admissions, so that together they stay near each limit. Needs the cache.
   * @default undefined (this instance alone)
   */
  fleet?: Fleet;
  /**
   * Metered keys (with credits or rate limits): `{ mode: 'strict' }` (the default) verifies each of their requests
   * upstream; `{ mode: 'batched', maxBatch?, maxDelayMs?, margin?, maxUnsettled? }` admits them from memory and
   * reports the admissions upstream in batches, exact in total once settled (see the README, "Metered keys").
   * @default { mode: 'strict' }
   */
  metering?: MeteringOptions;
}

/** A key service behind a cache: what `createVerifier()` builds and every adapter asks. */
export interface Verifier extends VerifierLimits {
  /**
   * Verifies a key: from memory when it can, else from the provider (one call for concurrent misses of a key).
   * Never rejects for a provider failure: that is an answer too (`PROVIDER_UNAVAILABLE`, `PROVIDER_MISCONFIGURED`, or a
   * failed-open one).
   */
  verify(key: string, options?: VerifyOptions): Promise<Verification>;
  /**
   * The answer memory (or the local pre-checks) can give right now, without waiting; undefined when the key
   * service must be asked. Lets adapters finish a request synchronously on a cache hit.
   */
  verifyCached(key: string, options?: VerifyOptions): Verification | undefined;
  /** Drops a key's cached answer at once. */
  invalidate(key: string): void;
  /** Drops every cached answer for a key id (revocation by id). */
  invalidateKeyId(keyId: string): void;
  /** Drops every cached answer (after an API was deleted, say). */
  invalidateAll(): void;
  /** Counts of what this verifier did, and what its memory holds. */
  stats(): VerifierStats;
  /**
   * Settles what batched metering admitted and has not reported yet, then releases the connections. Await it before a
   * process exits: admissions still pending when a process dies are never reported (at most one batch per key).
   */
  close(): Promise<void>;
}
