import { Redis, type Cluster, type RedisOptions } from 'ioredis';

/**
 * The bus's subscriber on a Redis Cluster: a plain connection to one node of the cluster, which moves to the next node
 * the cluster knows each time it reconnects. Classic `PUBLISH` reaches every node of a cluster, so any node will do.
 *
 * Not ioredis's own cluster subscriber (`cluster.duplicate()` subscribing): when its node fails it moves to another
 * one and resubscribes silently, emitting neither `close` nor `ready`, so the bus could not learn that it stopped
 * listening for a while — an invalidation published in that gap was missed and the instance kept serving the key.
 * This connection emits both, like a standalone one: on each `ready` the bus compares the bus's number with the last
 * it saw and drops memory if anything was published meanwhile.
 */
export function clusterSubscriber(cluster: Cluster, options: RedisOptions): Redis {
  const retryStrategy = options.retryStrategy;
  let turn = Math.floor(Math.random() * 1_024);
  const subscriber = new Redis({
    ...cluster.options.redisOptions,
    ...options,
    lazyConnect: true,
    retryStrategy: (attempt) => {
      aim();
      return retryStrategy ? retryStrategy(attempt) : 50;
    },
  });
  // The next node the cluster knows (host and port as it reaches them, NAT mapping included), for the next connect.
  const aim = (): boolean => {
    const nodes = cluster.nodes('all');
    if (nodes.length === 0) return false;
    const { host, port } = nodes[turn++ % nodes.length]!.options;
    subscriber.options.host = host;
    subscriber.options.port = port;
    return true;
  };
  const connect = () => {
    // Closed before the cluster was ready: stays closed.
    if (subscriber.status !== 'wait' || !aim()) return;
    subscriber.connect().catch(() => {
      // A failed first connect is retried by retryStrategy, on the next node.
    });
  };
  if (cluster.status === 'ready') connect();
  else {
    cluster.once('ready', connect);
    // The cluster is the app's and outlives the fleet: it must not keep this listener.
    subscriber.once('end', () => cluster.off('ready', connect));
  }
  return subscriber;
}
