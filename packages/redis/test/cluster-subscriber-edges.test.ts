import { Cluster, type Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisClusterOrSkip, type RedisClusterProcess } from '../../../test/support/redis-cluster.js';
import { clusterSubscriber } from '../src/connection/cluster-subscriber.js';
import { until } from './fleet-helpers.js';

// The bus's subscriber on a Redis Cluster (src/connection/cluster-subscriber.ts), on a real cluster (three primaries
// with a replica each): which node it connects to and when, where it goes on each reconnect, and what it leaves on the
// app's cluster client.
describe('the subscriber connection on Redis Cluster', () => {
  let redis: RedisClusterProcess | undefined;
  let cluster: Cluster;
  const opened: (Redis | Cluster)[] = [];
  const ports = () => new Set(redis!.nodes.map((node) => node.port));

  // Set up inside the describe: a failing hook fails these tests instead of skipping them.
  beforeAll(async () => {
    redis = await redisClusterOrSkip('packages/redis/test/cluster-subscriber-edges.test.ts');
    if (!redis) return;
    cluster = new Cluster(redis.nodes);
    await cluster.ping();
  }, 60_000);
  afterAll(async () => {
    for (const client of opened) client.disconnect();
    if (!redis) return;
    cluster.disconnect();
    await redis.stop();
  });

  function subscriberOf(app: Cluster, options: RedisOptions = {}): Redis {
    const subscriber = clusterSubscriber(app, options);
    subscriber.on('error', () => {});
    opened.push(subscriber);
    return subscriber;
  }

  const ready = (client: Redis) =>
    client.status === 'ready' ? Promise.resolve() : new Promise((resolve) => client.once('ready', resolve));

  it('on a ready cluster: connects at once to one of its nodes, as a plain connection, and hears what is published', async (context) => {
    if (!redis) return context.skip();
    const subscriber = subscriberOf(cluster, { retryStrategy: () => 20 });
    await ready(subscriber);
    expect(subscriber.isCluster).toBe(false);
    expect(ports()).toContain(subscriber.options.port);
    const heard: string[] = [];
    subscriber.on('message', (_channel: string, text: string) => heard.push(text));
    await subscriber.subscribe('cluster-subscriber-edges');
    await cluster.publish('cluster-subscriber-edges', 'hello');
    await until(() => heard.length > 0, 'the message');
    expect(heard).toEqual(['hello']);
  });

  it('moves to the next node the cluster knows each time it reconnects', async (context) => {
    if (!redis) return context.skip();
    const subscriber = subscriberOf(cluster, { retryStrategy: () => 10 });
    await ready(subscriber);
    const visited = [subscriber.options.port];
    for (let reconnect = 0; reconnect < 5; reconnect++) {
      const back = new Promise((resolve) => subscriber.once('ready', resolve));
      subscriber.disconnect(true);
      await back;
      visited.push(subscriber.options.port);
    }
    for (const port of visited) expect(ports()).toContain(port);
    for (let index = 1; index < visited.length; index++) expect(visited[index]).not.toBe(visited[index - 1]);
  });

  it('reconnects when and as often as the retryStrategy given says, every 50 ms without one', async (context) => {
    if (!redis) return context.skip();
    const stops = subscriberOf(cluster, { retryStrategy: () => null });
    await ready(stops);
    stops.disconnect(true);
    await until(() => stops.status === 'end', 'the connection given up');

    const plain = subscriberOf(cluster);
    await ready(plain);
    const back = new Promise((resolve) => plain.once('ready', resolve));
    plain.disconnect(true);
    await back;
    expect(plain.status).toBe('ready');
  });

  it("takes the cluster's connection options, the ones given first", async (context) => {
    if (!redis) return context.skip();
    const app = new Cluster(redis.nodes, { redisOptions: { connectionName: 'app-name', autoResubscribe: true } });
    opened.push(app);
    await app.ping();
    const subscriber = subscriberOf(app, { autoResubscribe: false });
    await ready(subscriber);
    expect(subscriber.options.connectionName).toBe('app-name');
    expect(subscriber.options.autoResubscribe).toBe(false);
    expect(await subscriber.client('GETNAME')).toBe('app-name');
  });

  it('on a cluster not ready yet: waits for it, then connects', async (context) => {
    if (!redis) return context.skip();
    const app = new Cluster(redis.nodes, { lazyConnect: true });
    opened.push(app);
    const subscriber = subscriberOf(app);
    expect(subscriber.status).toBe('wait');
    await app.connect();
    await ready(subscriber);
    expect(ports()).toContain(subscriber.options.port);
  });

  it("closed before the cluster is ready: stays closed, and leaves no listener on the app's cluster", async (context) => {
    if (!redis) return context.skip();
    const app = new Cluster(redis.nodes, { lazyConnect: true });
    opened.push(app);
    const before = app.listenerCount('ready');
    const subscriber = subscriberOf(app);
    subscriber.disconnect();
    await until(() => subscriber.status === 'end', 'the subscriber closed');
    await until(() => app.listenerCount('ready') === before, "the subscriber's listener taken off the cluster");
    await app.connect();
    await app.ping();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(subscriber.status).toBe('end');
  });

  it('once the app closed its cluster, reconnects to the node it was on', async (context) => {
    if (!redis) return context.skip();
    const app = new Cluster(redis.nodes);
    opened.push(app);
    await app.ping();
    const subscriber = subscriberOf(app, { retryStrategy: () => 10 });
    await ready(subscriber);
    const port = subscriber.options.port;
    app.disconnect();
    await until(() => app.nodes('all').length === 0, 'the cluster closed');
    const back = new Promise((resolve) => subscriber.once('ready', resolve));
    subscriber.disconnect(true);
    await back;
    expect(subscriber.options.port).toBe(port);
  });

  it('subscribers of one cluster start on nodes drawn at random, not all on the first', async (context) => {
    if (!redis) return context.skip();
    const subscribers = Array.from({ length: 8 }, () => subscriberOf(cluster, { retryStrategy: () => 20 }));
    await Promise.all(subscribers.map(ready));
    const starts = new Set(subscribers.map((subscriber) => subscriber.options.port));
    // Eight draws over six nodes all landing on one: a chance of about 4 in a million.
    expect(starts.size).toBeGreaterThan(1);
  });
});
