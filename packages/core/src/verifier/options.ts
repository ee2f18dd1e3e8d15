import { ConfigurationError } from '../errors.js';
import type { Telemetry } from '../telemetry/types.js';
import type { Logger, Provider } from '../types.js';
import { resolveMetering, type BatchedMeteringSettings } from './metering/options.js';
import type { CacheOptions, Fleet, KeyChangeSource, VerifierHooks, VerifierOptions, WaitUntil } from './types.js';

/** Every cache option, set. */
export type CacheSettings = Required<CacheOptions>;

export const DEFAULT_CACHE_OPTIONS: CacheSettings = {
  maxEntries: 10_000,
  maxNegativeEntries: 1_000,
  freshMs: 10_000,
  staleMs: 60_000,
  negativeMs: 5_000,
  staleIfErrorMs: 5 * 60_000,
  cacheMeteredKeys: false,
};

/** The longest wait a provider's `Retry-After` may impose (default of `maxRetryAfterMs`). */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/**
 * Every option of `createVerifier`. The compiler checks this list against `VerifierOptions` both ways, so an option
 * added there cannot be forgotten here (nor by `keyguard({ verifier, … })`, which refuses them beside a verifier).
 */
const VERIFIER_OPTIONS = {
  provider: true,
  cache: true,
  onProviderError: true,
  keyPrefix: true,
  waitUntil: true,
  maxRetryAfterMs: true,
  hooks: true,
  logger: true,
  telemetry: true,
  clients: true,
  fleet: true,
  metering: true,
} as const satisfies Record<keyof VerifierOptions, true>;

export const VERIFIER_OPTION_NAMES = Object.keys(VERIFIER_OPTIONS) as readonly (keyof VerifierOptions)[];

/** Every cache option, with the kind of value it takes (checked against `CacheOptions` both ways). */
const CACHE_OPTIONS = {
  maxEntries: 'count',
  maxNegativeEntries: 'count',
  freshMs: 'ms',
  staleMs: 'ms',
  negativeMs: 'ms',
  staleIfErrorMs: 'ms',
  cacheMeteredKeys: 'boolean',
} as const satisfies Record<keyof CacheOptions, 'count' | 'ms' | 'boolean'>;

/** `createVerifier`'s options, checked and with every default applied. */
export interface ResolvedVerifierOptions {
  /** The provider as given (telemetry may wrap it). */
  provider: Provider;
  /** The cache's settings; undefined with `cache: false`. */
  cache: CacheSettings | undefined;
  failOpen: boolean;
  /** `keyPrefix` as given: the provider's own applies when undefined; `false` accepts any prefix. */
  keyPrefix: string | false | undefined;
  waitUntil: WaitUntil | undefined;
  maxRetryAfterMs: number;
  hooks: VerifierHooks;
  /** The logger as given; undefined for `console`. */
  logger: Logger | undefined;
  telemetry: Telemetry | false | undefined;
  clients: readonly KeyChangeSource[];
  fleet: Fleet | undefined;
  /** Batched metering's settings; undefined for strict metering. */
  metering: BatchedMeteringSettings | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isFunction = (value: unknown): boolean => typeof value === 'function';

function checkCount(name: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1)
    throw new ConfigurationError(`${name} must be an integer of at least 1`);
  return value as number;
}

function checkMs(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new ConfigurationError(`${name} must be a finite number of milliseconds, 0 or more`);
  }
  return value;
}

/** The `cache` option: undefined for `cache: false`, else every setting, checked. */
export function resolveCacheOptions(cache: CacheOptions | false | undefined): CacheSettings | undefined {
  if (cache === false) return undefined;
  if (cache === undefined) return { ...DEFAULT_CACHE_OPTIONS };
  if (!isObject(cache) || Array.isArray(cache))
    throw new ConfigurationError('cache must be an object of cache settings, or false');
  const settings: CacheSettings = { ...DEFAULT_CACHE_OPTIONS };
  for (const [name, value] of Object.entries(cache)) {
    const kind = (CACHE_OPTIONS as Record<string, (typeof CACHE_OPTIONS)[keyof CacheOptions] | undefined>)[name];
    if (kind === undefined) {
      throw new ConfigurationError(
        `cache.${name} is not a cache option (they are ${Object.keys(CACHE_OPTIONS).join(', ')})`,
      );
    }
    if (value === undefined) continue;
    const option = `cache.${name}`;
    if (kind === 'boolean') {
      if (typeof value !== 'boolean') throw new ConfigurationError(`${option} must be true or false`);
      (settings as Record<string, unknown>)[name] = value;
    } else {
      (settings as Record<string, unknown>)[name] =
        kind === 'count' ? checkCount(option, value) : checkMs(option, value);
    }
  }
  return settings;
}

function checkOptional(name: string, value: unknown, valid: boolean, expected: string): void {
  if (value !== undefined && !valid) throw new ConfigurationError(`${name} must be ${expected}`);
}

/** The options that only need a type check (their value is used as given). */
function checkPlainOptions(options: VerifierOptions): void {
  const { onProviderError, keyPrefix, waitUntil, hooks, logger, clients, fleet } = options;
  checkOptional(
    'onProviderError',
    onProviderError,
    onProviderError === 'fail-closed' || onProviderError === 'fail-open',
    "'fail-closed' or 'fail-open'",
  );
  checkOptional(
    'keyPrefix',
    keyPrefix,
    typeof keyPrefix === 'string' || keyPrefix === false,
    'a string such as sk_, or false',
  );
  checkOptional('waitUntil', waitUntil, isFunction(waitUntil), 'a function such as ctx.waitUntil.bind(ctx)');
  checkOptional(
    'hooks',
    hooks,
    isObject(hooks) &&
      ['onVerification', 'onProviderError'].every(
        (name) => hooks[name as keyof VerifierHooks] === undefined || isFunction(hooks[name as keyof VerifierHooks]),
      ),
    'an object of functions (onVerification, onProviderError)',
  );
  checkOptional(
    'logger',
    logger,
    isObject(logger) && isFunction(logger.warn) && isFunction(logger.error),
    'a logger with warn and error methods',
  );
  checkOptional(
    'clients',
    clients,
    Array.isArray(clients) &&
      clients.every((client) => isFunction((client as Partial<KeyChangeSource> | null)?.onKeyChange)),
    'an array of clients (with onKeyChange)',
  );
  checkOptional(
    'fleet',
    fleet,
    isFunction((fleet as Partial<Fleet> | null)?.join),
    'a fleet such as redisFleet() of @keyguard/redis',
  );
}

/** The options that depend on each other: the fleet and batched metering need the cache, metering a provider with costs. */
function checkCombinations(
  provider: Provider,
  options: VerifierOptions,
  cache: CacheSettings | undefined,
  metering: BatchedMeteringSettings | undefined,
): void {
  if (options.fleet && !cache)
    throw new ConfigurationError('createVerifier({ fleet }) shares what the cache holds: leave the cache on');
  if (!metering) return;
  if (!cache)
    throw new ConfigurationError(
      "metering: { mode: 'batched' } admits from memory: it needs the cache (cache: false asks the provider every time)",
    );
  if (cache.cacheMeteredKeys)
    throw new ConfigurationError(
      "cacheMeteredKeys serves metered keys without spending anything; metering: { mode: 'batched' } spends exactly: choose one",
    );
  if (provider.supportsCost !== true) {
    throw new ConfigurationError(
      `metering: { mode: 'batched' } settles with a cost per call, which the ${provider.name} provider does not support (supportsCost)`,
    );
  }
}

/**
 * Checks every option of `createVerifier` once, at creation, and applies the defaults: a wrong value throws a
 * `ConfigurationError` naming the option (`cache.freshMs must be …`).
 */
export function resolveVerifierOptions(options: VerifierOptions): ResolvedVerifierOptions {
  if (!options?.provider || typeof options.provider.verify !== 'function') {
    throw new ConfigurationError('createVerifier({ provider }) needs a provider such as unkey({ rootKey })');
  }
  const { provider, telemetry } = options;
  checkPlainOptions(options);
  const cache = resolveCacheOptions(options.cache);
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  if (typeof maxRetryAfterMs !== 'number' || !(maxRetryAfterMs >= 0) || !Number.isFinite(maxRetryAfterMs)) {
    throw new ConfigurationError('maxRetryAfterMs must be a finite number of milliseconds, 0 or more');
  }
  if (
    telemetry !== undefined &&
    telemetry !== false &&
    !isFunction((telemetry as Partial<Telemetry> | null)?.instrument)
  ) {
    throw new ConfigurationError(
      'the telemetry option takes openTelemetry() from @keyguard/core/opentelemetry, or false',
    );
  }
  const metering = resolveMetering(options.metering);
  checkCombinations(provider, options, cache, metering);
  return {
    provider,
    cache,
    failOpen: options.onProviderError === 'fail-open',
    keyPrefix: options.keyPrefix,
    waitUntil: options.waitUntil,
    maxRetryAfterMs,
    hooks: options.hooks ?? {},
    logger: options.logger,
    telemetry,
    clients: options.clients ?? [],
    fleet: options.fleet,
    metering,
  };
}
