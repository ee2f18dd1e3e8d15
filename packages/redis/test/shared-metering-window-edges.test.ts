import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until as untilWritten } from '../../../test/support/redis-nodes.js';
import { redisOrSkip } from '../../../test/support/redis-server.js';
import { Availability } from '../src/connection/availability.js';
import { RedisLink } from '../src/connection/link.js';
import { layoutFor } from '../src/keys/layout.js';
import { SharedMetering, type SharedMeteringCounts } from '../src/metering/shared-metering.js';
import { until } from './fleet-helpers.js';

// Shared batched metering (src/metering/shared-metering.ts) when a budget moves to its next window, and while a round
// trip waits for Redis, against a real redis-server: what is left in the last window's hash, and how many round trips.
const redis = await redisOrSkip('packages/redis/test/shared-metering-window-edges.test.ts');
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

/** One member on a fleet prefix of its own, with its own command connection. */
async function member(refreshMs = 20) {
  const layout = layoutFor(`smw${randomBytes(4).toString('hex')}`);
  const client = new Redis(redis!.url);
  clients.push(client);
  await client.ping();
  const availability = new Availability(client, 60_000, { warn() {}, error() {} }, 'window-edges');
  const counts: SharedMeteringCounts = { trips: 0, withoutRedis: 0, garbage: 0 };
  const id = 'member-a';
  const metering = new SharedMetering(new RedisLink(client, availability, 2_000), layout, id, refreshMs, counts);
  /** The budget's hash in one window: each field's count. */
  const hash = async (name: string) => {
    const fields = await inspector.hgetall(`${layout.root}m:${name}`);
    return Object.fromEntries(Object.entries(fields).map(([field, value]) => [field, value.split(':')[0]!]));
  };
  return { layout, metering, counts, id, hash };
}

describe.skipIf(!redis)('shared metering across windows', () => {
  it('moving to the next window takes its count out of the last window at once, and keeps the next one', async () => {
    const { metering, counts, id, hash } = await member();
    metering.share('limit:w', 1_000, 3);
    await metering.flush();
    expect(await hash('limit:w:1000')).toEqual({ [id]: '3' });
    metering.share('limit:w', 2_000, 1);
    expect(metering.view().budgets).toBe(1);
    await metering.flush();
    await until(() => counts.trips >= 3, 'the last window written with 0');
    expect(await hash('limit:w:1000')).toEqual({});
    expect(await hash('limit:w:2000')).toEqual({ [id]: '1' });
    // The last window's round trip, once over, leaves the next window's view in place (and its count kept alive).
    await sleep(50);
    expect(metering.view().budgets).toBe(1);
    await metering.close();
  });

  it('a window left before its count was ever written leaves nothing in Redis, and costs no round trip', async () => {
    const { metering, counts, id, hash } = await member();
    // Both in one turn: the first window's round trip was only due.
    metering.share('limit:early', 1_000, 3);
    metering.share('limit:early', 2_000, 1);
    await metering.flush();
    expect(counts.trips).toBe(1);
    await sleep(50);
    expect(await hash('limit:early:1000')).toEqual({});
    expect(await hash('limit:early:2000')).toEqual({ [id]: '1' });
    await metering.close();
  });

  it('a zero for a window it holds nothing of leaves the window it holds as it is', async () => {
    const { metering, id, hash } = await member();
    metering.share('limit:zero', 1_000, 3);
    await metering.flush();
    metering.share('limit:zero', 2_000, 0);
    await metering.flush();
    await sleep(50);
    expect(await hash('limit:zero:1000')).toEqual({ [id]: '3' });
    expect(metering.view().budgets).toBe(1);
    await metering.close();
  });

  it('many changes in one turn make one round trip', async () => {
    const { metering, counts, id, hash } = await member(1);
    metering.share('credits:burst', Number.POSITIVE_INFINITY, 1);
    await metering.flush();
    await sleep(20);
    const before = counts.trips;
    // As a burst of admissions answered from memory in one turn: each tells its count, one timer is set.
    for (let count = 2; count <= 51; count++) metering.share('credits:burst', Number.POSITIVE_INFINITY, count);
    await until(() => counts.trips > before, 'the round trip');
    // Written when its round trip is answered (however long a loaded machine takes), and no more trips meanwhile.
    await untilWritten('the count written', 10_000, async () => (await hash('credits:burst:inf'))[id] === '51');
    await sleep(100);
    // One for the burst; a keep-alive is 500 ms away. A round trip per change would make 50.
    expect(counts.trips - before).toBeLessThanOrEqual(3);
    expect(await hash('credits:burst:inf')).toEqual({ [id]: '51' });
    await metering.close();
  });

  it('while a round trip waits for Redis, no other one is sent for the same budget', async () => {
    const { metering, counts, id, hash } = await member(1);
    metering.share('credits:slow', Number.POSITIVE_INFINITY, 1);
    await metering.flush();
    const before = counts.trips + counts.withoutRedis;
    // Frozen for about 300 ms: the round trip for the first change waits, the changes after it only update the count.
    redis!.freeze();
    try {
      for (let count = 2; count <= 21; count++) {
        metering.share('credits:slow', Number.POSITIVE_INFINITY, count);
        await sleep(15);
      }
    } finally {
      redis!.thaw();
    }
    await metering.flush();
    // One waiting, one with the last count, and the flush: a round trip per change would make about 20.
    expect(counts.trips + counts.withoutRedis - before).toBeLessThanOrEqual(6);
    expect(await hash('credits:slow:inf')).toEqual({ [id]: '21' });
    await metering.close();
  });
});
