import { createServer, type AddressInfo, type Server } from 'node:net';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { closeConnection, openConnections, type Connections } from '../src/connection/clients.js';
import { until } from './fleet-helpers.js';

// The fleet's connections (src/connection/clients.ts) against a real redis-server: which ones it makes from what the
// app gives, how they behave while Redis is away, and how they are closed.
const redis = await redisOrSkip('packages/redis/test/clients-edges.test.ts');
let inspector: Redis;

beforeAll(() => {
  if (!redis) return;
  inspector = new Redis(redis.url);
});
afterAll(async () => {
  if (!redis) return;
  inspector.disconnect();
  await redis.stop();
});

const ready = (client: { status: string }) => until(() => client.status === 'ready', 'the connection ready');
const ended = (client: { status: string }) => until(() => client.status === 'end', 'the connection ended');

function closeAll({ command, subscriber }: Connections): void {
  subscriber.disconnect();
  command.disconnect();
}

/** A TCP port that accepts connections and never answers (a Redis that hangs before its first reply). */
async function silentPort(): Promise<{ server: Server; port: number }> {
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe.skipIf(!redis)('the connections a fleet opens', () => {
  it('from a URL: its own command connection and a subscriber beside it, both on that Redis', async () => {
    const connections = openConnections(redis!.url, 100);
    const { command, subscriber } = connections;
    expect(connections.ownsCommand).toBe(true);
    expect(command).not.toBe(subscriber);
    await Promise.all([ready(command), ready(subscriber)]);
    expect(await command.ping()).toBe('PONG');
    await subscriber.subscribe('clients-edges');
    expect(await inspector.pubsub('NUMSUB', 'clients-edges')).toEqual(['clients-edges', 1]);
    closeAll(connections);
  });

  it("from options: the app's options win over the fleet's", async () => {
    const connections = openConnections({ host: '127.0.0.1', port: redis!.port, commandTimeout: 4_321 }, 100);
    expect(connections.ownsCommand).toBe(true);
    await ready(connections.command);
    expect(await connections.command.ping()).toBe('PONG');
    expect((connections.command as Redis).options.commandTimeout).toBe(4_321);
    closeAll(connections);
  });

  it("a client the app passed in is used as it is, and stays the app's", async () => {
    const client = new Redis(redis!.url);
    const connections = openConnections(client, 100);
    expect(connections.command).toBe(client);
    expect(connections.ownsCommand).toBe(false);
    expect(connections.subscriber).not.toBe(client);
    expect(await connections.subscriber.ping()).toBe('PONG');
    closeAll(connections);
  });

  it('a Cluster the app passed in gets a plain subscriber connection, made once the cluster is ready', () => {
    const cluster = new Cluster([{ host: '127.0.0.1', port: redis!.port }], { lazyConnect: true });
    const connections = openConnections(cluster, 100);
    expect(connections.command).toBe(cluster);
    expect(connections.ownsCommand).toBe(false);
    expect(connections.subscriber).toBeInstanceOf(Redis);
    expect(connections.subscriber.status).toBe('wait');
    connections.subscriber.disconnect();
    cluster.disconnect();
  });

  it('a command connection fails its commands at once while Redis cannot be reached (nothing queued, no retry)', async () => {
    const { server, port } = await silentPort();
    server.close();
    const connections = openConnections({ host: '127.0.0.1', port }, 100);
    // As the fleet does: connection errors are expected while Redis is away.
    for (const client of [connections.command, connections.subscriber]) client.on('error', () => {});
    const failed = await connections.command.ping().then(
      () => 'answered',
      (error: Error) => error.message,
    );
    expect(failed).toMatch(/enableOfflineQueue options is false/);
    closeAll(connections);
  });

  it('bounds commands and connecting at ten times the fleet timeout, never under a second', () => {
    for (const [timeoutMs, bound] of [
      [50, 1_000],
      [300, 3_000],
    ] as const) {
      const connections = openConnections({ host: '127.0.0.1', port: redis!.port, lazyConnect: true }, timeoutMs);
      const options = (connections.command as Redis).options;
      expect(options.commandTimeout).toBe(bound);
      expect(options.connectTimeout).toBe(bound);
      expect(options.maxRetriesPerRequest).toBe(0);
      expect(options.enableOfflineQueue).toBe(false);
      closeAll(connections);
    }
  });

  it('both connections reconnect forever, quickly at first, then every 2 s at most', () => {
    const connections = openConnections({ host: '127.0.0.1', port: redis!.port, lazyConnect: true }, 100);
    for (const client of [connections.command, connections.subscriber] as Redis[]) {
      const retry = client.options.retryStrategy!;
      expect([1, 2, 3, 5, 6, 100].map((attempt) => retry(attempt))).toEqual([100, 200, 400, 1_600, 2_000, 2_000]);
    }
    closeAll(connections);
  });

  it('the subscriber does not resubscribe on its own after a reconnect (the bus does it, and resyncs)', async () => {
    const connections = openConnections(redis!.url, 100);
    const subscriber = connections.subscriber as Redis;
    await ready(subscriber);
    expect(subscriber.options.autoResubscribe).toBe(false);
    await subscriber.subscribe('clients-resubscribe');
    const back = new Promise((resolve) => subscriber.once('ready', resolve));
    subscriber.disconnect(true);
    await back;
    expect(await inspector.pubsub('NUMSUB', 'clients-resubscribe')).toEqual(['clients-resubscribe', 0]);
    closeAll(connections);
  });
});

describe.skipIf(!redis)('closing a connection', () => {
  it('a ready connection is closed politely: a command sent just before is answered', async () => {
    const client = new Redis(redis!.url);
    await client.ping();
    const answer = client.set('clients-edges:polite', 'yes');
    await closeConnection(client, 5_000);
    expect(await answer).toBe('OK');
    await ended(client);
    expect(await inspector.get('clients-edges:polite')).toBe('yes');
  });

  it('a connection that does not answer is closed after the timeout all the same', async () => {
    const client = new Redis(redis!.url, { retryStrategy: () => null });
    client.on('error', () => {});
    await client.ping();
    // Frozen: the connection stays open and QUIT is never answered.
    redis!.freeze();
    try {
      await closeConnection(client, 100);
      await ended(client);
    } finally {
      redis!.thaw();
    }
  });

  it('a connection still connecting is dropped at once, and does not connect afterwards', async () => {
    const client = new Redis(redis!.url, { lazyConnect: true, connectionName: 'clients-edges-lazy' });
    await closeConnection(client, 5_000);
    await ended(client);
    expect(await inspector.client('LIST')).not.toContain('name=clients-edges-lazy');
    // Connected to a port that never answers: the connection never gets ready, and QUIT would wait forever.
    const { server, port } = await silentPort();
    const connecting = new Redis({ host: '127.0.0.1', port, retryStrategy: () => 10 });
    connecting.on('error', () => {});
    await until(() => connecting.status === 'connect' || connecting.status === 'connecting', 'connecting');
    await closeConnection(connecting, 60_000);
    await ended(connecting);
    server.close();
  });

  it('a closed connection is left as it is', async () => {
    const client = new Redis(redis!.url);
    await client.ping();
    await closeConnection(client, 5_000);
    await ended(client);
    await closeConnection(client, 5_000);
    expect(client.status).toBe('end');
  });

  it('a connection still connecting is dropped at once even with commands queued, which fail', async () => {
    const { server, port } = await silentPort();
    const connecting = new Redis({ host: '127.0.0.1', port, retryStrategy: () => 10 });
    connecting.on('error', () => {});
    const queued = connecting.get('clients-edges:queued').then(
      () => 'answered',
      (error: Error) => error.message,
    );
    // With a command queued, a QUIT would wait behind it for a connection that never gets ready: 60 s here.
    await closeConnection(connecting, 60_000);
    await ended(connecting);
    expect(await queued).toMatch(/Connection is closed/);
    server.close();
  });
});
