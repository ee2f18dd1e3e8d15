// The cached path with the Redis fleet on: verify() and verifyCached() on a memory hit, next to a verifier without a
// fleet, interleaved; and Redis's own count of commands processed while the fleet verifier answered hits (an answer
// from memory must not touch Redis).
import { Redis } from 'ioredis';
import { createVerifier } from '@keyguard/core';
import { redisFleet } from '@keyguard/redis';
import { unkey } from '@keyguard/unkey';

const { PROVIDER_URL, ROOT_KEY, KEY, REDIS_URL, FLEET_SECRET, FLEET_PREFIX } = process.env;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function opsPerSecond(run, durationMs = 300) {
  let operations = 0;
  const started = performance.now();
  while (performance.now() - started < durationMs) {
    for (let index = 0; index < 1000; index++) run();
    operations += 1000;
  }
  return operations / ((performance.now() - started) / 1000);
}

async function asyncOpsPerSecond(run, durationMs = 300) {
  let operations = 0;
  const started = performance.now();
  while (performance.now() - started < durationMs) {
    for (let index = 0; index < 1000; index++) await run();
    operations += 1000;
  }
  return operations / ((performance.now() - started) / 1000);
}

const provider = () => unkey({ rootKey: ROOT_KEY, baseUrl: PROVIDER_URL });
const fleet = redisFleet({ redis: REDIS_URL, secret: FLEET_SECRET, prefix: FLEET_PREFIX });
await fleet.ready();
const plain = createVerifier({ provider: provider(), cache: { freshMs: 600_000 } });
const withFleet = createVerifier({ provider: provider(), fleet, cache: { freshMs: 600_000 } });
for (const verifier of [plain, withFleet]) if (!(await verifier.verify(KEY)).valid) throw new Error('the benchmark key did not verify');

const inspector = new Redis(REDIS_URL);
const processed = async () => Number(/total_commands_processed:(\d+)/.exec(await inspector.info('stats'))[1]);
const runs = { plain: [], fleet: [], plainCached: [], fleetCached: [] };
let redisCommandsDuringHits = 0;
let fleetHits = 0;
for (let round = 0; round < 7; round++) {
  runs.plain.push(await asyncOpsPerSecond(() => plain.verify(KEY)));
  const before = await processed();
  const hitsBefore = withFleet.stats().hits;
  runs.fleet.push(await asyncOpsPerSecond(() => withFleet.verify(KEY)));
  runs.plainCached.push(opsPerSecond(() => plain.verifyCached(KEY)));
  runs.fleetCached.push(opsPerSecond(() => withFleet.verifyCached(KEY)));
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
