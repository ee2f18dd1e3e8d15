import { KeyguardError } from '@keyguard/core';

/** A Redis command of the fleet failed or took too long; the fleet answers without Redis meanwhile. Never carries a key. */
export class FleetRedisError extends KeyguardError {
  static override readonly brand: string = 'keyguard.redis.FleetRedisError';

  constructor(code: 'REDIS_TIMEOUT' | 'REDIS_UNAVAILABLE', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
