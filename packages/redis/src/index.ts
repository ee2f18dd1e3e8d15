/**
 * `@keyguard/redis`: verifiers on many instances sharing one Redis (or Valkey). `redisFleet()` is the fleet a
 * verifier joins (`createVerifier({ fleet })`): answers shared across instances, revocations that reach every instance
 * at once, and batched metering's counts; `invalidateFleet()` revokes from outside any verifier.
 *
 * @example
 * ```ts
 * import { createVerifier } from '@keyguard/core';
 * import { redisFleet } from '@keyguard/redis';
 * import { unkey } from '@keyguard/unkey';
 *
 * // The same on every instance: the Redis, the secret (32+ characters, not stored in Redis) and the prefix.
 * const fleet = redisFleet({ redis: 'redis://127.0.0.1:6379', secret: process.env.KEYGUARD_FLEET_SECRET! });
 * const verifier = createVerifier({ provider: unkey({ rootKey: process.env.KEYGUARD_ROOT_KEY! }), fleet });
 * ```
 *
 * @packageDocumentation
 */
export { redisFleet, RedisFleet } from './fleet.js';
/** What `fleet.stats()` counts. */
export type { RedisFleetStats } from './fleet.js';
export { invalidateFleet } from './invalidate.js';
/** Where `invalidateFleet()` finds the fleet: its Redis and prefix, and how long to wait. */
export type { InvalidateFleetOptions } from './invalidate.js';
export type { InvalidationEvent, RedisFleetOptions, RedisTarget } from './options.js';
export { FleetRedisError } from './errors.js';
export { FleetRuntimeError } from './runtime-error.js';
export { redisRateLimitBackend } from './rate-limit/backend.js';
/** What `redisRateLimitBackend()` takes: your ioredis client and the prefix of its keys. */
export type { RedisRateLimitBackendOptions } from './rate-limit/backend.js';
export { RateLimitRedisError } from './rate-limit/errors.js';
