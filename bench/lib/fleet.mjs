// The fleet benchmark: 4 instances of the Hono app (one process each) on the local key service, with and without
// @keyguard/redis. Provider calls per 1,000 requests spread over the instances, revocation latency over the bus
// (publish on one instance → dropped on every other), and what a memory hit costs with the fleet on (fleet-micro.mjs).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { UnkeyClient } from '@keyguard/unkey';
import { startServer } from './processes.mjs';
import { startRedis } from './redis.mjs';

const INSTANCES = 4;
const KEYS = 100;
const REQUESTS = 1_000;
const CONCURRENCY = 32;
const REVOCATIONS = 50;

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** A seeded generator, so that both configurations see the same sequence of (instance, key). */
function seeded(seed) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

async function startFleet(env, count = INSTANCES) {
  return Promise.all(
    Array.from({ length: count }, () =>
      startServer('servers/app.mjs', { FRAMEWORK: 'hono', AUTH: 'keyguard', ...env }),
    ),
  );
}

/** REQUESTS requests, each to a random instance with one of KEYS new keys; answers the non-200 count. */
async function spread(instances, keys, random) {
  const plan = Array.from({ length: REQUESTS }, () => [
    instances[Math.floor(random() * instances.length)],
    keys[Math.floor(random() * keys.length)],
  ]);
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < plan.length) {
        const [instance, key] = plan[next++];
        const response = await fetch(`${instance.url}/hello`, { headers: { authorization: `Bearer ${key}` } });
        await response.arrayBuffer();
        if (response.status !== 200) failed += 1;
      }
    }),
  );
  return failed;
}

function revoke(instance, keyId) {
  return new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (message?.type !== 'revoked' || message.keyId !== keyId) return;
      instance.child.off('message', onMessage);
      if (message.error) reject(new Error(message.error));
      else resolve();
    };
    instance.child.on('message', onMessage);
    instance.child.send({ type: 'revoke', keyId });
  });
}

function fleetMicro(env) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('../fleet-micro.mjs', import.meta.url)), [], {
      env: { ...process.env, ...env },
    });
    child.once('message', (result) => {
      child.kill();
      resolve(result);
    });
    child.once('exit', (code) => code && reject(new Error(`fleet-micro.mjs exited with ${code}`)));
  });
}

export async function fleetBenchmark({ keyService, rootKey, log }) {
  const redis = await startRedis();
  if (!redis) {
    log('fleet: SKIPPED, redis-server is not installed (apt-get install redis-server)');
    return undefined;
  }
  const client = new UnkeyClient({ rootKey, baseUrl: keyService.url });
  const { data: api } = await client.apis.createApi({ name: 'bench-fleet' });
  const newKeys = async (count) =>
    Promise.all(
      Array.from({ length: count }, () =>
        client.keys.createKey({ apiId: api.apiId, prefix: 'sk' }).then(({ data }) => data),
      ),
    );
  const secret = randomBytes(32).toString('base64url');
  const common = { PROVIDER_URL: keyService.url, ROOT_KEY: rootKey };
  const fleetEnv = { ...common, REDIS_URL: redis.url, FLEET_SECRET: secret, FLEET_PREFIX: 'bench' };
  try {
    // 1. Provider calls per 1,000 requests over new keys, without and with the shared cache.
    const calls = {};
    for (const [name, env] of [
      ['without', common],
      ['with', fleetEnv],
    ]) {
      log(`fleet: ${REQUESTS} requests over ${KEYS} new keys and ${INSTANCES} instances, ${name} the shared cache`);
      const instances = await startFleet(env);
      const keys = (await newKeys(KEYS)).map((created) => created.key);
      const before = (await keyService.stats()).verifyCalls;
      const failed = await spread(instances, keys, seeded(42));
      const withoutRedis = (await Promise.all(instances.map((instance) => instance.stats()))).reduce(
        (sum, stats) => sum + (stats.fleet?.withoutRedis ?? 0),
        0,
      );
      calls[name] = { providerCalls: (await keyService.stats()).verifyCalls - before, failed, withoutRedis };
      await Promise.all(instances.map((instance) => instance.stop()));
    }

    // 2. Revocation: a key every instance has in memory is deleted through instance 0; the others' bus lag.
    log(`fleet: ${REVOCATIONS} revocations across ${INSTANCES} instances`);
    const instances = await startFleet(fleetEnv);
    let stillAccepted = 0;
    for (let round = 0; round < REVOCATIONS; round++) {
      const [created] = await newKeys(1);
      for (const instance of instances)
        await (
          await fetch(`${instance.url}/hello`, { headers: { authorization: `Bearer ${created.key}` } })
        ).arrayBuffer();
      await revoke(instances[0], created.keyId);
      // Every other instance must have received it by now or very soon: wait for the counts, then check the answer.
      for (let waited = 0; waited < 200; waited++) {
        const received = await Promise.all(instances.slice(1).map((instance) => instance.stats()));
        if (received.every((stats) => stats.lagsMs.length > round && stats.referenceLagsMs.length > round)) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      for (const instance of instances.slice(1)) {
        const response = await fetch(`${instance.url}/hello`, { headers: { authorization: `Bearer ${created.key}` } });
        await response.arrayBuffer();
        if (response.status === 200) stillAccepted += 1;
      }
    }
    const others = await Promise.all(instances.slice(1).map((instance) => instance.stats()));
    await Promise.all(instances.map((instance) => instance.stop()));
    // "Every instance rejects" once the slowest of them has dropped the key.
    const slowestOf = (lags) =>
      Array.from({ length: REVOCATIONS }, (_, round) =>
        Math.max(...lags.map((each) => each[round] ?? Number.POSITIVE_INFINITY)),
      );
    const slowest = slowestOf(others.map((stats) => stats.lagsMs));
    const reference = slowestOf(others.map((stats) => stats.referenceLagsMs));
    const each = others.flatMap((stats) => stats.lagsMs);
    const revocation = {
      rounds: REVOCATIONS,
      p50Ms: percentile(slowest, 50),
      p99Ms: percentile(slowest, 99),
      maxMs: Math.max(...slowest),
      eachP50Ms: percentile(each, 50),
      eachP99Ms: percentile(each, 99),
      referenceP50Ms: percentile(reference, 50),
      referenceP99Ms: percentile(reference, 99),
      stillAccepted,
    };

    // 3. A memory hit with the fleet on, next to one without; and what Redis saw meanwhile.
    log('fleet: cached path with and without the fleet');
    const [hitKey] = await newKeys(1);
    const hit = await fleetMicro({ ...fleetEnv, KEY: hitKey.key });
    return { instances: INSTANCES, keys: KEYS, requests: REQUESTS, calls, revocation, hit };
  } finally {
    await client.close();
    await redis.stop();
  }
}
