export { redisFleet, RedisFleet } from './fleet.js';
export type { RedisFleetStats } from './fleet.js';
export { invalidateFleet } from './invalidate.js';
export type { InvalidateFleetOptions } from './invalidate.js';
export type { InvalidationEvent, RedisFleetOptions, RedisTarget } from './options.js';
export { FleetRedisError } from './errors.js';
export { FleetRuntimeError } from './runtime-error.js';
