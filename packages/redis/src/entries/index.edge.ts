import type { RedisFleet as NodeRedisFleet } from '../fleet.js';
import type { InvalidateFleetOptions } from '../invalidate.js';
import type { RedisFleetOptions } from '../options.js';
import type { RedisRateLimitBackendOptions } from '../rate-limit/backend.js';
import { FleetRuntimeError } from '../runtime-error.js';

// What `@keyguard/redis` resolves to under the `workerd`, `worker` and `edge-light` export conditions (package.json;
// the types are index.ts's; not under `browser`, which jsdom test environments on Node set too). The fleet needs
// ioredis and TCP connections that outlive a request, which those runtimes do not have: bundling the Node entry there
// fails in ioredis's Node built-ins, or, where a toolchain shims them, connects in the first request and then
// verifies without Redis, warning of an outage. This entry imports nothing of ioredis, so the bundle builds, and each
// function fails at once with a `FleetRuntimeError` saying why.

/** Throws `FleetRuntimeError` (`FLEET_RUNTIME_UNSUPPORTED`): no fleet on this runtime. */
export function redisFleet(_options: RedisFleetOptions): NodeRedisFleet {
  throw new FleetRuntimeError('redisFleet()');
}

/** Its constructor throws `FleetRuntimeError` (`FLEET_RUNTIME_UNSUPPORTED`): no fleet on this runtime. */
export class RedisFleet {
  constructor(_options: RedisFleetOptions) {
    throw new FleetRuntimeError('new RedisFleet()');
  }
}

/** Rejects with `FleetRuntimeError` (`FLEET_RUNTIME_UNSUPPORTED`): it needs ioredis too. */
export function invalidateFleet(
  _target: { keyId: string } | { all: true },
  _options: InvalidateFleetOptions,
): Promise<number> {
  return Promise.reject(new FleetRuntimeError('invalidateFleet()'));
}

/** Throws `FleetRuntimeError` (`FLEET_RUNTIME_UNSUPPORTED`): counting on Redis needs ioredis too. */
export function redisRateLimitBackend(_options: RedisRateLimitBackendOptions): never {
  throw new FleetRuntimeError('redisRateLimitBackend()');
}

export { FleetRedisError } from '../errors.js';
export { RateLimitRedisError } from '../rate-limit/errors.js';
export { FleetRuntimeError } from '../runtime-error.js';
