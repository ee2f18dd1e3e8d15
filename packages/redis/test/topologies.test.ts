import { afterAll, beforeAll, describe } from 'vitest';
import { startKeyService, type KeyService } from './fleet-helpers.js';
import { fleetBehaviours } from './topology-behaviours.js';
import { startTopology, type Topology } from './topology-helpers.js';

// The behaviours cluster.test.ts and sentinel.test.ts run, on one standalone redis-server: the same table on every
// topology, so that a difference between them is the topology's.
const FILE = 'packages/redis/test/topologies.test.ts';
let topology: Topology | undefined;
let service: KeyService;

beforeAll(async () => {
  topology = await startTopology('standalone', FILE);
  if (topology) service = await startKeyService();
});
afterAll(async () => {
  if (!topology) return;
  await service.close();
  await topology.close();
});

describe('a fleet on a standalone Redis', () => {
  fleetBehaviours(() => ({ topology, service }));
});
