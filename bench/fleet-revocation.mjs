// `node bench/fleet-revocation.mjs [other checkout] [--rounds=8] [--latency=25]`: revocation-to-401 across a fleet of
// 4 instances (one process, 4 verifiers, each with its own redisFleet and connections) on one redis-server, with the
// local key service `--latency` ms away. Each revocation: a key verified on every instance and answered from memory
// in a loop, deleted in the key service, then invalidated from outside (invalidateFleet); measured from the
// invalidation to each instance's first 401. One of the 4 asks the key service again, the others wait for its answer.
//
// With another checkout (an older commit, built: `git worktree add ../before <commit> && cd ../before && pnpm install
// && pnpm build`), both run in the same run, rounds interleaved, each on its own built packages (dist/, loaded
// through the checkout's bench/ dependencies): figures from two runs on a busy machine cannot be compared, these can.
// This checkout must be built too (`pnpm build`).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, stopAll } from './lib/processes.mjs';
import { startRedis } from './lib/redis.mjs';

const INSTANCES = 4;
const PER_ROUND = 5;

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};

if (process.env.FLEET_REVOCATION_CHECKOUT) await member(process.env);
else await main();

async function main() {
  const option = (name, fallback) =>
    process.argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
  const other = process.argv.slice(2).find((argument) => !argument.startsWith('--'));
  const rounds = Number(option('rounds', '8'));
  const latencyMs = Number(option('latency', '25'));
  const checkouts = [{ name: 'this checkout', root: fileURLToPath(new URL('..', import.meta.url)) }];
  if (other) {
    if (!existsSync(resolve(other, 'packages/redis/dist/index.cjs'))) {
      console.error(`${resolve(other)} has no built packages/redis: pnpm install && pnpm build there first`);
      process.exit(2);
    }
    checkouts.push({ name: other, root: resolve(other) });
  }
  const redis = await startRedis();
  if (!redis) {
    console.error('redis-server is not installed');
    process.exit(2);
  }
  const rootKey = `bench_root_${randomBytes(16).toString('hex')}`;
  try {
    const keyService = await startServer('servers/key-service.mjs', {
      ROOT_KEY: rootKey,
      LATENCY_MS: String(latencyMs),
    });
    const members = await Promise.all(
      checkouts.map((checkout) => startMember(checkout, { redis: redis.url, provider: keyService.url, rootKey })),
    );
    const samples = new Map(checkouts.map((checkout) => [checkout.name, { all: [], lags: [] }]));
    for (let round = 0; round < rounds; round++) {
      for (const [index, checkout] of checkouts.entries()) {
        const figures = await members[index].run(PER_ROUND);
        samples.get(checkout.name).all.push(...figures.all);
        samples.get(checkout.name).lags.push(...figures.lags);
      }
    }
    await Promise.all(members.map((each) => each.stop()));
    await keyService.stop();
    const format = (values) =>
      `p50 ${percentile(values, 50).toFixed(1)} ms, p99 ${percentile(values, 99).toFixed(1)} ms`;
    console.log(
      `\nrevocation-to-401, ${INSTANCES} instances, key service ${latencyMs} ms away, ${rounds} interleaved rounds of ${PER_ROUND} revocations`,
    );
    console.log("| checkout | revocation → 401 (every instance) | the waiters' 401 after the asker's | samples |");
    console.log('|---|---|---|---|');
    for (const [name, { all, lags }] of samples)
      console.log(`| ${name} | ${format(all)} | ${format(lags)} | ${all.length} |`);
  } finally {
    stopAll();
    await redis.stop();
  }
}

/** A process running one checkout's fleet of INSTANCES verifiers, measuring revocations when asked. */
async function startMember(checkout, { redis, provider, rootKey }) {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: {
      ...process.env,
      FLEET_REVOCATION_CHECKOUT: checkout.root,
      REDIS_URL: redis,
      PROVIDER_URL: provider,
      ROOT_KEY: rootKey,
    },
  });
  const next = () =>
    new Promise((resolve, reject) => {
      const onExit = (code) => reject(new Error(`the member for ${checkout.name} exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        if (message.error) reject(new Error(message.error));
        else resolve(message);
      });
    });
  await next();
  return {
    run: (count) => {
      const answer = next();
      child.send({ type: 'run', count });
      return answer;
    },
    stop: () => {
      const answer = next();
      child.send({ type: 'stop' });
      return answer;
    },
  };
}

async function member({ FLEET_REVOCATION_CHECKOUT: root, REDIS_URL, PROVIDER_URL, ROOT_KEY }) {
  // The checkout's own built packages, as its bench/ resolves them.
  const require = createRequire(resolve(root, 'bench/package.json'));
  const { createVerifier } = require('@keyguard/core');
  const { redisFleet, invalidateFleet } = require('@keyguard/redis');
  const { UnkeyClient, unkey } = require('@keyguard/unkey');
  const { Redis } = require('ioredis');
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  const fleets = Array.from({ length: INSTANCES }, () => redisFleet({ redis: REDIS_URL, secret, prefix }));
  await Promise.all(fleets.map((fleet) => fleet.ready()));
  const verifiers = fleets.map((fleet) =>
    createVerifier({
      provider: unkey({ rootKey: ROOT_KEY, baseUrl: PROVIDER_URL }),
      fleet,
      cache: { freshMs: 60_000 },
    }),
  );
  const client = new UnkeyClient({ rootKey: ROOT_KEY, baseUrl: PROVIDER_URL });
  const { apiId } = (await client.apis.createApi({ name: `fleet-revocation-${prefix}` })).data;
  const admin = new Redis(REDIS_URL);

  async function revocation() {
    const { key, keyId } = (await client.keys.createKey({ apiId, prefix: 'rv' })).data;
    for (const verifier of verifiers)
      if (!(await verifier.verify(key)).valid) throw new Error('the key did not verify');
    const loops = verifiers.map(async (verifier) => {
      for (;;) {
        if (!(await verifier.verify(key)).valid) return performance.now();
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    await client.keys.deleteKey({ keyId });
    const revokedAt = performance.now();
    await invalidateFleet({ keyId }, { redis: admin, prefix });
    const times = (await Promise.all(loops)).map((at) => at - revokedAt);
    const first = Math.min(...times);
    return { all: times, lags: times.map((time) => time - first).filter((lag) => lag > 0) };
  }

  process.on('message', async (message) => {
    try {
      if (message.type === 'stop') {
        await Promise.all(verifiers.map((verifier) => verifier.close()));
        await client.close();
        admin.disconnect();
        process.send({ type: 'stopped' }, () => process.exit(0));
        return;
      }
      const figures = { all: [], lags: [] };
      for (let index = 0; index < message.count; index++) {
        const { all, lags } = await revocation();
        figures.all.push(...all);
        figures.lags.push(...lags);
      }
      process.send(figures);
    } catch (error) {
      process.send({ error: error instanceof Error ? error.message : String(error) });
    }
  });
  process.send({ type: 'ready' });
}
