// Rate limits no key carries (per IP, per identity, per route): the shapes every adapter's `rateLimit()` and every
// backend (memory, Redis, Unkey's `ratelimit.limit`) share. Contracts only; the code lives beside this file.
import type { DenialResponse, RateLimitHeaderStyle } from '../http/types.js';
import type { Telemetry } from '../telemetry/types.js';
import type { HeaderBag, Logger, RateLimitState, VerifiedKey } from '../types.js';
import type { WaitUntil } from '../verifier/types.js';

/** A window length: milliseconds, or a number with a unit (`'10s'`, `'1m'`, `'1h'`, `'1d'`). */
export type RateLimitDuration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

/** One limit of a route: `limit` requests per `duration`. A route may have several (a burst and an hourly cap). */
export interface RateLimitRule {
  /**
   * The limit's name in headers (`RateLimit-Policy`) and telemetry; also part of the backend's counter, so two rules
   * of one route never share a count.
   * @default the duration, e.g. `'10s'`
   */
  name?: string;
  /** Requests allowed per window (a positive integer). */
  limit: number;
  /** Window length (at least one second for the Unkey backend, as Unkey requires). */
  duration: RateLimitDuration;
}

/**
 * Whom a request is counted against: the client's IP (behind proxies only as `trustProxy` says), a header, the
 * verified key's id or its identity (on routes behind `keyguard()`), or a function of the request. A source that
 * yields nothing for a request (no key on an `optional` route, a missing header) leaves that request unlimited by
 * this guard; list several sources to fall back, e.g. `['identity', 'ip']`.
 */
export type IdentifierSource =
  | 'ip'
  | 'apiKey'
  | 'identity'
  | { header: string }
  | ((request: RateLimitRequest) => string | undefined | Promise<string | undefined>);

/**
 * Which proxies' `X-Forwarded-For` to believe for the `'ip'` source: `false` (the socket's address only, the safe
 * default), a number of trusted hops, or the trusted proxies' addresses (CIDR ranges allowed).
 */
export type TrustProxy = boolean | number | readonly string[];

/** What the backend is asked for one rule and one identifier. */
export interface RateLimitCall {
  /** The limiter's namespace, with the limit's name appended (`api.burst`) for each of `limits`. */
  namespace: string;
  /** Whom the call counts against: an address, a key id, an identity's external id, a header's value, … */
  identifier: string;
  /** Tokens allowed per window (the backend may apply an override's instead, and says so in its answer). */
  limit: number;
  /** Window length in ms. */
  duration: number;
  /** Tokens to spend; `0` reads the count without spending (batched admission refreshes this way). */
  cost: number;
}

/** A backend's answer, in Unkey's `ratelimit.limit` shape. */
export interface RateLimitAnswer {
  /** True when the cost was spent (or `cost` was 0 and the window is not used up). */
  success: boolean;
  /** The limit that applied (an override's, when one matched). */
  limit: number;
  /** Tokens left in the window after this call. */
  remaining: number;
  /** Unix ms at which the window resets. */
  reset: number;
  /** The override whose limit applied (Unkey and the local key service). */
  overrideId?: string;
}

/** Where counts live: memory (one process), Redis (a fleet), Unkey's `ratelimit.limit` (or the local key service). */
export interface RateLimitBackend {
  /** `'memory'`, `'redis'`, `'unkey'`: in telemetry and stats. */
  readonly kind: string;
  /**
   * Whether a call may spend `cost = n` for n admissions at once and read with `cost = 0` exactly. Batched admission
   * (the default) needs it; a backend without it is asked once per request.
   */
  readonly batching: boolean;
  /** Spends `call.cost` tokens (or reads, with 0). Rejects on a transport failure or when `signal` aborts. */
  limit(call: RateLimitCall, signal?: AbortSignal): Promise<RateLimitAnswer>;
  /** Releases what the backend holds (connections, timers); a backend given by the user is closed by its owner. */
  close?(): Promise<void>;
}

/** What an adapter hands the rate limiter of a request. */
export interface RateLimitRequest {
  /** The request's headers (for the `'ip'` source behind proxies, and `{ header }` sources). */
  headers: HeaderBag;
  /** The socket's remote address (Node's `req.socket.remoteAddress`, Hono's `getConnInfo`), when the platform has one. */
  ip?: string;
  /** The key `keyguard()` verified earlier on this route, when there is one. */
  apiKey?: VerifiedKey;
  /** Path and query, for identifier functions and logs. */
  url?: string;
  /** The framework's logger for this request. */
  logger?: Logger;
  /** Keeps a background settlement alive after the response (Workers' `ctx.waitUntil`, Next's `after`). */
  waitUntil?: WaitUntil;
}

/** The options of `createRateLimiter()` and of every adapter's `rateLimit()`. */
export interface RateLimitOptions {
  /** Where counts live. */
  backend: RateLimitBackend;
  /** Groups this guard's counters (Unkey's namespace: overrides are set per namespace). */
  namespace: string;
  /** One limit: requests per `duration` (or give `limits`). */
  limit?: number;
  /** The window of `limit`. */
  duration?: RateLimitDuration;
  /** Several limits, each counted and reported; a request must pass all of them. */
  limits?: readonly RateLimitRule[];
  /**
   * Whom to count a request against; the first source that yields an identifier wins.
   * @default 'ip'
   */
  identifier?: IdentifierSource | readonly IdentifierSource[];
  /**
   * Tokens a request spends (a positive integer), or a function of the request.
   * @default 1
   */
  cost?: number | ((request: RateLimitRequest) => number);
  /**
   * `'batched'`: admit from the backend's last answer minus local admissions and settle them with `cost = n` (a
   * round trip per batch, not per request). `'strict'`: ask the backend per request. Batched needs a backend with
   * `batching`; it is the default where the backend has it.
   * @default 'batched' when the backend can batch, else 'strict'
   */
  mode?: 'batched' | 'strict';
  /**
   * When the backend fails or exceeds `timeoutMs`: `'fail-closed'` answers 503 with `Retry-After`, `'fail-open'` lets
   * the request through (logged once per outage, counted in stats).
   * @default 'fail-closed'
   */
  onBackendError?: 'fail-open' | 'fail-closed';
  /**
   * How long a request waits for the backend before `onBackendError` applies.
   * @default 1000
   */
  timeoutMs?: number;
  /** Which proxies to believe for the `'ip'` source. @default false */
  trustProxy?: TrustProxy;
  /**
   * Style of the rate-limit headers on every answer; draft-8 names each limit (`RateLimit-Policy`, `RateLimit`).
   * @default 'draft-8'
   */
  rateLimitHeaders?: RateLimitHeaderStyle;
  /** Customise a denial (429 or 503) before it is written; return undefined to keep keyguard's. */
  onDenied?: (denial: DenialResponse) => DenialResponse | undefined;
  /** Where warnings (backend outages; never an identifier that is a key) go. @default console */
  logger?: Logger;
  /**
   * Where decisions and backend calls are reported: `openTelemetry()` from `@keyguard/core/opentelemetry`, found by
   * itself on Node when `@opentelemetry/api` is installed (as the verifier's); `false` turns it off.
   * @default OpenTelemetry when installed (Node, Bun), else none
   */
  telemetry?: Telemetry | false;
}

/** What the adapter does with a request: let it through with headers, or write the denial. */
export type RateLimitOutcome =
  | {
      allowed: true;
      /** Rate-limit headers to add to the response (none when the request was not limited). */
      headers: Record<string, string>;
      /** Each rule's state after this request; empty when no identifier applied. */
      limits: RateLimitState[];
      /** True when the backend failed and `onBackendError: 'fail-open'` let the request through. */
      failedOpen?: boolean;
    }
  | { allowed: false; denial: DenialResponse; limits: RateLimitState[] };

/** Counters of one rate limiter, for dashboards and tests. */
export interface RateLimitStats {
  /** Requests let through (including failed-open ones). */
  allowed: number;
  /** Requests answered 429. */
  limited: number;
  /** Requests answered 503 (backend failed, fail-closed). */
  unavailable: number;
  /** Requests let through while the backend failed. */
  failedOpen: number;
  /** Calls made to the backend (reads and settlements). */
  backendCalls: number;
  /** Admitted locally but not yet settled with the backend. */
  pendingAdmissions: number;
  /** Identifiers held in memory (bounded). */
  identifiers: number;
}

/** The framework-free core of every adapter's `rateLimit()`. */
export interface RateLimiter {
  /** Synchronous when memory can answer (a batched admission), otherwise a promise. */
  check(request: RateLimitRequest): RateLimitOutcome | Promise<RateLimitOutcome>;
  /** The limiter's counters now. */
  stats(): RateLimitStats;
  /** Settles pending admissions with the backend, then releases timers; closes a backend it created. */
  close(): Promise<void>;
}
