import type { Fault } from '../support/faults.js';
import type { ScenarioKeys } from './key-services/key-service.js';
import type { RateLimitedPath } from './rate-limit-routes.js';

/**
 * The vocabulary of the conformance tables: a scenario is one request and the exact answer every adapter must give,
 * byte for byte where it matters, per docs/http-conventions.md. The rows are in scenarios.ts (both provider modes),
 * unkey-scenarios.ts and clerk-scenarios.ts.
 */

export type Route = '/protected' | '/optional' | '/guarded' | '/machines' | '/api-keys' | RateLimitedPath;

/** For values that depend on the clock (delta seconds): checked here, masked when adapters are compared. */
export interface ValueMatcher {
  describe: string;
  test(value: string): boolean;
}

export type HeaderExpectation = string | ValueMatcher;

export interface Scenario<Keys extends ScenarioKeys = ScenarioKeys> {
  name: string;
  route: Route;
  /** Request headers, built from the scenario's fresh keys; an array sends the header once per value, on its own line. */
  headers?: (keys: Keys) => Record<string, string | readonly string[]>;
  /** The same request sent this many times first, answers unchecked (to spend a rate limit). */
  warmUps?: number;
  /** The shortest fixed window the row's requests count in (ms): the row starts away from its end. */
  windowMs?: number;
  /** How the key service misbehaves for the checked request. */
  fault?: Fault;
  /** Answered by keyguard alone: the key service must receive no verification request for it. */
  local?: true;
  expected: {
    status: number;
    /**
     * Every header that matters (`MATTERING_HEADERS`), with its exact value or a matcher; one that matters and
     * is not listed must be absent. `content-type` is compared by media type, without parameters.
     */
    headers: Record<string, HeaderExpectation>;
    /** The JSON body; a `requestId` from the key service is compared as `REQUEST_ID`, a key id as its `KEY_IDS` one. */
    body: unknown;
  };
}

/** The headers compared against the table: challenges, retry and rate-limit information, caching, media type. */
export const MATTERING_HEADERS = /^(www-authenticate|retry-after|cache-control|content-type|(x-)?ratelimit(-[a-z]+)?)$/;

/** Stands for the key service's request id, which differs on every call. */
export const REQUEST_ID = '<request-id>';

export const deltaSeconds = (max: number): ValueMatcher => ({
  describe: `<delta-seconds 1..${max}>`,
  test: (value) => /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= max,
});

export const CHALLENGE = 'Bearer realm="api"';
export const INVALID_REQUEST = 'Bearer realm="api", error="invalid_request"';
export const INVALID_TOKEN = 'Bearer realm="api", error="invalid_token"';
export const INSUFFICIENT_SCOPE = 'Bearer realm="api", error="insufficient_scope"';

const PROBLEM = 'urn:keyguard:problem:';

/** The `detail` of a `MISSING_KEY` answer when the Authorization header holds another scheme, or a key without one. */
export const BEARER_EXPECTED_DETAIL =
  'This request needs an API key. The Authorization header does not hold a Bearer token: send `Authorization: Bearer <key>`.';

/** type, title, detail and status of each problem, spelled out: the table is the specification, not a copy of core. */
const PROBLEMS = {
  MISSING_KEY: [401, 'missing-key', 'API key required', 'This request needs an API key.'],
  MALFORMED_KEY: [400, 'invalid-request', 'Invalid request', 'The API key credential is malformed.'],
  AMBIGUOUS_KEY: [
    400,
    'invalid-request',
    'Invalid request',
    'The request carries an API key in more than one place; send it once.',
  ],
  KEY_TOO_LONG: [400, 'invalid-request', 'Invalid request', 'The API key is longer than allowed.'],
  NOT_FOUND: [401, 'invalid-token', 'Invalid API key', 'The API key is not known.'],
  EXPIRED: [401, 'invalid-token', 'Invalid API key', 'The API key has expired.'],
  DISABLED: [401, 'invalid-token', 'Invalid API key', 'The API key is disabled.'],
  INVALID_KEY_FORMAT: [401, 'invalid-token', 'Invalid API key', 'The API key is not in the expected format.'],
  FORBIDDEN: [403, 'forbidden', 'Forbidden', 'The API key may not be used for this request.'],
  INSUFFICIENT_PERMISSIONS: [
    403,
    'insufficient-scope',
    'Insufficient permissions',
    'The API key lacks the permissions this request needs.',
  ],
  RATE_LIMITED: [429, 'rate-limited', 'Too many requests', 'The API key is rate limited; try again later.'],
  USAGE_EXCEEDED: [429, 'usage-exceeded', 'Usage exceeded', 'The API key has no credits left.'],
  PROVIDER_UNAVAILABLE: [
    503,
    'service-unavailable',
    'Service unavailable',
    'The API key service is unavailable; try again later.',
  ],
} as const;

type ProblemCode = keyof typeof PROBLEMS;

/** A denial: RFC 9457 body, `application/problem+json`, never cached, plus the outcome's own headers. */
export function denied(
  code: ProblemCode,
  headers: Record<string, HeaderExpectation>,
  options: { requestId?: boolean; detail?: string } = {},
): Scenario['expected'] {
  const [status, slug, title, detail] = PROBLEMS[code];
  const body: Record<string, unknown> = { type: PROBLEM + slug, title, status, detail: options.detail ?? detail, code };
  if (options.requestId) body.requestId = REQUEST_ID;
  return {
    status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
    body,
  };
}

export function passedWith(
  apiKeyId: string | null,
  headers: Record<string, HeaderExpectation> = {},
): Scenario['expected'] {
  return { status: 200, headers: { 'content-type': 'application/json', ...headers }, body: { apiKey: apiKeyId } };
}
