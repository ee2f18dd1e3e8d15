// The cached path with the Redis fleet on: verify() and verifyCached() on a memory hit, next to a verifier without a
// fleet, interleaved; and Redis's own count of commands processed while the fleet verifier answered hits (an answer
// from memory must not touch Redis).
import { Redis } from 'ioredis';
import { createVerifier } from '@keyguard/core';
import { redisFleet } from '@keyguard/redis';
import { unkey } from '@keyguard/unkey';
import { median, opsPerSecond, opsPerSecondSync } from './lib/in-process.mjs';

const { PROVIDER_URL, ROOT_KEY, KEY, REDIS_URL, FLEET_SECRET, FLEET_PREFIX } = process.env;
const DURATION_MS = 300;

const provider = () => unkey({ rootKey: ROOT_KEY, baseUrl: PROVIDER_URL });
const fleet = redisFleet({ redis: REDIS_URL, secret: FLEET_SECRET, prefix: FLEET_PREFIX });
await fleet.ready();
const plain = createVerifier({ provider: provider(), cache: { freshMs: 600_000 } });
const withFleet = createVerifier({ provider: provider(), fleet, cache: { freshMs: 600_000 } });
for (const verifier of [plain, withFleet])
  if (!(await verifier.verify(KEY)).valid) throw new Error('the benchmark key did not verify');

const inspector = new Redis(REDIS_URL);
const processed = async () => Number(/total_commands_processed:(\d+)/.exec(await inspector.info('stats'))[1]);
const runs = { plain: [], fleet: [], plainCached: [], fleetCached: [] };
let redisCommandsDuringHits = 0;
let fleetHits = 0;
for (let round = 0; round < 7; round++) {
  runs.plain.push(await opsPerSecond(() => plain.verify(KEY), DURATION_MS));
  const before = await processed();
  const hitsBefore = withFleet.stats().hits;
  runs.fleet.push(await opsPerSecond(() => withFleet.verify(KEY), DURATION_MS));
  runs.plainCached.push(opsPerSecondSync(() => plain.verifyCached(KEY), DURATION_MS));
  runs.fleetCached.push(opsPerSecondSync(() => withFleet.verifyCached(KEY), DURATION_MS));
  fleetHits += withFleet.stats().hits - hitsBefore;
  // The INFO that read `before` is counted in the next reading: one command is the floor.
  redisCommandsDuringHits += (await processed()) - before - 1;
}
inspector.disconnect();
await Promise.all([plain.close(), withFleet.close()]);
process.send({
  verifyOpsWithout: median(runs.plain),
  verifyOpsWith: median(runs.fleet),
  cachedOpsWithout: median(runs.plainCached),
  cachedOpsWith: median(runs.fleetCached),
  fleetHits,
  redisCommandsDuringHits,
});
