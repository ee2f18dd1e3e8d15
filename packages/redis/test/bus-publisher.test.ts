import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { parseMessage } from '../src/bus/message.js';
import { BusPublisher } from '../src/bus/publisher.js';
import { Availability } from '../src/connection/availability.js';
import { RedisLink } from '../src/connection/link.js';
import { EntryCodec } from '../src/keys/entry.js';
import { layoutFor } from '../src/keys/layout.js';
import { invalidateFleet } from '../src/index.js';
import { until } from './fleet-helpers.js';

// The publishing side of the bus on its own (src/bus/publisher.ts) and invalidateFleet (src/invalidate.ts), on a real
// redis-server: what goes on the channel, and what waits while Redis cannot be reached.
const redis = await redisOrSkip('packages/redis/test/bus-publisher.test.ts');
const SECRET = 'bus-publisher-test-secret-0123456789abcdef';
let listener: Redis;
let inspector: Redis;
let prefixes = 0;

beforeAll(() => {
  if (!redis) return;
  listener = new Redis(redis.url);
  inspector = new Redis(redis.url);
});
afterAll(async () => {
  if (!redis) return;
  listener.disconnect();
  inspector.disconnect();
  await redis.stop();
});

/** A publisher whose command connection is not connected yet (`connect()` brings Redis back), and what is published. */
async function publisherFor(retryMs = 60_000) {
  const prefix = `bus-pub-${(prefixes += 1)}`;
  const layout = layoutFor(prefix);
  const client = new Redis(redis!.url, { lazyConnect: true });
  const link = new RedisLink(client, new Availability(client, 10, { warn() {}, error() {} }, prefix), 2_000);
  const publisher = new BusPublisher(link, new EntryCodec(SECRET), layout, 'origin-1', retryMs);
  const lines: string[] = [];
  const subscriber = listener.duplicate();
  await subscriber.subscribe(layout.channel);
  subscriber.on('message', (_channel: string, text: string) => lines.push(text));
  const close = () => {
    client.disconnect();
    subscriber.disconnect();
  };
  return { prefix, layout, client, publisher, lines, close };
}

describe.skipIf(!redis)('BusPublisher', () => {
  it('keeps invalidations while Redis is away, in order, and sends them once it is back', async () => {
    const bus = await publisherFor();
    bus.publisher.send({ keyId: 'key_1' });
    bus.publisher.send({ digest: 'digest-1' });
    bus.publisher.send({ all: true });
    await bus.publisher.flush();
    expect([bus.publisher.unsent, bus.publisher.published]).toEqual([3, 0]);
    await bus.client.connect();
    await bus.publisher.flush();
    expect([bus.publisher.unsent, bus.publisher.published]).toEqual([0, 3]);
    await until(() => bus.lines.length === 3, 'three messages');
    const messages = bus.lines.map((line) => parseMessage(line)!);
    expect(messages.map((message) => message.seq)).toEqual([1, 2, 3]);
    expect(messages.map((message) => message.origin)).toEqual(['origin-1', 'origin-1', 'origin-1']);
    // The bus carries the digest (every instance keys it itself); Redis's notes are under its keyed name.
    expect(messages.map((message) => message.invalidation)).toEqual([
      { keyId: 'key_1' },
      { digest: 'digest-1' },
      { all: true },
    ]);
    const name = new EntryCodec(SECRET).name('digest-1');
    expect(Number(await inspector.get(`${bus.layout.root}t:d:${name}`))).toBe(messages[1]!.redisAt);
    expect(Number(await inspector.get(`${bus.layout.root}t:k:key_1`))).toBe(messages[0]!.redisAt);
    expect(Number(await inspector.get(`${bus.layout.root}t:all`))).toBe(messages[2]!.redisAt);
    expect(await inspector.get(`${bus.layout.root}seq`)).toBe('3');
    bus.close();
  });

  it('past 1 000 unsent, they are replaced by one "drop everything"', async () => {
    const bus = await publisherFor();
    for (let index = 0; index < 1_000; index++) bus.publisher.send({ keyId: `key_${index}` });
    await bus.publisher.flush();
    expect(bus.publisher.unsent).toBe(1_000);
    bus.publisher.send({ keyId: 'one-too-many' });
    expect(bus.publisher.unsent).toBe(1);
    await bus.client.connect();
    await bus.publisher.flush();
    await until(() => bus.lines.length === 1, 'one message');
    expect(parseMessage(bus.lines[0]!)?.invalidation).toEqual({ all: true });
    bus.close();
  });

  it('tries again on its own after retryMs when no reconnect tells it to', async () => {
    const bus = await publisherFor(100);
    bus.publisher.send({ keyId: 'key_late' });
    await bus.publisher.flush();
    expect(bus.publisher.unsent).toBe(1);
    await bus.client.connect();
    await until(() => bus.publisher.published === 1, 'the retry');
    expect(bus.publisher.unsent).toBe(0);
    bus.close();
  });
});

describe.skipIf(!redis)('invalidateFleet', () => {
  it('drops a key id’s entry, notes its time and publishes it, answering the number; with a client or a URL', async () => {
    const prefix = `bus-pub-${(prefixes += 1)}`;
    const root = `{${prefix}}:`;
    await inspector.set(`${root}k:key_x`, 'name-x');
    await inspector.set(`${root}v:0:name-x`, 'entry');
    const lines: string[] = [];
    const subscriber = listener.duplicate();
    await subscriber.subscribe(`${prefix}:invalidations`);
    subscriber.on('message', (_channel: string, text: string) => lines.push(text));
    expect(await invalidateFleet({ keyId: 'key_x' }, { redis: redis!.url, prefix })).toBe(1);
    expect(await inspector.get(`${root}v:0:name-x`)).toBeNull();
    expect(Number(await inspector.get(`${root}t:k:key_x`))).toBeGreaterThan(0);
    const client = new Redis(redis!.url);
    expect(await invalidateFleet({ all: true }, { redis: client, prefix })).toBe(2);
    // A client passed in stays the caller's, open; a connection made from the URL is closed before it answers.
    expect(await client.ping()).toBe('PONG');
    expect(client.listenerCount('error')).toBe(0);
    client.disconnect();
    await until(() => lines.length === 2, 'two messages');
    expect(lines.map((line) => parseMessage(line)?.invalidation)).toEqual([{ keyId: 'key_x' }, { all: true }]);
    expect(parseMessage(lines[0]!)?.origin).toMatch(/^cli-[0-9a-f]{8}$/);
    expect(await inspector.get(`${root}gen`)).toBe('1');
    subscriber.disconnect();
  });

  it('closes the connection it made from a URL before it answers', async () => {
    const connected = async () =>
      String(await inspector.client('LIST'))
        .trim()
        .split('\n').length;
    const before = await connected();
    await invalidateFleet({ keyId: 'key_z' }, { redis: redis!.url, prefix: 'bus-pub-url' });
    for (let waited = 0; (await connected()) > before; waited += 10) {
      if (waited > 10_000) throw new Error('the connection made from the URL was left open');
      await sleep(10);
    }
  });

  it('refuses an empty key id and a bad prefix before connecting, and throws when Redis cannot be reached', async () => {
    await expect(invalidateFleet({ keyId: '' }, { redis: redis!.url })).rejects.toThrow('non-empty keyId');
    const notText = { keyId: 42 } as unknown as { keyId: string };
    await expect(invalidateFleet(notText, { redis: redis!.url })).rejects.toThrow('non-empty keyId');
    await expect(invalidateFleet({ all: true }, { redis: redis!.url, prefix: 'a b' })).rejects.toThrow('prefix');
    // The connection's own error reaches the caller through the command, not as ioredis's "Unhandled error event".
    const errors = vi.spyOn(console, 'error');
    try {
      await expect(invalidateFleet({ all: true }, { redis: 'redis://127.0.0.1:1', timeoutMs: 500 })).rejects.toThrow();
      await sleep(50);
      expect(errors.mock.calls.flat().join(' ')).not.toContain('Unhandled error event');
    } finally {
      errors.mockRestore();
    }
  });
});
