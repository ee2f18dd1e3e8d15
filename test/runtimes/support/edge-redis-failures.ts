import { KeyguardError } from '@keyguard/core';
import { FleetRuntimeError, invalidateFleet, RedisFleet, redisFleet } from '@keyguard/redis';

// What @keyguard/redis does on a runtime without TCP: each of its ways in, called as an app would, and what it threw.
// Shared by the Worker (workerd-redis-worker.ts) and the edge function (edge-redis-app.ts).

export interface Failure {
  name: string;
  code: string | undefined;
  message: string;
  isKeyguardError: boolean;
  isFleetRuntimeError: boolean;
}

const failureOf = (error: unknown): Failure => ({
  name: (error as Error).name,
  code: (error as { code?: string }).code,
  message: (error as Error).message,
  isKeyguardError: error instanceof KeyguardError,
  isFleetRuntimeError: error instanceof FleetRuntimeError,
});

async function failure(attempt: () => unknown): Promise<Failure | 'no failure'> {
  try {
    await attempt();
    return 'no failure';
  } catch (error) {
    return failureOf(error);
  }
}

export async function fleetFailures(): Promise<Record<string, Failure | 'no failure'>> {
  const options = { redis: 'redis://127.0.0.1:6379', secret: 'edge-redis-fleet-secret-0123456789abcdef' };
  return {
    redisFleet: await failure(() => redisFleet(options)),
    RedisFleet: await failure(() => new RedisFleet(options)),
    invalidateFleet: await failure(() => invalidateFleet({ keyId: 'key_1' }, { redis: options.redis })),
  };
}
