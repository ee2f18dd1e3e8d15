import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { Availability } from '../src/connection/availability.js';
import { RedisLink } from '../src/connection/link.js';
import { layoutFor, type Layout } from '../src/keys/layout.js';
import { MAX_SHARED_COUNT } from '../src/metering/counts.js';
import { SharedMetering, UNCONFIRMED_FADE_MS, type SharedMeteringCounts } from '../src/metering/shared-metering.js';
import { until } from './fleet-helpers.js';

// One member's side of shared batched metering (src/metering/shared-metering.ts) on its own, against a real
// redis-server: what it writes in the budget's hash, what it reads of the others, and when.
const redis = await redisOrSkip('packages/redis/test/shared-metering-edges.test.ts');
let inspector: Redis;
const clients: Redis[] = [];

beforeAll(() => {
  if (!redis) return;
  inspector = new Redis(redis.url);
});
afterAll(async () => {
  if (!redis) return;
  inspector.disconnect();
  for (const client of clients) client.disconnect();
  await redis.stop();
});

interface Member {
  metering: SharedMetering;
  counts: SharedMeteringCounts;
  availability: Availability;
  id: string;
}

/** A fleet prefix of its own, and members on it, each with its own command connection (as instances would have). */
async function fleetOf(size: number, refreshMs = 20): Promise<{ layout: Layout; members: Member[] }> {
  const layout = layoutFor(`sme${randomBytes(4).toString('hex')}`);
  const members = await Promise.all(
    Array.from({ length: size }, async (_, index) => {
      const client = new Redis(redis!.url);
      clients.push(client);
      await client.ping();
      const availability = new Availability(client, 60_000, { warn() {}, error() {} }, 'edges');
      const counts: SharedMeteringCounts = { trips: 0, withoutRedis: 0, garbage: 0 };
      const id = `member-${index}`;
      const metering = new SharedMetering(new RedisLink(client, availability, 2_000), layout, id, refreshMs, counts);
      return { metering, counts, availability, id };
    }),
  );
  return { layout, members };
}

/** The budget's hash in one window, field by field, each value's count only. */
async function hash(layout: Layout, name: string): Promise<Record<string, string>> {
  const fields = await inspector.hgetall(`${layout.root}m:${name}`);
  return Object.fromEntries(Object.entries(fields).map(([member, value]) => [member, value.split(':')[0]!]));
}

describe.skipIf(!redis)('shared metering, one member at a time', () => {
  it("writes its count in the hash of the budget's window (a window without end named inf) and the others read it", async () => {
    const { layout, members } = await fleetOf(2);
    const [a, b] = members as [Member, Member];
    a.metering.share('credits:k1', Number.POSITIVE_INFINITY, 3);
    a.metering.share('limit:l1', 1_700_000_000_000, 2);
    await a.metering.flush();
    expect(await hash(layout, 'credits:k1:inf')).toEqual({ [a.id]: '3' });
    expect(await hash(layout, 'limit:l1:1700000000000')).toEqual({ [a.id]: '2' });
    const [fades] = Object.values(await inspector.hgetall(`${layout.root}m:credits:k1:inf`));
    const [redisSeconds] = await inspector.time();
    // "<count>:<Redis time it fades>": the fade time is UNCONFIRMED_FADE_MS past Redis's clock, not this machine's.
    const fadesAt = Number(fades!.split(':')[1]);
    expect(fadesAt - Number(redisSeconds) * 1_000).toBeGreaterThan(0);
    expect(fadesAt - Number(redisSeconds) * 1_000).toBeLessThanOrEqual(UNCONFIRMED_FADE_MS + 1_000);

    const seen = b.metering.others('credits:k1', Number.POSITIVE_INFINITY);
    expect(seen).toEqual({ unconfirmed: 0, released: 0 });
    await b.metering.flush();
    // The same object, updated in place: the verifier keeps the one it was handed.
    expect(seen).toEqual({ unconfirmed: 3, released: 0 });
    expect(b.metering.view()).toEqual({ budgets: 1, othersUnconfirmed: 3 });
    b.metering.others('limit:l1', 1_700_000_000_000);
    await b.metering.flush();
    expect(b.metering.view()).toEqual({ budgets: 2, othersUnconfirmed: 5 });
    expect(a.counts.trips).toBeGreaterThanOrEqual(2);
    expect(b.counts).toMatchObject({ withoutRedis: 0, garbage: 0 });
    await Promise.all([a.metering.close(), b.metering.close()]);
  });

  it('shares at most the largest count a member may write, so the others do not take it for garbage', async () => {
    const { layout, members } = await fleetOf(2);
    const [a, b] = members as [Member, Member];
    a.metering.share('credits:big', Number.POSITIVE_INFINITY, MAX_SHARED_COUNT + 5);
    await a.metering.flush();
    expect(await hash(layout, 'credits:big:inf')).toEqual({ [a.id]: String(MAX_SHARED_COUNT) });
    const seen = b.metering.others('credits:big', Number.POSITIVE_INFINITY);
    await b.metering.flush();
    expect(seen.unconfirmed).toBe(MAX_SHARED_COUNT);
    expect(b.counts.garbage).toBe(0);
    await Promise.all([a.metering.close(), b.metering.close()]);
  });

  it('tells nothing about a window it holds nothing of', async () => {
    const { layout, members } = await fleetOf(1);
    const [a] = members as [Member];
    a.metering.share('credits:none', Number.POSITIVE_INFINITY, 0);
    expect(a.metering.view()).toEqual({ budgets: 0, othersUnconfirmed: 0 });
    await a.metering.flush();
    await sleep(100);
    expect(a.counts.trips).toBe(0);
    expect(await inspector.exists(`${layout.root}m:credits:none:inf`)).toBe(0);
    await a.metering.close();
  });

  it("adds what another member's count lost to released (never what it gained), and a new window starts from that total", async () => {
    const { members } = await fleetOf(2);
    const [a, b] = members as [Member, Member];
    const budget = 'credits:rel';
    const exchange = async () => {
      await a.metering.flush();
      await b.metering.flush();
    };
    const seen = b.metering.others(budget, 1_000);
    a.metering.share(budget, 1_000, 5);
    await exchange();
    expect(seen).toEqual({ unconfirmed: 5, released: 0 });
    a.metering.share(budget, 1_000, 2);
    await exchange();
    expect(seen).toEqual({ unconfirmed: 2, released: 3 });
    a.metering.share(budget, 1_000, 4);
    await exchange();
    expect(seen).toEqual({ unconfirmed: 4, released: 3 });
    // A count that goes to 0 leaves the hash: all of it is released.
    a.metering.share(budget, 1_000, 0);
    await exchange();
    expect(seen).toEqual({ unconfirmed: 0, released: 7 });
    // The budget's next window, and another budget, start at the total released so far: it never goes back.
    expect(b.metering.others(budget, 2_000)).toEqual({ unconfirmed: 0, released: 7 });
    expect(b.metering.others('credits:other', 1_000)).toEqual({ unconfirmed: 0, released: 7 });
    await Promise.all([a.metering.close(), b.metering.close()]);
  });

  it('keeps writing a count it holds, with nothing asked of it, so the count does not fade', async () => {
    const { layout, members } = await fleetOf(1, 10_000);
    const [a] = members as [Member];
    a.metering.share('credits:held', Number.POSITIVE_INFINITY, 4);
    await a.metering.flush();
    // Well past the fade time: only the keep-alive writes (every quarter of it) keep the field.
    await sleep(UNCONFIRMED_FADE_MS * 2);
    const held = await inspector.hgetall(`${layout.root}m:credits:held:inf`);
    const [redisSeconds, micros] = await inspector.time();
    const redisNow = Number(redisSeconds) * 1_000 + Math.floor(Number(micros) / 1_000);
    expect(Number(held[a.id]!.split(':')[1])).toBeGreaterThan(redisNow);
    // A keep-alive every quarter of the fade time: about 9 round trips in these 4 s, not one after another.
    expect(a.counts.trips).toBeGreaterThanOrEqual(3);
    expect(a.counts.trips).toBeLessThan(40);
    await a.metering.close();
  });
});

describe.skipIf(!redis)('shared metering: reading the others, and without Redis', () => {
  it('a view that was read keeps being refreshed for a while, then is dropped once nobody reads it', async () => {
    const { members } = await fleetOf(2);
    const [a, b] = members as [Member, Member];
    const seen = b.metering.others('credits:watch', Number.POSITIVE_INFINITY);
    await b.metering.flush();
    a.metering.share('credits:watch', Number.POSITIVE_INFINITY, 6);
    await a.metering.flush();
    // Not read again: its refreshes alone bring the other member's count.
    await until(() => seen.unconfirmed === 6, 'the view refreshed without being read');
    expect(b.metering.view().budgets).toBe(1);
    await until(() => b.metering.view().budgets === 0, 'the view dropped');
    const trips = b.counts.trips;
    await sleep(UNCONFIRMED_FADE_MS / 2);
    expect(b.counts.trips).toBe(trips);
    await Promise.all([a.metering.close(), b.metering.close()]);
  });

  it('a count that changes while a keep-alive is waiting is written at the next refresh, not at the keep-alive', async () => {
    const { layout, members } = await fleetOf(1, 1);
    const [a] = members as [Member];
    a.metering.share('credits:soon', Number.POSITIVE_INFINITY, 1);
    await a.metering.flush();
    const before = a.counts.trips;
    // A change every 10 ms for about a second, each one after a round trip left a keep-alive (500 ms) waiting.
    for (let count = 2; count <= 100; count++) {
      a.metering.share('credits:soon', Number.POSITIVE_INFINITY, count);
      await sleep(10);
    }
    await a.metering.flush();
    expect(await hash(layout, 'credits:soon:inf')).toEqual({ [a.id]: '100' });
    // About one round trip per change; waiting for keep-alives would make about 3. Generous for a loaded machine.
    expect(a.counts.trips - before).toBeGreaterThanOrEqual(20);
    await a.metering.close();
  });

  it('a member that keeps reading the others is refreshed at the next refresh, not at the keep-alive', async () => {
    const { members } = await fleetOf(1, 1);
    const [b] = members as [Member];
    b.metering.others('credits:reader', Number.POSITIVE_INFINITY);
    await b.metering.flush();
    const before = b.counts.trips;
    // A read every 10 ms for about a second; each is the first since the last round trip.
    for (let read = 0; read < 100; read++) {
      b.metering.others('credits:reader', Number.POSITIVE_INFINITY);
      await sleep(10);
    }
    // About one round trip per read; keep-alives alone would make about 3. Generous for a loaded machine.
    expect(b.counts.trips - before).toBeGreaterThanOrEqual(20);
    await b.metering.close();
  });

  it('counts fields of the hash that hold no count as garbage, and leaves them out', async () => {
    const { layout, members } = await fleetOf(2);
    const [a, b] = members as [Member, Member];
    a.metering.share('credits:junk', Number.POSITIVE_INFINITY, 2);
    await a.metering.flush();
    await inspector.hset(`${layout.root}m:credits:junk:inf`, 'intruder', 'lots', 'other', '-1:99999999999999');
    const seen = b.metering.others('credits:junk', Number.POSITIVE_INFINITY);
    await b.metering.flush();
    expect(seen.unconfirmed).toBe(2);
    expect(b.counts.garbage).toBe(2);
    await Promise.all([a.metering.close(), b.metering.close()]);
  });

  it('without Redis the others read as zero, and what they released meanwhile is not counted as released', async () => {
    const { members } = await fleetOf(2);
    const [a, b] = members as [Member, Member];
    const seen = b.metering.others('credits:away', Number.POSITIVE_INFINITY);
    a.metering.share('credits:away', Number.POSITIVE_INFINITY, 5);
    await a.metering.flush();
    await b.metering.flush();
    expect(seen).toEqual({ unconfirmed: 5, released: 0 });
    // As after a failed command: the link leaves Redis alone for retryMs.
    b.availability.failed(new Error('gone'));
    await b.metering.flush();
    expect(seen).toEqual({ unconfirmed: 0, released: 0 });
    expect(b.counts.withoutRedis).toBeGreaterThanOrEqual(1);
    const trips = b.counts.trips;
    a.metering.share('credits:away', Number.POSITIVE_INFINITY, 0);
    await a.metering.flush();
    b.availability.reconnected();
    await b.metering.flush();
    expect(b.counts.trips).toBe(trips + 1);
    expect(seen).toEqual({ unconfirmed: 0, released: 0 });
    await Promise.all([a.metering.close(), b.metering.close()]);
  });

  it('close writes its last count, then shares and reads nothing more', async () => {
    const { layout, members } = await fleetOf(2);
    const [a, b] = members as [Member, Member];
    a.metering.share('credits:last', Number.POSITIVE_INFINITY, 1);
    a.metering.share('credits:last', Number.POSITIVE_INFINITY, 3);
    b.metering.others('credits:last', Number.POSITIVE_INFINITY);
    await a.metering.close();
    expect(await hash(layout, 'credits:last:inf')).toEqual({ [a.id]: '3' });
    expect(a.metering.view()).toEqual({ budgets: 0, othersUnconfirmed: 0 });
    const trips = a.counts.trips;
    a.metering.share('credits:last', Number.POSITIVE_INFINITY, 9);
    a.metering.share('credits:after', Number.POSITIVE_INFINITY, 9);
    expect(a.metering.others('credits:last', Number.POSITIVE_INFINITY)).toEqual({ unconfirmed: 0, released: 0 });
    expect(a.metering.view()).toEqual({ budgets: 0, othersUnconfirmed: 0 });
    // Past a keep-alive: no timer of the closed member is left to write again.
    await sleep(UNCONFIRMED_FADE_MS / 2);
    expect(a.counts.trips).toBe(trips);
    expect(await hash(layout, 'credits:last:inf')).toEqual({ [a.id]: '3' });
    await b.metering.close();
  });
});
