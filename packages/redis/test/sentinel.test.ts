import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killPrimaryUnderTraffic } from './failover-traffic.js';
import { startKeyService, type KeyService } from './fleet-helpers.js';
import { fleetBehaviours } from './topology-behaviours.js';
import { startTopology, type Topology } from './topology-helpers.js';

// The fleet on a real Sentinel set (test/support/redis-sentinel.ts): a primary, two replicas, three sentinels, every
// instance with its own ioredis client created with `sentinels` and `name`, as separate processes would have.
const FILE = 'packages/redis/test/sentinel.test.ts';
let topology: Topology | undefined;
let service: KeyService;

beforeAll(async () => {
  topology = await startTopology('sentinel', FILE);
  if (topology) service = await startKeyService();
});
afterAll(async () => {
  if (!topology) return;
  await service.close();
  await topology.close();
});

describe('a fleet on Redis Sentinel', () => {
  fleetBehaviours(() => ({ topology, service }), { retry: 1 });

  // Last: the set is one replica short afterwards.
  it('the primary killed under traffic: no request fails, and revocations reach every instance after the failover', async (context) => {
    if (!topology) return context.skip();
    const run = await killPrimaryUnderTraffic(topology, service);
    console.log(`${FILE}: startup ${topology.startupMs} ms; ${JSON.stringify(run)}`);
    expect(run.failures).toEqual([]);
    expect(run.duringFailover).toBeGreaterThan(0);
    expect(run.withoutRedis).toBeGreaterThan(0); // misses went to the key service while Redis failed over
  }, 60_000);
});
