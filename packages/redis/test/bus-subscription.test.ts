import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invalidation } from '@keyguard/core/service';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import type { BusMessage } from '../src/bus/message.js';
import { BusSubscription, type Missed } from '../src/bus/subscription.js';
import { Availability } from '../src/connection/availability.js';
import { RedisLink } from '../src/connection/link.js';
import { layoutFor } from '../src/keys/layout.js';
import { until } from './fleet-helpers.js';

// The subscribing side of the bus on its own (src/bus/subscription.ts), on a real redis-server: what it calls its
// handlers with for each line on the channel, and when it decides invalidations may have been missed.
const redis = await redisOrSkip('packages/redis/test/bus-subscription.test.ts');
let publisher: Redis;
let prefixes = 0;

beforeAll(() => {
  if (redis) publisher = new Redis(redis.url);
});
afterAll(async () => {
  if (!redis) return;
  publisher.disconnect();
  await redis.stop();
});

interface Heard {
  received: [Invalidation, BusMessage][];
  seen: BusMessage[];
  answered: string[];
  missed: Missed[];
}

/** A subscription of origin `me` on a prefix of its own, subscribed, with everything it heard. */
async function subscribed(origin = 'me') {
  const layout = layoutFor(`bus-sub-${(prefixes += 1)}`);
  const command = new Redis(redis!.url);
  // Ready before the subscription starts, so the first SYNC (which writes the bus id the tests below read) is not
  // skipped (the link uses only a ready connection) and retried later.
  await command.ping();
  const subscriber = new Redis(redis!.url, { autoResubscribe: false });
  const link = new RedisLink(command, new Availability(command, 50, { warn() {}, error() {} }, 'p'), 2_000);
  const heard: Heard = { received: [], seen: [], answered: [], missed: [] };
  const subscription = new BusSubscription(
    subscriber,
    link,
    layout,
    origin,
    {
      received: (invalidation, message) => heard.received.push([invalidation, message]),
      seen: (message) => heard.seen.push(message),
      answered: (name) => heard.answered.push(name),
      missed: (missed) => heard.missed.push(missed),
    },
    50,
  );
  expect(subscription.isSubscribed).toBe(false);
  subscription.start();
  await subscription.ready();
  expect(subscription.isSubscribed).toBe(true);
  const send = (text: string) => publisher.publish(layout.channel, text);
  const close = () => {
    subscription.stop();
    subscriber.disconnect();
    command.disconnect();
  };
  return { layout, heard, subscription, subscriber, send, close };
}

/** A subscription not started yet, its command connection connected or not (then it connects on `connect()` only). */
function unstarted({ commandConnected }: { commandConnected: boolean }) {
  const layout = layoutFor(`bus-sub-${(prefixes += 1)}`);
  const command = new Redis(redis!.url, { lazyConnect: !commandConnected });
  const subscriber = new Redis(redis!.url, { autoResubscribe: false });
  const link = new RedisLink(command, new Availability(command, 50, { warn() {}, error() {} }, 'p'), 2_000);
  const missed: Missed[] = [];
  const handlers = { received() {}, seen() {}, answered() {}, missed: (event: Missed) => void missed.push(event) };
  const subscription = new BusSubscription(subscriber, link, layout, 'me', handlers, 50);
  const close = () => {
    subscription.stop();
    subscriber.disconnect();
    command.disconnect();
  };
  return { layout, command, subscriber, subscription, missed, close };
}

describe.skipIf(!redis)('BusSubscription', () => {
  it('a first subscription reports first: nothing could be missed, nothing is known either', async () => {
    const bus = await subscribed();
    expect(bus.heard.missed).toEqual([{ first: true, redisAt: expect.any(Number) }]);
    expect(await publisher.get(`${bus.layout.root}bus`)).toMatch(/^[0-9a-f]{16}$/);
    bus.close();
  });

  it('hands on another origin’s invalidations, sees its own without receiving them, in number order', async () => {
    const bus = await subscribed();
    const busId = (await publisher.get(`${bus.layout.root}bus`))!;
    await bus.send(`1 ${busId} 1000 other 5.5 k key_1`);
    await bus.send(`2 ${busId} 1001 me 6 d dg`);
    await bus.send(`3 ${busId} 1002 other 7 a `);
    await until(() => bus.heard.seen.length === 3, 'three messages');
    expect(bus.heard.seen.map((message) => message.seq)).toEqual([1, 2, 3]);
    expect(bus.heard.received.map(([invalidation]) => invalidation)).toEqual([{ keyId: 'key_1' }, { all: true }]);
    expect(bus.heard.received[0]![1]).toMatchObject({ origin: 'other', publishedAt: 5.5, redisAt: 1000 });
    expect(bus.heard.missed).toHaveLength(1);
    bus.close();
  });

  it('a gap in the numbers, or another bus, means missed, with the message’s Redis time', async () => {
    const bus = await subscribed();
    const busId = (await publisher.get(`${bus.layout.root}bus`))!;
    await bus.send(`1 ${busId} 2000 other 1 k a`);
    await bus.send(`3 ${busId} 2001 other 1 k b`);
    await until(() => bus.heard.seen.length === 2, 'two messages');
    expect(bus.heard.missed.slice(1)).toEqual([{ first: false, redisAt: 2001 }]);
    // An older number on the same bus is no gap, and does not set the last number back.
    await bus.send(`2 ${busId} 2002 other 1 k c`);
    await bus.send(`4 ${busId} 2003 other 1 k d`);
    await until(() => bus.heard.seen.length === 4, 'four messages');
    expect(bus.heard.missed).toHaveLength(2);
    await bus.send(`5 otherbus 2004 other 1 k e`);
    await until(() => bus.heard.seen.length === 5, 'five messages');
    expect(bus.heard.missed.slice(2)).toEqual([{ first: false, redisAt: 2004 }]);
    // The new bus is the one followed now: its next number is no gap.
    await bus.send(`6 otherbus 2005 other 1 k f`);
    await until(() => bus.heard.seen.length === 6, 'six messages');
    expect(bus.heard.missed).toHaveLength(3);
    // Another bus starting over from a lower number is followed too: its next number is no gap.
    await bus.send(`1 thirdbus 2006 other 1 k g`);
    await bus.send(`2 thirdbus 2007 other 1 k h`);
    await until(() => bus.heard.seen.length === 8, 'eight messages');
    expect(bus.heard.missed).toHaveLength(4);
    bus.close();
  });

  it('passes answered names on, and ignores lines that are neither, and other channels', async () => {
    const bus = await subscribed();
    await bus.send('w some-name');
    await bus.send('garbage line');
    await bus.send('w ');
    await publisher.publish(`${bus.layout.channel}-other`, 'w elsewhere');
    await bus.send('w last');
    await until(() => bus.heard.answered.length === 2, 'two answered');
    expect(bus.heard.answered).toEqual(['some-name', 'last']);
    expect(bus.heard.seen).toEqual([]);
    bus.close();
  });

  it('a reconnect with nothing published costs nothing; one after a publish reports missed with Redis time', async () => {
    const bus = await subscribed();
    const busId = (await publisher.get(`${bus.layout.root}bus`))!;
    await bus.send(`1 ${busId} 3000 other 1 k a`);
    await until(() => bus.heard.seen.length === 1, 'one message');
    // The message above was sent by hand: Redis's own number (seq, seq:at) says the same from here on.
    await publisher.set(`${bus.layout.root}seq`, '1');
    await publisher.set(`${bus.layout.root}seq:at`, '3000');
    const reconnect = async () => {
      const ready = new Promise((resolve) => bus.subscriber.once('ready', resolve));
      bus.subscriber.disconnect(true);
      await ready;
      await bus.subscription.ready();
    };
    await reconnect();
    await until(() => bus.subscription.isSubscribed, 'subscribed again');
    expect(bus.heard.missed).toHaveLength(1);
    // Published while it was away: the number moved.
    await publisher.set(`${bus.layout.root}seq`, '2');
    await publisher.set(`${bus.layout.root}seq:at`, '3001');
    await reconnect();
    await until(() => bus.heard.missed.length === 2, 'missed after the reconnect');
    expect(bus.heard.missed[1]).toEqual({ first: false, redisAt: expect.any(Number) });
    // The same number given again by a lossy failover, noted at another time: missed too.
    await publisher.set(`${bus.layout.root}seq:at`, '3002');
    await reconnect();
    await until(() => bus.heard.missed.length === 3, 'missed after the same number at another time');
    // A bus written before the time was noted ('0'): the number alone decides, on either side.
    await publisher.del(`${bus.layout.root}seq:at`);
    await reconnect();
    await publisher.set(`${bus.layout.root}seq:at`, '3003');
    await reconnect();
    await sleep(50);
    expect(bus.heard.missed).toHaveLength(3);
    // A Redis that lost its data and was given the same number and time again still has another bus id.
    await publisher.set(`${bus.layout.root}bus`, 'another-bus-id');
    await reconnect();
    await until(() => bus.heard.missed.length === 4, 'missed after the bus id changed');
    // Asked again once subscribed, ready() answers at once.
    await bus.subscription.ready();
    bus.close();
  });

  it('starts on a subscriber connection that is ready already', async () => {
    const bus = unstarted({ commandConnected: true });
    await Promise.all([bus.command.ping(), bus.subscriber.ping()]);
    bus.subscription.start();
    await bus.subscription.ready();
    expect(bus.missed).toEqual([{ first: true, redisAt: expect.any(Number) }]);
    bus.close();
  });

  it('a command connection ready after the subscriber: the number is read once it is, and a gap after that is noticed', async () => {
    // Not connected yet: the link skips it, as it does a command connection still connecting beside a ready subscriber.
    const bus = unstarted({ commandConnected: false });
    bus.subscription.start();
    let ready = false;
    void bus.subscription.ready().then(() => (ready = true));
    await until(() => bus.subscription.isSubscribed, 'subscribed');
    // Listening, memory dropped (nothing known), but not ready: a gap could not be noticed yet.
    expect(bus.missed).toEqual([{ first: true, redisAt: undefined }]);
    await sleep(150);
    expect(ready).toBe(false);
    await bus.command.connect();
    await until(() => ready, 'ready once the number is read');
    const busId = await publisher.get(`${bus.layout.root}bus`);
    expect(busId).toMatch(/^[0-9a-f]{16}$/);
    // Number 1 never arrives.
    await publisher.publish(bus.layout.channel, `2 ${busId} 4000 other 1 k a`);
    await until(() => bus.missed.length === 2, 'the gap');
    expect(bus.missed[1]).toEqual({ first: false, redisAt: 4000 });
    bus.close();
  });

  it('the number not readable yet, a message tells it: ready, and the next gap is noticed', async () => {
    const bus = unstarted({ commandConnected: false });
    bus.subscription.start();
    await until(() => bus.subscription.isSubscribed, 'subscribed');
    await publisher.publish(bus.layout.channel, `7 somebus 5000 other 1 k a`);
    await bus.subscription.ready();
    await publisher.publish(bus.layout.channel, `9 somebus 5001 other 1 k b`);
    await until(() => bus.missed.length === 2, 'the gap');
    expect(bus.missed).toEqual([
      { first: true, redisAt: undefined },
      { first: false, redisAt: 5001 },
    ]);
    bus.close();
  });

  it('after stop() it does not subscribe again', async () => {
    const bus = await subscribed();
    bus.subscription.stop();
    bus.subscriber.disconnect(true);
    await new Promise((resolve) => bus.subscriber.once('ready', resolve));
    await sleep(50);
    expect(bus.subscription.isSubscribed).toBe(false);
    bus.close();
  });
});
