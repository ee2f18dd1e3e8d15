import { ConfigurationError } from '../errors.js';
import type { DenialResponse, RateLimitHeaderStyle } from '../http/types.js';
import type { Telemetry } from '../telemetry/types.js';
import type { Logger } from '../types.js';
import type { ProxyTrust } from './client-ip.js';
import { formatDuration, parseDuration } from './duration.js';
import { parseRange, type IpRange } from './ip-address.js';
import type {
  IdentifierSource,
  RateLimitBackend,
  RateLimitOptions,
  RateLimitRequest,
  RateLimitRule,
  TrustProxy,
} from './types.js';

/** One rule, checked: `namespace` is the backend's counter for it (the guard's namespace, plus the name in `limits`). */
export interface ResolvedRule {
  name: string;
  limit: number;
  duration: number;
  namespace: string;
}

/** `createRateLimiter`'s options, checked, with every default applied. */
export interface RateLimitSettings {
  backend: RateLimitBackend;
  namespace: string;
  rules: readonly ResolvedRule[];
  sources: readonly IdentifierSource[];
  cost: number | ((request: RateLimitRequest) => number);
  mode: 'batched' | 'strict';
  failOpen: boolean;
  timeoutMs: number;
  trustProxy: ProxyTrust;
  headerStyle: RateLimitHeaderStyle;
  onDenied: ((denial: DenialResponse) => DenialResponse | undefined) | undefined;
  logger: Logger;
  /** As given: undefined finds OpenTelemetry where the runtime can. */
  telemetry: Telemetry | false | undefined;
}

export const DEFAULT_TIMEOUT_MS = 1000;
const MAX_TIMEOUT_MS = 60_000;
const MAX_LIMIT = 1_000_000_000;
/** Names appear in headers (an RFC 8941 string), telemetry and backend namespaces: kept to a plain alphabet. */
const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const HEADER_STYLES: readonly RateLimitHeaderStyle[] = ['draft-6', 'draft-7', 'draft-8', 'legacy', 'none'];

const fail = (message: string): never => {
  throw new ConfigurationError(message);
};
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function positiveInteger(option: string, value: unknown, max = MAX_LIMIT): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > max)
    fail(`${option} must be an integer from 1 to ${max}`);
  return value as number;
}

function checkRule(option: string, rule: unknown, namespace: string, named: boolean): ResolvedRule {
  if (!isObject(rule)) return fail(`${option} must be an object such as { limit: 10, duration: '10s' }`);
  const limit = positiveInteger(`${option}.limit`, rule.limit);
  const duration = parseDuration(`${option}.duration`, rule.duration);
  const name = rule.name === undefined ? formatDuration(duration) : rule.name;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name))
    fail(`${option}.name must be 1 to 64 letters, digits, '_', '.' or '-'`);
  return { name: name as string, limit, duration, namespace: named ? `${namespace}.${name as string}` : namespace };
}

/** `limit` and `duration`, or `limits`: never both, never neither; names unique. */
function resolveRules(options: RateLimitOptions, namespace: string): ResolvedRule[] {
  const { limit, duration, limits } = options;
  const single = limit !== undefined || duration !== undefined;
  if (single && limits !== undefined) fail('give either limit and duration, or limits, not both');
  if (single) {
    if (limit === undefined || duration === undefined) fail('limit and duration go together: give both');
    return [checkRule('limit', { limit, duration }, namespace, false)];
  }
  if (limits === undefined) return fail("give limit and duration (such as limit: 100, duration: '1m'), or limits");
  if (!Array.isArray(limits) || limits.length === 0) fail('limits must be a non-empty array of { limit, duration }');
  const rules = limits.map((rule, index) => checkRule(`limits[${index}]`, rule as RateLimitRule, namespace, true));
  const names = new Set<string>();
  for (const rule of rules) {
    if (names.has(rule.name))
      fail(`limits has two limits named '${rule.name}': give each a distinct name (it names its counter and header)`);
    names.add(rule.name);
  }
  return rules;
}

function checkSource(option: string, source: unknown): IdentifierSource {
  if (source === 'ip' || source === 'apiKey' || source === 'identity' || typeof source === 'function')
    return source as IdentifierSource;
  if (isObject(source) && typeof source.header === 'string' && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(source.header))
    return { header: source.header.toLowerCase() };
  return fail(`${option} must be 'ip', 'apiKey', 'identity', { header: 'x-…' } or a function of the request`);
}

function resolveSources(identifier: RateLimitOptions['identifier']): IdentifierSource[] {
  if (identifier === undefined) return ['ip'];
  if (!Array.isArray(identifier)) return [checkSource('identifier', identifier)];
  if (identifier.length === 0) fail('identifier must name at least one source');
  return identifier.map((source, index) => checkSource(`identifier[${index}]`, source));
}

/** `trustProxy`: false, true, a number of hops, or addresses and CIDR ranges. */
export function resolveTrustProxy(trustProxy: TrustProxy | undefined): ProxyTrust {
  if (trustProxy === undefined || trustProxy === false) return { kind: 'none' };
  if (trustProxy === true) return { kind: 'all' };
  if (typeof trustProxy === 'number') return { kind: 'hops', hops: positiveInteger('trustProxy', trustProxy, 100) };
  if (!Array.isArray(trustProxy) || trustProxy.length === 0)
    return fail('trustProxy must be true, false, a number of hops, or a list of proxy addresses and CIDR ranges');
  const ranges = trustProxy.map((entry: unknown, index) => {
    const range = typeof entry === 'string' ? parseRange(entry) : undefined;
    return range ?? fail(`trustProxy[${index}] must be an IP address or a CIDR range such as 10.0.0.0/8`);
  });
  return { kind: 'ranges', ranges: ranges as IpRange[] };
}

function resolveMode(mode: unknown, backend: RateLimitBackend): 'batched' | 'strict' {
  if (mode === undefined) return backend.batching ? 'batched' : 'strict';
  if (mode !== 'batched' && mode !== 'strict') return fail("mode must be 'batched' or 'strict'");
  if (mode === 'batched' && !backend.batching)
    fail(`mode 'batched' needs a backend that can batch; the ${backend.kind} backend cannot: use mode 'strict'`);
  return mode;
}

function checkBackend(backend: unknown): RateLimitBackend {
  if (!isObject(backend) || typeof backend.limit !== 'function' || typeof backend.kind !== 'string')
    fail('backend must be a rate-limit backend such as memoryRateLimitBackend() (with kind and limit())');
  return backend as unknown as RateLimitBackend;
}

function checkOptional<T>(option: string, value: T | undefined, valid: boolean, expected: string): T | undefined {
  if (value !== undefined && !valid) fail(`${option} must be ${expected}`);
  return value;
}

/** Checks every option of `createRateLimiter` (and of each adapter's `rateLimit()`) at creation, never per request. */
export function resolveRateLimitOptions(options: RateLimitOptions): RateLimitSettings {
  if (!isObject(options)) fail('createRateLimiter takes an options object');
  const backend = checkBackend(options.backend);
  const { namespace, cost, onBackendError, timeoutMs, rateLimitHeaders, onDenied, logger, telemetry } = options;
  if (typeof namespace !== 'string' || namespace.trim() === '' || namespace.length > 128)
    fail('namespace must be a non-empty string of at most 128 characters');
  checkOptional(
    'onBackendError',
    onBackendError,
    onBackendError === 'fail-open' || onBackendError === 'fail-closed',
    "'fail-open' or 'fail-closed'",
  );
  checkOptional(
    'rateLimitHeaders',
    rateLimitHeaders,
    HEADER_STYLES.includes(rateLimitHeaders!),
    HEADER_STYLES.join(', '),
  );
  checkOptional('onDenied', onDenied, typeof onDenied === 'function', 'a function');
  checkOptional(
    'logger',
    logger,
    isObject(logger) && typeof logger.warn === 'function' && typeof logger.error === 'function',
    'a logger with warn and error methods',
  );
  checkOptional(
    'telemetry',
    telemetry,
    telemetry === false || (isObject(telemetry) && typeof telemetry.instrument === 'function'),
    'openTelemetry() from @keyguard/core/opentelemetry, or false',
  );
  return {
    backend,
    namespace,
    rules: resolveRules(options, namespace),
    sources: resolveSources(options.identifier),
    cost: typeof cost === 'function' ? cost : cost === undefined ? 1 : positiveInteger('cost', cost),
    mode: resolveMode(options.mode, backend),
    failOpen: onBackendError === 'fail-open',
    timeoutMs: timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : positiveInteger('timeoutMs', timeoutMs, MAX_TIMEOUT_MS),
    trustProxy: resolveTrustProxy(options.trustProxy),
    headerStyle: rateLimitHeaders ?? 'draft-8',
    onDenied,
    logger: logger ?? console,
    telemetry,
  };
}
