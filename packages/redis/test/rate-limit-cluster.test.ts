import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisClusterOrSkip, type RedisClusterProcess } from '../../../test/support/redis-cluster.js';
import { redisRateLimitBackend } from '../src/index.js';

// The Redis rate-limit backend on a real Redis Cluster (test/support/redis-cluster.ts: three primaries, a replica
// each): the script runs where its counter's slot lives, and several backends (instances) share one count.
const cluster: RedisClusterProcess | undefined = await redisClusterOrSkip(
  'packages/redis/test/rate-limit-cluster.test.ts',
);
const clients: Cluster[] = [];

function client(): Cluster {
  const made = new Cluster(cluster!.nodes);
  made.on('error', () => {});
  clients.push(made);
  return made;
}

beforeAll(async () => {
  await cluster?.settled();
});
afterAll(async () => {
  for (const each of clients) each.disconnect();
  await cluster?.stop();
});

describe.skipIf(!cluster)('redisRateLimitBackend() on Redis Cluster', () => {
  it('three instances, each with its own Cluster client, admit exactly the limit between them', async () => {
    const backends = [client(), client(), client()].map((redis) => redisRateLimitBackend({ redis, prefix: 'rlc' }));
    const call = { namespace: 'api', identifier: 'user_1', limit: 10, duration: 3_600_000, cost: 1 };
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => backends[i % 3]!.limit(call)));
    expect(answers.filter((answer) => answer.success)).toHaveLength(10);
    expect(await backends[0]!.limit({ ...call, cost: 0 })).toMatchObject({ success: false, remaining: 0 });
  });

  it("keeps its counters in the prefix's slot, on that slot's primary", async () => {
    const redis = client();
    const backend = redisRateLimitBackend({ redis, prefix: 'rlc2' });
    let reset = 0;
    for (const identifier of ['a', 'b', 'c', 'd'])
      ({ reset } = await backend.limit({ namespace: 'api', identifier, limit: 5, duration: 3_600_000, cost: 2 }));
    // A window boundary passed during the loop would leave the first counters in the window before: read d's window.
    const window = reset - 3_600_000;
    const slot = await redis.cluster('KEYSLOT', '{rlc2}:seq');
    expect(await redis.cluster('KEYSLOT', `{rlc2}:r:3600000:3:api:d:${window}`)).toBe(slot);
    expect(await redis.get(`{rlc2}:r:3600000:3:api:d:${window}`)).toBe('2');
    const primary = await cluster!.primaryPort('{rlc2}:seq');
    const node = redis.nodes('master').find((each) => each.options.port === primary);
    expect(await node?.get(`{rlc2}:r:3600000:3:api:d:${window}`)).toBe('2');
  });
});
