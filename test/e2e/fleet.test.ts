import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKeyServer } from '@keyguard/server';
import { UnkeyClient } from '@keyguard/unkey';
import { LoopbackServer } from '../support/loopback-server.js';
import { redisOrSkip, type RedisProcess } from '../support/redis-server.js';
import { recordOutput, registerSecret } from '../support/secrets.js';

// A fleet as it runs: four app processes, each on another adapter, the local key service and one Redis. Memory is
// fresh for 60 s here, so any instance that rejects a revoked key within the test learned it from the bus.
const root = fileURLToPath(new URL('../..', import.meta.url));
const ADAPTERS = ['express', 'fastify', 'hono', 'koa'] as const;
const built = ['core', 'redis', 'unkey', ...ADAPTERS].every((name) =>
  existsSync(join(root, 'packages', name, 'dist/index.js')),
);
const redis: RedisProcess | undefined =
  built || process.env.CI ? await redisOrSkip('test/e2e/fleet.test.ts') : undefined;
if (!built && !process.env.CI)
  console.warn('\n  SKIPPED test/e2e/fleet.test.ts: its app processes run the built packages (pnpm build)\n');

interface Instance {
  adapter: string;
  url: string;
  control: string;
  child: ChildProcess;
  /** What it logged, also handed to the leak watch: no key may appear in an instance's logs either. */
  stderr: string[];
}

let keyService: LoopbackServer;
let client: UnkeyClient;
let apiId: string;
let verifyCalls = 0;
const instances: Instance[] = [];

function startInstance(adapter: string, env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, [join(root, 'test/e2e/fleet/instance.mjs')], {
    cwd: root,
    env: { ...process.env, ...env, ADAPTER: adapter },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString());
    recordOutput(chunk.toString());
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0]!;
      if (output.includes('\n'))
        resolve({ adapter, child, stderr, ...(JSON.parse(line) as { url: string; control: string }) });
    });
    child.once('exit', (code) => reject(new Error(`the ${adapter} instance exited with ${code}: ${stderr.join('')}`)));
  });
}

async function createKey() {
  const { data } = await client.keys.createKey({ apiId, prefix: 'fleet' });
  registerSecret(data.key);
  return data;
}

const status = async (instance: Instance, key: string) =>
  (await fetch(`${instance.url}/protected`, { headers: { authorization: `Bearer ${key}` } })).status;
const stats = async (instance: Instance) =>
  (await (await fetch(`${instance.control}/stats`)).json()) as { fleet: { subscribed: boolean; received: number } };

/** Until every instance answers 401 for the key; the time each took from `since`. */
async function rejectedEverywhere(targets: Instance[], key: string, since: number): Promise<number[]> {
  return Promise.all(
    targets.map(async (instance) => {
      await vi.waitFor(async () => expect(await status(instance, key)).toBe(401), { timeout: 10_000, interval: 2 });
      return performance.now() - since;
    }),
  );
}

beforeAll(async () => {
  if (!redis) return;
  const server = createKeyServer();
  const rootKey = server.bootstrap().rootKey!;
  registerSecret(rootKey);
  keyService = new LoopbackServer((request, response) => {
    if (request.url === '/v2/keys.verifyKey') verifyCalls += 1;
    server.handler(request, response);
  });
  const providerUrl = await keyService.start();
  client = new UnkeyClient({ rootKey, baseUrl: providerUrl });
  apiId = (await client.apis.createApi({ name: 'fleet-e2e' })).data.apiId;
  const secret = randomBytes(32).toString('base64url');
  registerSecret(secret);
  const env = {
    PROVIDER_URL: providerUrl,
    ROOT_KEY: rootKey,
    REDIS_URL: redis.url,
    FLEET_SECRET: secret,
    FLEET_PREFIX: 'e2e',
    FRESH_MS: '60000',
  };
  instances.push(...(await Promise.all(ADAPTERS.map((adapter) => startInstance(adapter, env)))));
});

afterAll(async () => {
  if (!redis) return;
  await Promise.all(
    instances.map(
      ({ child }) =>
        new Promise<void>((resolve) =>
          child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')),
        ),
    ),
  );
  await client.close();
  await keyService.stop();
  await redis.stop();
});

describe.skipIf(!redis)('a fleet of four instances (express, fastify, hono, koa) on one Redis', () => {
  it('a new key hit by 4 instances × 25 concurrent requests costs one provider call', async () => {
    const { key } = await createKey();
    const before = verifyCalls;
    const statuses = await Promise.all(
      instances.flatMap((instance) => Array.from({ length: 25 }, () => status(instance, key))),
    );
    expect(statuses.filter((code) => code !== 200)).toEqual([]);
    expect(verifyCalls - before).toBe(1);
  });

  it('a key revoked on one instance is rejected by all the others, long before their memory would expire', async () => {
    const { key, keyId } = await createKey();
    for (const instance of instances) expect(await status(instance, key)).toBe(200);
    const [revoking, ...others] = instances as [Instance, ...Instance[]];
    const before = verifyCalls;
    for (const instance of others) expect(await status(instance, key)).toBe(200); // from memory
    expect(verifyCalls).toBe(before);
    const revokedAt = performance.now();
    expect((await fetch(`${revoking.control}/keys/${keyId}/delete`, { method: 'POST' })).status).toBe(204);
    const took = await rejectedEverywhere(others, key, revokedAt);
    expect(took).toHaveLength(3);
    expect(await status(revoking, key)).toBe(401);
  });

  it('Redis killed mid-traffic: no request fails; Redis back: invalidations flow again', async () => {
    const warm = await createKey();
    let stop = false;
    let requests = 0;
    const failed: string[] = [];
    const traffic = Promise.all(
      instances.map(async (instance) => {
        while (!stop) {
          const fresh = await createKey();
          for (const key of [warm.key, fresh.key, warm.key]) {
            const code = await status(instance, key);
            requests += 1;
            if (code !== 200) failed.push(`${instance.adapter} ${code}`);
          }
        }
      }),
    );
    await vi.waitFor(() => expect(requests).toBeGreaterThan(24), { timeout: 10_000, interval: 5 });
    await redis!.kill();
    const atKill = requests;
    await vi.waitFor(() => expect(requests).toBeGreaterThan(atKill + 48), { timeout: 20_000, interval: 5 });
    // Each instance warns with ioredis's first failed reconnect (about 50 ms after the loss): on a fast Node, 48
    // requests can take less than that, and a Redis back by then is an outage no instance saw fail.
    const outageWarnings = (instance: Instance) => instance.stderr.join('').match(/Redis is unavailable/g) ?? [];
    await vi.waitFor(
      () => {
        for (const instance of instances) expect(outageWarnings(instance), instance.adapter).not.toHaveLength(0);
      },
      { timeout: 10_000, interval: 10 },
    );
    await redis!.restart();
    await vi.waitFor(
      async () => {
        for (const instance of instances) expect((await stats(instance)).fleet.subscribed).toBe(true);
      },
      { timeout: 20_000, interval: 20 },
    );
    const atRestart = requests;
    await vi.waitFor(() => expect(requests).toBeGreaterThan(atRestart + 24), { timeout: 10_000, interval: 5 });
    stop = true;
    await traffic;
    expect(failed).toEqual([]);
    // One warning per instance for the outage, however many requests went on without Redis.
    for (const instance of instances) expect(outageWarnings(instance), instance.adapter).toHaveLength(1);

    const revoked = await createKey();
    for (const instance of instances) expect(await status(instance, revoked.key)).toBe(200);
    const [, , revoking, ...rest] = instances as [Instance, Instance, Instance, Instance];
    const revokedAt = performance.now();
    expect((await fetch(`${revoking.control}/keys/${revoked.keyId}/delete`, { method: 'POST' })).status).toBe(204);
    await rejectedEverywhere([instances[0]!, instances[1]!, ...rest], revoked.key, revokedAt);
  });
});
