import { randomBytes } from 'node:crypto';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { redisClusterOrSkip, type RedisClusterProcess } from '../../../test/support/redis-cluster.js';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { redisSentinelOrSkip } from '../../../test/support/redis-sentinel.js';
import { startInstance, type Instance, type InstanceOptions, type KeyService } from './fleet-helpers.js';

export type TopologyName = 'standalone' | 'cluster' | 'sentinel';

/** One way of running Redis, as the fleet's instances reach it. */
export interface Topology {
  name: TopologyName;
  /** How long it took to start (ms). */
  startupMs: number;
  /**
   * What one instance passes as `redisFleet({ redis })`: its own connection, as a separate process would have. A
   * client made here stays the caller's (the fleet never closes a client it was given): `close()` closes them all.
   */
  target(): string | Redis | Cluster;
  /** Options from which the fleet opens connections of its own (`redisFleet({ redis: options })`), where there are. */
  options?(): RedisOptions;
  /** How many pub/sub connections (the instances' buses) the primary holding the fleet's keys has. */
  subscribersOnPrimary(anchor: string): Promise<number>;
  /** SIGKILLs the primary holding the fleet's keys (`anchor` names one) and waits for the failover to finish. */
  killPrimary(anchor: string): Promise<{ killedPort: number; promotedPort: number; failoverMs: number }>;
  /** The cluster's processes, on a cluster only. */
  cluster?: RedisClusterProcess;
  /** Closes the clients made by `target()`, then stops the servers. */
  close(): Promise<void>;
}

function tracked(stop: () => Promise<void>) {
  const clients: (Redis | Cluster)[] = [];
  return {
    add<T extends Redis | Cluster>(client: T): T {
      // The fleet reports Redis errors its own way; the app's client only needs a listener so none is unhandled.
      client.on('error', () => {});
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.disconnect();
      await stop();
    },
  };
}

async function standalone(file: string): Promise<Topology | undefined> {
  const started = Date.now();
  const redis = await redisOrSkip(file);
  if (!redis) return undefined;
  return {
    name: 'standalone',
    startupMs: Date.now() - started,
    target: () => redis.url,
    subscribersOnPrimary: () => Promise.reject(new Error('not counted on a standalone Redis')),
    killPrimary: () => Promise.reject(new Error('a standalone Redis has no replica to fail over to')),
    close: () => redis.stop(),
  };
}

async function cluster(file: string): Promise<Topology | undefined> {
  const redis = await redisClusterOrSkip(file);
  if (!redis) return undefined;
  const clients = tracked(() => redis.stop());
  return {
    name: 'cluster',
    cluster: redis,
    startupMs: redis.startupMs,
    target: () => clients.add(new Cluster(redis.nodes)),
    subscribersOnPrimary: async (anchor) => {
      const port = await redis.primaryPort(anchor);
      return (await redis.primaries()).find((primary) => primary.port === port)?.subscribers ?? 0;
    },
    killPrimary: (anchor) => redis.killPrimary(anchor),
    close: () => clients.close(),
  };
}

async function sentinel(file: string): Promise<Topology | undefined> {
  const redis = await redisSentinelOrSkip(file);
  if (!redis) return undefined;
  const clients = tracked(() => redis.stop());
  return {
    name: 'sentinel',
    startupMs: redis.startupMs,
    target: () => clients.add(new Redis({ sentinels: redis.sentinels, name: redis.name })),
    options: () => ({ sentinels: redis.sentinels, name: redis.name }),
    subscribersOnPrimary: () => redis.subscribersOnPrimary(),
    killPrimary: () => redis.killPrimary(),
    close: () => clients.close(),
  };
}

/** Starts a topology for a test file, or undefined (skipped with a note) where Redis cannot run; in CI an error. */
export function startTopology(name: TopologyName, file: string): Promise<Topology | undefined> {
  return { standalone, cluster, sentinel }[name](file);
}

/** `count` instances of one fleet on a topology, each with its own connection, their buses listening. */
export async function startInstancesOn(
  topology: Topology,
  count: number,
  service: KeyService,
  options: InstanceOptions = {},
): Promise<Instance[]> {
  const prefix = options.prefix ?? `t${randomBytes(4).toString('hex')}`;
  const instances = Array.from({ length: count }, () => {
    const redis = options.fleet?.redis ?? topology.target();
    // startInstance takes a URL; `fleet.redis` (a client or options here) takes its place.
    return startInstance(service, typeof redis === 'string' ? redis : '', prefix, {
      ...options,
      fleet: { ...options.fleet, redis },
    });
  });
  for (const instance of instances) startedInstances.add(instance);
  await Promise.all(instances.map((instance) => instance.fleet.ready()));
  return instances;
}

/** Every instance `startInstancesOn` started since the last `forgetStartedInstances()`. */
const startedInstances = new Set<Instance>();

/** Forgets the instances started so far, closing them first when `close` (a behaviour that failed half way). */
export async function forgetStartedInstances(close: boolean): Promise<void> {
  const instances = [...startedInstances];
  startedInstances.clear();
  if (close) await Promise.allSettled(instances.map((instance) => instance.verifier.close()));
}
