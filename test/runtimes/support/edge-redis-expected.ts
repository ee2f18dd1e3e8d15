import { expect } from 'vitest';

/** What edge-redis-failures.ts must answer on a runtime without TCP: FLEET_RUNTIME_UNSUPPORTED from each way in. */
export function expectedFleetFailures(): Record<string, unknown> {
  const failure = (what: string) => ({
    name: 'FleetRuntimeError',
    code: 'FLEET_RUNTIME_UNSUPPORTED',
    message: expect.stringMatching(
      new RegExp(
        `^${what.replace(/[()]/g, '\\$&')} cannot run on this runtime .*Create the verifier without \`fleet\` here`,
      ),
    ),
    isKeyguardError: true,
    isFleetRuntimeError: true,
  });
  return {
    redisFleet: failure('redisFleet()'),
    RedisFleet: failure('new RedisFleet()'),
    invalidateFleet: failure('invalidateFleet()'),
  };
}
