import { randomBytes } from 'node:crypto';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { invalidateFleet } from '../src/index.js';
import { killPrimaryUnderTraffic } from './failover-traffic.js';
import { closeAll, startKeyService, type Instance, type KeyService } from './fleet-helpers.js';
import { fleetBehaviours } from './topology-behaviours.js';
import { startInstancesOn, startTopology, type Topology } from './topology-helpers.js';

// The fleet on a real Redis Cluster (test/support/redis-cluster.ts): three primaries with a replica each, every
// instance with its own ioredis Cluster, as separate processes would have.
const FILE = 'packages/redis/test/cluster.test.ts';
let topology: Topology | undefined;
let service: KeyService;

beforeAll(async () => {
  topology = await startTopology('cluster', FILE);
  if (topology) service = await startKeyService();
});
afterAll(async () => {
  if (!topology) return;
  await service.close();
  await topology.close();
});

/** The fleet of the last two tests: its slot's primary survives the first and is killed by the second. */
const PREFIX = `c${randomBytes(4).toString('hex')}`;
const ANCHOR = `{${PREFIX}}:seq`;

const resyncs = (instance: Instance) => instance.fleet.stats().resyncs;

describe('a fleet on Redis Cluster', () => {
  fleetBehaviours(() => ({ topology, service }), { retry: 1 });

  it("the node a bus listens on dies, not the fleet's primary: an invalidation published meanwhile still reaches that instance", async (context) => {
    const cluster = topology?.cluster;
    if (!topology || !cluster) return context.skip();
    const instances = await startInstancesOn(topology, 3, service, { prefix: PREFIX });
    // A bus listens on any node (PUBLISH reaches them all); find one on another primary than the fleet's.
    const fleetPrimary = await cluster.primaryPort(ANCHOR);
    const busNode = async () =>
      (await cluster.primaries()).find((node) => node.port !== fleetPrimary && node.subscribers > 0);
    for (let tries = 0; !(await busNode()) && tries < 30; tries++)
      instances.push(...(await startInstancesOn(topology, 1, service, { prefix: PREFIX })));
    const node = await busNode();
    expect(node).toBeDefined();
    const { key, keyId } = await service.createKey();
    for (const instance of instances) expect((await instance.verifier.verify(key)).valid).toBe(true);
    const before = instances.map(resyncs);
    // Publishes from outside the fleet (every bus may be on the node killed), connected before the kill.
    const admin = topology.target() as Cluster;
    await admin.ping();

    await cluster.killNode(node!.port);
    await vi.waitFor(() => expect(instances.some((each) => !each.fleet.stats().subscribed)).toBe(true), {
      timeout: 10_000,
      interval: 2,
    });
    // Published while those instances do not listen (they reconnect 100 ms later at the earliest): they learn it when
    // they listen again, on another node.
    const cutOff = instances.filter((each) => !each.fleet.stats().subscribed);
    const since = Date.now();
    await invalidateFleet({ keyId }, { redis: admin, prefix: PREFIX });
    await vi.waitFor(
      () => expect(instances.every((each) => each.verifier.verifyCached(key) === undefined)).toBe(true),
      { timeout: 10_000, interval: 5 },
    );
    const droppedMs = Date.now() - since;
    for (const instance of cutOff) expect(resyncs(instance)).toBeGreaterThan(before[instances.indexOf(instance)]!);
    console.log(
      `${FILE}: ${cutOff.length} of ${instances.length} buses cut off; every instance dropped the key ${droppedMs} ms after the invalidation`,
    );
    await closeAll(instances);
    await cluster.settled();
  }, 60_000);

  // Last: the cluster is two primaries' replicas short afterwards.
  it('the primary of the fleet slot killed under traffic: no request fails, and revocations reach every instance after the failover', async (context) => {
    if (!topology) return context.skip();
    await topology.cluster?.settled(); // whatever the test before left failing over
    const run = await killPrimaryUnderTraffic(topology, service, PREFIX);
    console.log(`${FILE}: startup ${topology.startupMs} ms; ${JSON.stringify(run)}`);
    expect(run.failures).toEqual([]);
    expect(run.duringFailover).toBeGreaterThan(0);
    expect(run.withoutRedis).toBeGreaterThan(0); // misses went to the key service while Redis failed over
  }, 60_000);
});
