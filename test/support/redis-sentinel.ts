import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { countLines, freePorts, infoField, NodeSet, topologyOrSkip, until } from './redis-nodes.js';

/**
 * A real Sentinel set for one test file: a primary, two replicas and three sentinels (quorum 2) on free loopback
 * ports, no persistence, in a temporary directory, stopped with the file. `killPrimary` crashes the current primary
 * and waits for the sentinels to promote a replica (https://redis.io/docs/latest/operate/oss_and_stack/management/sentinel/).
 */
export interface RedisSentinelProcess {
  /** The name the sentinels monitor the primary under, for ioredis's `{ sentinels, name }`. */
  name: string;
  sentinels: { host: string; port: number }[];
  /** How long start-up took (ms). */
  startupMs: number;
  /** How many pub/sub connections the current primary holds (the ones `killPrimary()` cuts). */
  subscribersOnPrimary(): Promise<number>;
  /** SIGKILLs the current primary; resolves once every sentinel names the promoted replica and it answers as primary. */
  killPrimary(): Promise<{ killedPort: number; promotedPort: number; failoverMs: number }>;
  stop(): Promise<void>;
}

const NAME = 'mymaster';
/**
 * How long the primary may not answer before a sentinel takes it for down: short, so a failover takes ~3 s, and not
 * so short that a primary paused on a machine loaded by the whole suite is failed over while a test counts calls.
 */
const DOWN_AFTER_MS = 2_000;
const FAILOVER_TIMEOUT_MS = 3_000;

function sentinelConfig(port: number, primaryPort: number): string {
  return [
    `port ${port}`,
    'bind 127.0.0.1',
    `sentinel monitor ${NAME} 127.0.0.1 ${primaryPort} 2`,
    `sentinel down-after-milliseconds ${NAME} ${DOWN_AFTER_MS}`,
    `sentinel failover-timeout ${NAME} ${FAILOVER_TIMEOUT_MS}`,
    `sentinel parallel-syncs ${NAME} 2`,
    '',
  ].join('\n');
}

async function startSentinelSet(): Promise<RedisSentinelProcess> {
  const started = Date.now();
  const set = await NodeSet.create('sentinel');
  try {
    const [primary, ...rest] = await freePorts(6);
    const replicas = rest.slice(0, 2);
    const sentinels = rest.slice(2);
    const node = (port: number) => [
      ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      ...['--repl-diskless-sync-delay', '0'],
    ];
    await set.start(primary!, node(primary!));
    await Promise.all(
      replicas.map((port) => set.start(port, [...node(port), '--replicaof', '127.0.0.1', String(primary)])),
    );
    // Sentinels learn the replicas from the primary's INFO: started after the replicas are in sync, they know them
    // from their first look instead of ten seconds later.
    await until('the replicas to sync', 10_000, async () => {
      for (const port of replicas) {
        if (infoField(await set.command(port, 'info', 'replication'), 'master_link_status') !== 'up') return false;
      }
      return true;
    });
    await Promise.all(
      sentinels.map(async (port) => {
        const file = join(set.dir, `sentinel-${port}.conf`);
        await writeFile(file, sentinelConfig(port, primary!));
        await set.start(port, [file, '--sentinel'], 'Sentinel ID is');
      }),
    );
    // A failover needs a majority of sentinels that know each other (they meet on the primary every 2 s).
    await until('the sentinels to agree', 15_000, async () => {
      for (const port of sentinels) {
        const master = (await set.command(port, 'sentinel', 'master', NAME)).split('\n');
        const field = (name: string) => master[master.indexOf(name) + 1];
        if (field('num-other-sentinels') !== '2' || field('num-slaves') !== '2') return false;
      }
      return true;
    });
    const currentPrimary = async (port: number) =>
      Number((await set.command(port, 'sentinel', 'get-master-addr-by-name', NAME)).split('\n')[1]);
    return {
      name: NAME,
      sentinels: sentinels.map((port) => ({ host: '127.0.0.1', port })),
      startupMs: Date.now() - started,
      subscribersOnPrimary: async () => {
        const reply = await set.command(await currentPrimary(sentinels[0]!), 'client', 'list', 'type', 'pubsub');
        // The sentinels' own (they meet on the primary's hello channel) are not counted.
        return countLines(reply.replace(/^.*name=sentinel-.*$/gm, ''));
      },
      async killPrimary() {
        const killedPort = await currentPrimary(sentinels[0]!);
        const killedAt = Date.now();
        await set.kill(killedPort);
        let promotedPort = 0;
        await until('the sentinels to promote a replica', 20_000, async () => {
          const named = await Promise.all(sentinels.map(currentPrimary));
          promotedPort = named[0]!;
          if (promotedPort === killedPort || named.some((port) => port !== promotedPort)) return false;
          return (await set.command(promotedPort, 'role')).startsWith('master');
        });
        return { killedPort, promotedPort, failoverMs: Date.now() - killedAt };
      },
      stop: () => set.stop(),
    };
  } catch (error) {
    await set.stop();
    throw error;
  }
}

/** A Sentinel set for a test file, or undefined (skipped with a note) where Redis cannot run; in CI an error. */
export function redisSentinelOrSkip(fileName: string): Promise<RedisSentinelProcess | undefined> {
  return topologyOrSkip(fileName, startSentinelSet);
}
