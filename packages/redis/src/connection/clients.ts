import { Redis, type Cluster, type RedisOptions } from 'ioredis';
import type { RedisTarget } from '../options.js';
import type { RedisClient } from '../keys/scripts.js';
import { clusterSubscriber } from './cluster-subscriber.js';

/** The fleet's two connections: commands, and the subscriber of the bus (a subscribed connection runs nothing else). */
export interface Connections {
  command: RedisClient;
  subscriber: RedisClient;
  /** True when the fleet made the command connection from a URL or options, and so closes it. */
  ownsCommand: boolean;
}

/** Reconnect forever, quickly at first and then every 2 s at most: Redis coming back must be noticed soon. */
const retryStrategy = (attempt: number) => Math.min(50 * 2 ** attempt, 2_000);

function isClient(target: RedisTarget): target is Redis | Cluster {
  return (
    typeof target === 'object' &&
    typeof (target as Partial<Redis>).duplicate === 'function' &&
    typeof (target as Partial<Redis>).status === 'string'
  );
}

function isCluster(client: RedisClient): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}

/**
 * A command connection that never makes a request wait for Redis: while disconnected a command fails at once (no
 * offline queue, no replay after a reconnect). The fleet bounds each command itself (`timeoutMs`); ioredis's own
 * timeout is only a backstop that clears commands Redis never answers.
 */
function commandOptions(timeoutMs: number): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: Math.max(1_000, timeoutMs * 10),
    connectTimeout: Math.max(1_000, timeoutMs * 10),
    retryStrategy,
  };
}

/** The subscriber resubscribes itself on `ready` (the bus must learn what it may have missed in between). */
const SUBSCRIBER_OPTIONS: RedisOptions = { autoResubscribe: false, retryStrategy, maxRetriesPerRequest: 0 };

export function openConnections(target: RedisTarget, timeoutMs: number): Connections {
  if (isClient(target)) {
    const subscriber = isCluster(target)
      ? clusterSubscriber(target, SUBSCRIBER_OPTIONS)
      : target.duplicate(SUBSCRIBER_OPTIONS);
    return { command: target, subscriber, ownsCommand: false };
  }
  const options = commandOptions(timeoutMs);
  const command = typeof target === 'string' ? new Redis(target, options) : new Redis({ ...options, ...target });
  return { command, subscriber: command.duplicate(SUBSCRIBER_OPTIONS), ownsCommand: true };
}

/** Closes a connection: politely when it answers, at once when it does not. */
export async function closeConnection(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.quit().catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
  ]);
  clearTimeout(timer);
  client.disconnect();
}
