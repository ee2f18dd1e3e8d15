import { createVerifier } from '@keyguard/core';
import { redisFleet } from '@keyguard/redis';
import { inMemoryProvider } from '../../../support/in-memory-provider.js';

// Two instances of an app on one Redis (two verifiers, each on a fleet of its own, in this process of the runtime
// under test): what the second learns from the first goes through ioredis, commands and pub/sub alike. Prints
// `result <JSON>` with what it saw; the key is a constant of this file, not a secret.
const KEY = 'sk_custom_fleet_runtime_1';
const redis = process.env.REDIS_URL;
if (!redis) throw new Error('REDIS_URL must name the Redis to use');
const secret = 'runtime-fleet-secret-0123456789abcdef';

let providerCalls = 0;
const keys = inMemoryProvider({ [KEY]: { id: 'key_fleet', permissions: ['docs.read'] } });
const provider = { ...keys, verify: (key: string) => (providerCalls++, keys.verify(key)) };
const fleets = [redisFleet({ redis, secret }), redisFleet({ redis, secret })] as const;
const [first, second] = fleets.map((fleet) => createVerifier({ provider, fleet }));
await Promise.all(fleets.map((fleet) => fleet.ready()));

const firstValid = (await first!.verify(KEY)).valid;
const secondValid = (await second!.verify(KEY)).valid;
const sharedHits = fleets[1].stats().sharedHits;
const cachedOnSecond = second!.verifyCached(KEY) !== undefined;
first!.invalidate(KEY);
// The invalidation reaches the second instance over pub/sub: wait for it, a bounded number of times.
for (let wait = 0; wait < 100 && fleets[1].stats().received === 0; wait++)
  await new Promise((resolve) => setTimeout(resolve, 20));
const result = {
  firstValid,
  secondValid,
  providerCalls,
  sharedHits,
  cachedOnSecond,
  received: fleets[1].stats().received,
  droppedOnSecond: second!.verifyCached(KEY) === undefined,
};
await Promise.all([first!.close(), second!.close()]);
console.log(`result ${JSON.stringify(result)}`);
