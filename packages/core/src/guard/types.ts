import type { DenialResponse, RateLimitHeaderStyle } from '../http/types.js';
import type { KeySource } from '../reading/types.js';
import type { HeaderBag, Logger, VerifiedKey, Verification } from '../types.js';
import type { Verifier, VerifierOptions, WaitUntil } from '../verifier/types.js';

/**
 * What `apiKey` is for a set of options: `VerifiedKey` on a protected route, `VerifiedKey | undefined` when
 * the route is `optional` or the verifier may fail open (a request let through without a key). Options typed
 * loosely (a variable of type `KeyguardOptions`) give the cautious answer.
 */
export type ApiKeyFor<O> =
  true extends PropertyOf<O, 'optional'>
    ? KeyOfKinds<O> | undefined
    : 'fail-open' extends PropertyOf<O, 'onProviderError'>
      ? KeyOfKinds<O> | undefined
      : KeyOfKinds<O>;

/** A kind of credential, as `VerifiedKey.kind` names it (`api_key`, `m2m_token`, `oauth_token`, a provider's own). */
// Exclude, not NonNullable: NonNullable's `& {}` turns the literals into intersections, and `accepts: ['m2m_token']`
// written inline would then be inferred as string[] and narrow nothing.
export type KeyKind = Exclude<VerifiedKey['kind'], undefined>;

/**
 * `VerifiedKey` with `kind` narrowed to the route's `accepts` when they are known literally
 * (`accepts: ['m2m_token']`); plain `VerifiedKey` without `accepts` or with kinds typed as `string`.
 */
type KeyOfKinds<O> =
  PropertyOf<O, 'accepts'> extends readonly (infer Kind)[]
    ? string extends Kind
      ? VerifiedKey
      : VerifiedKey & { kind: Kind }
    : VerifiedKey;

/** `O[K]`, or undefined when `O` has no such property (a plain `extends {k?: …}` would trip over weak types). */
type PropertyOf<O, K extends string> = K extends keyof O ? O[K] : undefined;

/** What a denial answer may be replaced with; return undefined to keep keyguard's answer. */
export type OnDenied = (denial: DenialResponse) => DenialResponse | undefined;

/** How an adapter reads keys and answers denials, whichever way its verifier comes. */
export interface AdapterOptions {
  /**
   * Where keys are read from, in order. Default: Authorization Bearer, then `x-api-key`.
   * @default DEFAULT_KEY_SOURCES
   */
  sources?: readonly KeySource[];
  /**
   * Let requests without a key through with `apiKey` unset (a bad or unknown key is still denied).
   * @default false
   */
  optional?: boolean;
  /**
   * `realm` of `WWW-Authenticate` (default `"api"`).
   * @default 'api'
   */
  realm?: string;
  /**
   * Style of rate-limit headers on 429s and on successful metered answers (default `draft-6`).
   * @default 'draft-6'
   */
  rateLimitHeaders?: RateLimitHeaderStyle;
  /**
   * Customise a denial (status, headers, body) before it is written.
   * @default undefined (the denial as keyguard writes it)
   */
  onDenied?: OnDenied;
  /**
   * Where request lines go: one at debug level per denied request (reason, code, key id, request id; never the key).
   * When the adapter creates the verifier, its warnings too. Default: the framework's logger where it has one
   * (Fastify's `request.log` and `fastify.log`, pino-http's `req.log`); otherwise console for the verifier's warnings
   * and no request lines.
   * @default the framework's logger, else none (the verifier's warnings: console)
   */
  logger?: Logger;
  /**
   * The kinds of credential this route takes (`VerifiedKey.kind`), for providers that verify several, such as
   * `clerk({ accepts: ['api_key', 'm2m_token'] })`. A verified key of another kind, or of none, is answered 401
   * `invalid_token` whose detail names the kinds the route accepts. Types narrow `apiKey.kind` to these.
   * @default undefined (every kind the provider verifies)
   */
  accepts?: readonly KeyKind[];
}

/** A ready verifier (share one per process: its cache is the point); verifier options cannot be given beside it. */
export type WithVerifier = AdapterOptions & { verifier: Verifier } & {
  [K in Exclude<keyof VerifierOptions, keyof AdapterOptions>]?: never;
};
/** The options of a verifier the adapter creates and closes itself. */
export type WithVerifierOptions = AdapterOptions & VerifierOptions & { verifier?: never };

/**
 * Options every adapter takes: `{ verifier, …adapter options }`, or `{ provider, cache, …, …adapter options }` to
 * create one. Giving both is a type error (and a `ConfigurationError` from plain JavaScript), since the verifier
 * options would be silently ignored.
 */
export type KeyguardOptions = WithVerifier | WithVerifierOptions;

/** What the adapter does with a request: let it through (maybe with a key) or write a denial. */
export type AuthenticationOutcome =
  | {
      allowed: true;
      apiKey?: VerifiedKey;
      verification?: Verification;
      /** Headers to add to the eventual response (rate-limit state of metered keys); absent when there are none. */
      headers?: Record<string, string>;
    }
  | { allowed: false; denial: DenialResponse };

/** What an adapter hands `authenticate` of a request: its headers and whatever of the platform it has. */
export interface RequestParts {
  /** The request's headers (a fetch `Headers`, or Node's lower-cased header object). */
  headers: HeaderBag;
  /**
   * The header lines as received, names and values alternating (Node's `req.rawHeaders`). Node keeps only the first
   * of two `Authorization` lines in `headers`; with this, a doubled credential header is refused (400) rather than
   * half read. Fetch `Headers` join repeated lines with a comma, which core refuses alike, so fetch adapters omit it.
   */
  rawHeaders?: readonly string[];
  /** Path and query (or an absolute URL), or a function giving it; read only when a query source is configured. */
  url?: string | (() => string | undefined);
  /**
   * The platform's way to keep background work alive after the response (`ctx.waitUntil` on Workers, `after` in
   * Next.js). Used only when a stale answer starts a refresh; overrides the verifier's own `waitUntil`.
   */
  waitUntil?: WaitUntil;
  /** The framework's logger for this request (Fastify's `request.log`, pino-http's `req.log`); default: the adapter's `logger`. */
  logger?: Logger;
  /** The framework's id for this request; default: the `X-Request-Id` header, when it looks like an id. */
  requestId?: string | number;
}

/**
 * What one route changes of its guard's adapter options, for adapters whose guard serves several routes (Fastify's
 * plugin, Nest's `ApiKeyGuard`). Pass the same object on every request of a route: its `accepts` is checked once.
 */
export interface RouteOverrides {
  /** Replaces the guard's `optional` on this route. */
  optional?: boolean;
  /** Replaces the guard's `accepts` on this route: the kinds of credential it takes (`VerifiedKey.kind`). */
  accepts?: readonly KeyKind[];
}

/**
 * The framework-free core of every adapter, what `createKeyguard()` builds and each adapter's middleware exposes as
 * `.keyguard`. Adapters translate requests and responses, nothing more.
 */
export interface RequestGuard {
  /** The verifier this guard asks: the one given, or the one it created from the verifier options. */
  readonly verifier: Verifier;
  /**
   * Reads and verifies the request's key. Answers synchronously when memory can (a cache hit, a reading failure),
   * otherwise a promise: adapters `await` it, or test for a promise to stay synchronous on the hot path.
   */
  authenticate(
    request: RequestParts,
    overrides?: RouteOverrides,
  ): AuthenticationOutcome | Promise<AuthenticationOutcome>;
  /**
   * Compiles a permission query once (throws `PermissionQuerySyntaxError` now, not per request) and returns a
   * check that answers undefined when `apiKey` satisfies it, or the 403/401 denial to write.
   */
  permissionCheck(query: string): (apiKey: VerifiedKey | undefined) => DenialResponse | undefined;
  /** Closes the verifier when this keyguard created it. */
  close(): Promise<void>;
}

/** @deprecated Renamed to {@link RequestGuard}; this alias will be removed in the next minor release. */
export type Keyguard = RequestGuard;
