import { countLines, freePorts, infoField, NodeSet, topologyOrSkip, until } from './redis-nodes.js';

/**
 * A real Redis Cluster for one test file: three primaries with one replica each, on free loopback ports, no
 * persistence, in a temporary directory, stopped with the file. `killPrimary` crashes the primary of a slot and waits
 * for its replica to take over, as a cluster does on its own (https://redis.io/docs/latest/operate/oss_and_stack/management/scaling/).
 */
export interface RedisClusterProcess {
  /** Every node's address, for ioredis's `new Cluster(nodes)`. */
  nodes: { host: string; port: number }[];
  /** How long start-up took (ms). */
  startupMs: number;
  /** The port of the primary serving `key`'s slot. */
  primaryPort(key: string): Promise<number>;
  /** The live primaries, each with how many pub/sub connections it holds. */
  primaries(): Promise<{ port: number; subscribers: number }[]>;
  /** SIGKILLs the primary serving `key`'s slot; resolves once a replica serves it and the cluster is ok again. */
  killPrimary(key: string): Promise<{ killedPort: number; promotedPort: number; failoverMs: number }>;
  /** SIGKILLs the node on `port`, and resolves at once: the cluster has not noticed yet. */
  killNode(port: number): Promise<void>;
  /** Resolves once every slot is served by a live primary and every live node reports `cluster_state:ok`. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * How long a node may not answer before it is taken for failed. The default (15 s) would make every failover in the
 * tests take that long; 2 s keeps a node paused on a machine loaded by the whole suite from being failed over while
 * a test counts provider calls (1 s was not always enough in CI).
 */
const NODE_TIMEOUT_MS = 2_000;
const PRIMARIES = 3;

interface ClusterNode {
  id: string;
  port: number;
  flags: string[];
  primaryId: string;
  slots: [number, number][];
}

/** `CLUSTER NODES`: one line per node, `<id> <ip:port@bus> <flags> <primary> … <slot ranges>`. */
function parseNodes(reply: string): ClusterNode[] {
  return reply
    .split(/\r?\n/)
    .filter(Boolean)
    .map((line) => {
      const [id = '', address = '', flags = '', primaryId = '', , , , , ...ranges] = line.split(' ');
      const slots = ranges
        .filter((range) => !range.startsWith('['))
        .map((range) => range.split('-').map(Number))
        .map(([from, to]) => [from!, to ?? from!] as [number, number]);
      return { id, port: Number(address.split('@')[0]!.split(':')[1]), flags: flags.split(','), primaryId, slots };
    });
}

/** The primary serving `slot` in a `CLUSTER NODES` reply, failed ones left out. */
function servingPrimary(nodes: ClusterNode[], slot: number): ClusterNode | undefined {
  return nodes.find(
    (node) =>
      node.flags.includes('master') &&
      !node.flags.includes('fail') &&
      node.slots.some(([from, to]) => slot >= from && slot <= to),
  );
}

class RunningCluster implements RedisClusterProcess {
  readonly nodes: { host: string; port: number }[];
  startupMs = 0;
  private readonly alive: Set<number>;

  constructor(
    private readonly set: NodeSet,
    ports: number[],
  ) {
    this.nodes = ports.map((port) => ({ host: '127.0.0.1', port }));
    this.alive = new Set(ports);
  }

  /** Resolves once every node still running reports `cluster_state:ok`. */
  clusterOk(what: string): Promise<void> {
    return until(what, 15_000, async () => {
      for (const port of this.alive) {
        if (infoField(await this.set.command(port, 'cluster', 'info'), 'cluster_state') !== 'ok') return false;
      }
      return true;
    });
  }

  /** Resolves once every replica has synced: one that never did cannot be elected, and no failover would happen. */
  replicasSynced(): Promise<void> {
    return until('every replica synced', 15_000, async () => {
      const replicas = (await this.clusterNodes()).filter((node) => node.flags.includes('slave'));
      if (replicas.length !== PRIMARIES) return false;
      for (const { port } of replicas) {
        const reply = await this.set.command(port, 'info', 'replication');
        if (infoField(reply, 'master_link_status') !== 'up') return false;
      }
      return true;
    });
  }

  async primaryPort(key: string): Promise<number> {
    return (await this.primaryOf(key)).primary.port;
  }

  async primaries(): Promise<{ port: number; subscribers: number }[]> {
    const primaries = (await this.clusterNodes()).filter(
      (node) => node.flags.includes('master') && this.alive.has(node.port),
    );
    return Promise.all(
      primaries.map(async ({ port }) => ({
        port,
        subscribers: countLines(await this.set.command(port, 'client', 'list', 'type', 'pubsub')),
      })),
    );
  }

  async killPrimary(key: string): Promise<{ killedPort: number; promotedPort: number; failoverMs: number }> {
    const killedPort = await this.primaryPort(key);
    const killedAt = Date.now();
    await this.killNode(killedPort);
    await this.settled();
    return { killedPort, promotedPort: await this.primaryPort(key), failoverMs: Date.now() - killedAt };
  }

  async killNode(port: number): Promise<void> {
    await this.set.kill(port);
    this.alive.delete(port);
  }

  async settled(): Promise<void> {
    await until('every slot served by a live primary', 20_000, async () => {
      const serving = (await this.clusterNodes()).filter((node) => node.slots.length > 0);
      return serving.every((node) => this.alive.has(node.port) && !node.flags.includes('fail'));
    });
    await this.clusterOk('cluster_state:ok after the failover');
  }

  stop(): Promise<void> {
    return this.set.stop();
  }

  private async clusterNodes(): Promise<ClusterNode[]> {
    const [any] = this.alive;
    return parseNodes(await this.set.command(any!, 'cluster', 'nodes'));
  }

  private async primaryOf(key: string): Promise<{ slot: number; primary: ClusterNode }> {
    const [any] = this.alive;
    const slot = Number(await this.set.command(any!, 'cluster', 'keyslot', key));
    const primary = servingPrimary(await this.clusterNodes(), slot);
    if (!primary) throw new Error(`no primary serves slot ${slot}`);
    return { slot, primary };
  }
}

async function startCluster(): Promise<RedisClusterProcess> {
  const started = Date.now();
  const set = await NodeSet.create('cluster');
  try {
    const ports = await freePorts(PRIMARIES * 2);
    await Promise.all(
      ports.map((port) =>
        set.start(port, [
          ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
          ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
          ...['--cluster-node-timeout', String(NODE_TIMEOUT_MS)],
          // A replica syncs at once instead of 5 s later (the diskless default waits for more replicas to join).
          ...['--repl-diskless-sync-delay', '0'],
        ]),
      ),
    );
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    await set.command(ports[0]!, '--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes');
    const cluster = new RunningCluster(set, ports);
    await cluster.clusterOk('cluster_state:ok on every node');
    await cluster.replicasSynced();
    cluster.startupMs = Date.now() - started;
    return cluster;
  } catch (error) {
    await set.stop();
    throw error;
  }
}

/** A cluster for a test file, or undefined (skipped with a note) where Redis cannot run; in CI that is an error. */
export function redisClusterOrSkip(fileName: string): Promise<RedisClusterProcess | undefined> {
  return topologyOrSkip(fileName, startCluster);
}
