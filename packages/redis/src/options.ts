import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { ConfigurationError, type Logger } from '@keyguard/core';

/** Where the fleet's Redis (or Valkey) is: a `redis://` / `rediss://` URL, ioredis options, or a client you already have. */
export type RedisTarget = string | RedisOptions | Redis | Cluster;

/** What every instance of an app learns about invalidations, for metrics (how long the bus took). */
export interface InvalidationEvent {
  /** What was dropped: one key's answers (by digest), every answer for a key id, or all of them. */
  kind: 'digest' | 'keyId' | 'all';
  /** When the publishing instance sent it (unix ms, its clock). */
  publishedAt: number;
  /** When this instance dropped the answers (unix ms, this clock). */
  droppedAt: number;
}

/** What `redisFleet()` takes: the Redis every instance shares, the secret they sign with, and how long to wait. */
export interface RedisFleetOptions {
  /** The Redis every instance shares. A client you pass stays yours: the fleet only adds one subscriber connection beside it. */
  redis: RedisTarget;
  /**
   * Signs shared answers (HMAC-SHA-256) and names them: the same on every instance, at least 32 characters, kept out
   * of Redis. Someone who can write to Redis cannot make a key valid without it.
   */
  secret: string;
  /**
   * Namespaces the fleet's Redis keys and channel (default `keyguard`): one per app and key service.
   * @default 'keyguard'
   */
  prefix?: string;
  /**
   * Longest wait for one Redis command before verifying without it (default 100 ms).
   * @default 100
   */
  timeoutMs?: number;
  /**
   * After a Redis failure, verify without it for this long before trying again (default 1 s).
   * @default 1_000
   */
  retryMs?: number;
  /**
   * How long one instance may ask the provider about a new key while the others wait for its answer (default 2.5 s,
   * above the providers' 2 s timeout); past it they ask on their own.
   * @default 2_500
   */
  lockMs?: number;
  /**
   * Where the one warning per Redis outage goes (default `console`). Never given a key.
   * @default console
   */
  logger?: Logger;
  /**
   * Called on each invalidation this instance receives from another one.
   * @default undefined (none)
   */
  onInvalidation?: (event: InvalidationEvent) => void;
}

export interface ResolvedOptions {
  redis: RedisTarget;
  secret: string;
  prefix: string;
  timeoutMs: number;
  retryMs: number;
  lockMs: number;
  logger: Logger;
  onInvalidation?: (event: InvalidationEvent) => void;
}

export const MIN_SECRET_LENGTH = 32;
const PREFIX = /^[A-Za-z0-9_.:-]{1,64}$/;

function positive(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    throw new ConfigurationError(`redisFleet({ ${name} }) must be a number of milliseconds in (0, ${max}]`);
  }
  return value;
}

/** The prefix, or the default `keyguard`; braces and spaces would break the hash tag and the bus format. */
export function checkedPrefix(prefix: string | undefined): string {
  if (prefix === undefined) return 'keyguard';
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw new ConfigurationError('the fleet prefix must be 1..64 characters of letters, digits and _ . : -');
  }
  return prefix;
}

/** Checks a fleet's options once, at creation; the defaults are the safe ones. */
export function resolveOptions(options: RedisFleetOptions): ResolvedOptions {
  if (
    !options ||
    (typeof options.redis !== 'string' && (typeof options.redis !== 'object' || options.redis === null))
  ) {
    throw new ConfigurationError('redisFleet({ redis }) needs a redis:// URL, ioredis options or an ioredis client');
  }
  if (typeof options.secret !== 'string' || options.secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigurationError(
      `redisFleet({ secret }) needs a secret of at least ${MIN_SECRET_LENGTH} characters, the same on every instance`,
    );
  }
  const prefix = checkedPrefix(options.prefix);
  if (options.onInvalidation !== undefined && typeof options.onInvalidation !== 'function') {
    throw new ConfigurationError('redisFleet({ onInvalidation }) must be a function');
  }
  return {
    redis: options.redis,
    secret: options.secret,
    prefix,
    timeoutMs: positive('timeoutMs', options.timeoutMs, 100, 10_000),
    retryMs: positive('retryMs', options.retryMs, 1_000, 60_000),
    lockMs: positive('lockMs', options.lockMs, 2_500, 30_000),
    logger: options.logger ?? console,
    onInvalidation: options.onInvalidation,
  };
}
