import type { Fault } from '../support/fake-unkey.js';
import { GUARD_QUERY, KEY_IDS } from './fixtures.js';
import type { ScenarioKeys } from './fixtures.js';

/**
 * The conformance table: what every adapter must answer, byte for byte where it matters, per
 * http-conventions.md. Adding an adapter adds a harness (./harnesses/), never a row here.
 */

export type Route = '/protected' | '/optional' | '/guarded';

/** For values that depend on the clock (delta seconds): checked here, masked when adapters are compared. */
export interface ValueMatcher {
  describe: string;
  test(value: string): boolean;
}

export type HeaderExpectation = string | ValueMatcher;

export interface Scenario {
  name: string;
  route: Route;
  /** Request headers, built from the scenario's fresh keys. */
  headers?: (keys: ScenarioKeys) => Record<string, string>;
  /** The same request sent this many times first, answers unchecked (to spend a rate limit). */
  warmUps?: number;
  /** How the key service misbehaves for the checked request. */
  fault?: Fault;
  expected: {
    status: number;
    /**
     * Every header that matters (`MATTERING_HEADERS`), with its exact value or a matcher; one that matters and
     * is not listed must be absent. `content-type` is compared by media type, without parameters.
     */
    headers: Record<string, HeaderExpectation>;
    /** The JSON body; a `requestId` from the key service is compared as `REQUEST_ID`. */
    body: unknown;
  };
}

/** The headers compared against the table: challenges, retry and rate-limit information, caching, media type. */
export const MATTERING_HEADERS = /^(www-authenticate|retry-after|cache-control|content-type|(x-)?ratelimit(-[a-z]+)?)$/;

/** Stands for the key service's request id, which differs on every call. */
export const REQUEST_ID = '<request-id>';

const deltaSeconds = (max: number): ValueMatcher => ({
  describe: `<delta-seconds 1..${max}>`,
  test: (value) => /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= max,
});

const CHALLENGE = 'Bearer realm="api"';
const INVALID_REQUEST = 'Bearer realm="api", error="invalid_request"';
const INVALID_TOKEN = 'Bearer realm="api", error="invalid_token"';
const INSUFFICIENT_SCOPE = 'Bearer realm="api", error="insufficient_scope"';

const PROBLEM = 'urn:keyguard:problem:';

/** type, title, detail and status of each problem, spelled out: the table is the specification, not a copy of core. */
const PROBLEMS = {
  MISSING_KEY: [401, 'missing-key', 'API key required', 'This request needs an API key.'],
  MALFORMED_KEY: [400, 'invalid-request', 'Invalid request', 'The API key credential is malformed.'],
  AMBIGUOUS_KEY: [400, 'invalid-request', 'Invalid request', 'The request carries an API key in more than one place; send it once.'],
  KEY_TOO_LONG: [400, 'invalid-request', 'Invalid request', 'The API key is longer than allowed.'],
  NOT_FOUND: [401, 'invalid-token', 'Invalid API key', 'The API key is not known.'],
  EXPIRED: [401, 'invalid-token', 'Invalid API key', 'The API key has expired.'],
  DISABLED: [401, 'invalid-token', 'Invalid API key', 'The API key is disabled.'],
  FORBIDDEN: [403, 'forbidden', 'Forbidden', 'The API key may not be used for this request.'],
  INSUFFICIENT_PERMISSIONS: [403, 'insufficient-scope', 'Insufficient permissions', 'The API key lacks the permissions this request needs.'],
  RATE_LIMITED: [429, 'rate-limited', 'Too many requests', 'The API key is rate limited; try again later.'],
  USAGE_EXCEEDED: [429, 'usage-exceeded', 'Usage exceeded', 'The API key has no credits left.'],
  PROVIDER_UNAVAILABLE: [503, 'service-unavailable', 'Service unavailable', 'The API key service is unavailable; try again later.'],
} as const;

type ProblemCode = keyof typeof PROBLEMS;

/** A denial: RFC 9457 body, `application/problem+json`, never cached, plus the outcome's own headers. */
function denied(code: ProblemCode, headers: Record<string, HeaderExpectation>, options: { requestId?: boolean } = {}): Scenario['expected'] {
  const [status, slug, title, detail] = PROBLEMS[code];
  const body: Record<string, unknown> = { type: PROBLEM + slug, title, status, detail, code };
  if (options.requestId) body.requestId = REQUEST_ID;
  return { status, headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers }, body };
}

function passedWith(apiKeyId: string | null, headers: Record<string, HeaderExpectation> = {}): Scenario['expected'] {
  return { status: 200, headers: { 'content-type': 'application/json', ...headers }, body: { apiKey: apiKeyId } };
}

const RATE_LIMIT_STATE = { 'ratelimit-limit': '1', 'ratelimit-remaining': '0', 'ratelimit-reset': deltaSeconds(60), 'ratelimit-policy': '1;w=60' };

export const scenarios: Scenario[] = [
  // Reading the key (RFC 6750 §2).
  { name: 'no key', route: '/protected', expected: denied('MISSING_KEY', { 'www-authenticate': CHALLENGE }) },
  { name: 'x-api-key', route: '/protected', headers: (k) => ({ 'x-api-key': k.reader }), expected: passedWith(KEY_IDS.reader) },
  { name: 'Authorization: Bearer', route: '/protected', headers: (k) => ({ authorization: `Bearer ${k.reader}` }), expected: passedWith(KEY_IDS.reader) },
  { name: 'Authorization: bearer (lower case)', route: '/protected', headers: (k) => ({ authorization: `bearer ${k.reader}` }), expected: passedWith(KEY_IDS.reader) },
  { name: 'Authorization: BEARER (upper case)', route: '/protected', headers: (k) => ({ authorization: `BEARER ${k.reader}` }), expected: passedWith(KEY_IDS.reader) },
  { name: 'Authorization: Bearer with several spaces', route: '/protected', headers: (k) => ({ authorization: `Bearer   ${k.reader}` }), expected: passedWith(KEY_IDS.reader) },
  {
    name: 'another scheme (Basic) is no key: 401 without an error code',
    route: '/protected',
    headers: () => ({ authorization: 'Basic dXNlcjpwYXNzd29yZA==' }),
    expected: denied('MISSING_KEY', { 'www-authenticate': CHALLENGE }),
  },
  { name: 'Bearer without a token', route: '/protected', headers: () => ({ authorization: 'Bearer' }), expected: denied('MALFORMED_KEY', { 'www-authenticate': INVALID_REQUEST }) },
  {
    name: 'bearer token outside the b64token charset',
    route: '/protected',
    headers: () => ({ authorization: 'Bearer sk_bad$key!with*chars' }),
    expected: denied('MALFORMED_KEY', { 'www-authenticate': INVALID_REQUEST }),
  },
  {
    name: 'x-api-key outside the b64token charset',
    route: '/protected',
    headers: () => ({ 'x-api-key': 'sk_bad key,with spaces' }),
    expected: denied('MALFORMED_KEY', { 'www-authenticate': INVALID_REQUEST }),
  },
  {
    name: 'key of 513 characters',
    route: '/protected',
    headers: () => ({ authorization: `Bearer sk_${'a'.repeat(510)}` }),
    expected: denied('KEY_TOO_LONG', { 'www-authenticate': INVALID_REQUEST }),
  },
  {
    name: 'key of 512 characters is read and verified',
    route: '/protected',
    headers: () => ({ 'x-api-key': `sk_${'b'.repeat(509)}` }),
    expected: denied('NOT_FOUND', { 'www-authenticate': INVALID_TOKEN }, { requestId: true }),
  },
  {
    name: 'key in two places (bearer and x-api-key), even the same key',
    route: '/protected',
    headers: (k) => ({ authorization: `Bearer ${k.reader}`, 'x-api-key': k.reader }),
    expected: denied('AMBIGUOUS_KEY', { 'www-authenticate': INVALID_REQUEST }),
  },

  // What the key service says.
  { name: 'unknown key', route: '/protected', headers: (k) => ({ 'x-api-key': k.unknown }), expected: denied('NOT_FOUND', { 'www-authenticate': INVALID_TOKEN }, { requestId: true }) },
  { name: 'expired key', route: '/protected', headers: (k) => ({ 'x-api-key': k.expired }), expected: denied('EXPIRED', { 'www-authenticate': INVALID_TOKEN }, { requestId: true }) },
  { name: 'disabled key', route: '/protected', headers: (k) => ({ 'x-api-key': k.disabled }), expected: denied('DISABLED', { 'www-authenticate': INVALID_TOKEN }, { requestId: true }) },
  { name: 'forbidden key (no challenge)', route: '/protected', headers: (k) => ({ 'x-api-key': k.forbidden }), expected: denied('FORBIDDEN', {}, { requestId: true }) },
  {
    name: 'insufficient permissions answered by the key service',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.lacksPermissions }),
    expected: denied('INSUFFICIENT_PERMISSIONS', { 'www-authenticate': INSUFFICIENT_SCOPE }, { requestId: true }),
  },
  {
    name: 'metered key within its rate limit: RateLimit headers on the answer',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.limited }),
    expected: passedWith(KEY_IDS.limited, RATE_LIMIT_STATE),
  },
  {
    name: 'rate limited: 429 with Retry-After and RateLimit headers',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.limited }),
    warmUps: 1,
    expected: denied('RATE_LIMITED', { 'retry-after': deltaSeconds(60), ...RATE_LIMIT_STATE }, { requestId: true }),
  },
  { name: 'usage exceeded: 429, no known retry time', route: '/protected', headers: (k) => ({ 'x-api-key': k.exhausted }), expected: denied('USAGE_EXCEEDED', {}, { requestId: true }) },
  {
    name: 'key service down, key not cached: 503 with Retry-After',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.reader }),
    fault: { kind: 'status', status: 500 },
    expected: denied('PROVIDER_UNAVAILABLE', { 'retry-after': '1' }),
  },
  {
    name: 'key service refusing connections: 503 with Retry-After',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.reader }),
    fault: { kind: 'destroy-before-answer' },
    expected: denied('PROVIDER_UNAVAILABLE', { 'retry-after': '1' }),
  },

  // Optional routes.
  { name: 'optional route without a key', route: '/optional', expected: passedWith(null) },
  { name: 'optional route with a key', route: '/optional', headers: (k) => ({ authorization: `Bearer ${k.reader}` }), expected: passedWith(KEY_IDS.reader) },
  { name: 'optional route with another scheme (Basic)', route: '/optional', headers: () => ({ authorization: 'Basic dXNlcjpwYXNzd29yZA==' }), expected: passedWith(null) },
  {
    name: 'optional route with an unknown key',
    route: '/optional',
    headers: (k) => ({ 'x-api-key': k.unknown }),
    expected: denied('NOT_FOUND', { 'www-authenticate': INVALID_TOKEN }, { requestId: true }),
  },
  {
    name: 'optional route with a malformed key',
    route: '/optional',
    headers: () => ({ authorization: 'Bearer sk_bad$key' }),
    expected: denied('MALFORMED_KEY', { 'www-authenticate': INVALID_REQUEST }),
  },

  // Permission guard (`GUARD_QUERY`).
  { name: 'permission guard passing', route: '/guarded', headers: (k) => ({ 'x-api-key': k.writer }), expected: passedWith(KEY_IDS.writer) },
  {
    name: 'permission guard failing: 403 insufficient_scope naming the scope',
    route: '/guarded',
    headers: (k) => ({ 'x-api-key': k.reader }),
    expected: denied('INSUFFICIENT_PERMISSIONS', { 'www-authenticate': `${INSUFFICIENT_SCOPE}, scope="${GUARD_QUERY}"` }),
  },
  { name: 'permission guard without a key', route: '/guarded', expected: denied('MISSING_KEY', { 'www-authenticate': CHALLENGE }) },
];
