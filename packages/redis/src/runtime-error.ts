import { KeyguardError } from '@keyguard/core';

/**
 * The runtime cannot hold a fleet: Cloudflare Workers and Vercel's Edge runtime give no TCP connection to Redis that
 * lives beyond one request. Thrown by `redisFleet`, `new RedisFleet` and `invalidateFleet` there, with the
 * stable code `FLEET_RUNTIME_UNSUPPORTED`.
 */
export class FleetRuntimeError extends KeyguardError {
  static override readonly brand: string = 'keyguard.redis.FleetRuntimeError';

  constructor(what: string) {
    super(
      'FLEET_RUNTIME_UNSUPPORTED',
      `${what} cannot run on this runtime (Cloudflare Workers, Vercel Edge): @keyguard/redis keeps TCP connections to Redis open across ` +
        'requests (ioredis), which it does not allow. Create the verifier without `fleet` here (each isolate keeps its own cache), and run the fleet on Node.',
    );
  }
}
