// The names keyguard reports under, after OpenTelemetry's naming conventions
// (https://opentelemetry.io/docs/specs/semconv/general/naming/): a `keyguard` namespace, lowercase, dot-separated,
// counters of countable things pluralized, an UpDownCounter named `.count`, durations in seconds.

/** Instrumentation scope (tracer and meter name). */
export const INSTRUMENTATION_SCOPE = '@keyguard/core';

/** One span per call to the key service. */
export const SPAN_VERIFY = 'keyguard.verify';

/** One span per call to a rate-limit backend (a request's spend, or a settlement of batched admissions). */
export const SPAN_RATE_LIMIT = 'keyguard.rate_limit';

/** Counter: verifications answered, by code and source. */
export const METRIC_VERIFICATIONS = 'keyguard.verifications';
/** Histogram: duration of calls to the key service, in seconds. */
export const METRIC_PROVIDER_CALL_DURATION = 'keyguard.provider.call.duration';
/** Counter: calls to the key service that got no answer, by error type. */
export const METRIC_PROVIDER_ERRORS = 'keyguard.provider.errors';
/** UpDownCounter: answers kept in memory, by cache kind. */
export const METRIC_CACHE_ENTRY_COUNT = 'keyguard.cache.entry.count';

/** Counter: rate-limit decisions, by outcome, backend and namespace. */
export const METRIC_RATE_LIMIT_DECISIONS = 'keyguard.rate_limit.decisions';

/** The provider's `name`: `unkey`, `clerk`, or a custom provider's own. */
export const ATTR_PROVIDER_NAME = 'keyguard.provider.name';
/** The verification code: `VALID`, `NOT_FOUND`, `RATE_LIMITED`, `PROVIDER_UNAVAILABLE`, … */
export const ATTR_VERIFICATION_CODE = 'keyguard.verification.code';
/** Where the answer came from: see `TelemetrySource`. */
export const ATTR_VERIFICATION_SOURCE = 'keyguard.verification.source';
/** The key's id at the key service (`key_…`, `ak_…`): never the key, never its digest. */
export const ATTR_KEY_ID = 'keyguard.key.id';
/** The verified key's `kind` (`api_key`, `m2m_token`, `oauth_token`), when its provider names one. */
export const ATTR_KEY_KIND = 'keyguard.key.kind';
/** The key service's own request id (Unkey `meta.requestId`, Clerk `clerk_trace_id`), for its support. */
export const ATTR_PROVIDER_REQUEST_ID = 'keyguard.provider.request_id';
/** Which cache an entry count is of: `key` (valid, rate-limited and metered keys) or `negative`. */
export const ATTR_CACHE_KIND = 'keyguard.cache.kind';
/** A rate-limit decision: `allowed`, `limited` (429), `unavailable` (503), `failed_open`. */
export const ATTR_RATE_LIMIT_OUTCOME = 'keyguard.rate_limit.outcome';
/** The rate-limit backend's `kind`: `memory`, `redis`, `unkey`, or a custom backend's own. */
export const ATTR_RATE_LIMIT_BACKEND = 'keyguard.rate_limit.backend';
/** The rate limiter's namespace (never an identifier: one may be a header value the client sent). */
export const ATTR_RATE_LIMIT_NAMESPACE = 'keyguard.rate_limit.namespace';
/** The name of the limit a backend call counts against (`RateLimit-Policy`'s name). */
export const ATTR_RATE_LIMIT_NAME = 'keyguard.rate_limit.name';
/** Tokens a backend call spends: a request's cost, or the admissions a settlement counts. */
export const ATTR_RATE_LIMIT_COST = 'keyguard.rate_limit.cost';
/** OpenTelemetry's general attribute for a failure's class: here the `ProviderError` code. */
export const ATTR_ERROR_TYPE = 'error.type';

/**
 * `cache` (fresh from memory, or a remembered rate limit), `stale` (memory past its fresh window, or kept through a
 * provider failure), `negative` (a remembered unknown, expired, disabled or out-of-credit key), `upstream` (asked
 * now), `local` (rejected by the pre-checks, no call): `Verification.source`'s values, with its `cache` split in two.
 */
export type TelemetrySource = 'cache' | 'stale' | 'negative' | 'upstream' | 'local';

/** Seconds, after the buckets OpenTelemetry advises for HTTP client durations. */
export const DURATION_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
