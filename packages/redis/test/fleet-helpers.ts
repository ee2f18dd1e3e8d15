import { randomBytes } from 'node:crypto';
import { createVerifier, type CacheOptions, type Logger, type Provider, type Verifier } from '@keyguard/core';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { UnkeyClient, unkey } from '@keyguard/unkey';
import { LoopbackServer } from '../../../test/support/loopback-server.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { redisFleet, type InvalidationEvent, type RedisFleet, type RedisFleetOptions } from '../src/index.js';

export const SECRET = randomBytes(32).toString('base64url');
registerSecret(SECRET);

/** The local key service with one API, and a client that creates keys in it. */
export interface KeyService {
  url: string;
  rootKey: string;
  client: UnkeyClient;
  createKey(extra?: Partial<Parameters<UnkeyClient['keys']['createKey']>[0]>): Promise<{ key: string; keyId: string }>;
  close(): Promise<void>;
}

export async function startKeyService(): Promise<KeyService> {
  const server: KeyServer = createKeyServer();
  const rootKey = server.bootstrap().rootKey!;
  registerSecret(rootKey);
  const { url } = await server.start();
  const client = new UnkeyClient({ rootKey, baseUrl: url, retry: false });
  const { apiId } = (await client.apis.createApi({ name: 'fleet-tests' })).data;
  return {
    url,
    rootKey,
    client,
    async createKey(extra = {}) {
      const { data } = await client.keys.createKey({ apiId, prefix: 'fl', ...extra });
      registerSecret(data.key);
      return data;
    },
    async close() {
      await client.close();
      await server.stop();
    },
  };
}

/** The provider, counting the calls that reach it (what a fleet saves is counted here). */
export function countingProvider(inner: Provider): Provider & { calls: number } {
  const counting = {
    name: inner.name,
    keyPrefix: inner.keyPrefix,
    calls: 0,
    verify(key: string) {
      counting.calls += 1;
      return inner.verify(key);
    },
    close: () => inner.close?.() ?? Promise.resolve(),
  };
  return counting;
}

/** A logger that keeps what it was told. */
export function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (message) => void warnings.push(message), error: (message) => void warnings.push(message) };
}

/** One app instance: a verifier with its own fleet object (its own connections), as a separate process would have. */
export interface Instance {
  verifier: Verifier;
  /** The fleet's prefix: its Redis keys match `{<prefix>}:*`. */
  prefix: string;
  fleet: RedisFleet;
  provider: Provider & { calls: number };
  /** Resolves with the next invalidation this instance receives from another one. */
  nextInvalidation(): Promise<InvalidationEvent>;
}

export interface InstanceOptions {
  cache?: CacheOptions;
  fleet?: Partial<RedisFleetOptions>;
  /** Another provider than the key service's Unkey one. */
  provider?: Provider;
  clients?: UnkeyClient[];
  /** Join the fleet of this prefix (default: a new one). */
  prefix?: string;
}

export function startInstance(
  service: KeyService,
  redis: string,
  prefix: string,
  options: InstanceOptions = {},
): Instance {
  const waiting: ((event: InvalidationEvent) => void)[] = [];
  const fleet = redisFleet({
    redis,
    secret: SECRET,
    prefix,
    // What these tests check must not depend on how busy the machine is: Redis gets time to answer.
    timeoutMs: 2_000,
    ...options.fleet,
    onInvalidation: (event) => {
      for (const resolve of waiting.splice(0)) resolve(event);
    },
  });
  const provider = countingProvider(options.provider ?? unkey({ rootKey: service.rootKey, baseUrl: service.url }));
  const verifier = createVerifier({
    provider,
    fleet,
    cache: { freshMs: 60_000, ...options.cache },
    clients: options.clients,
  });
  return { verifier, prefix, fleet, provider, nextInvalidation: () => new Promise((resolve) => waiting.push(resolve)) };
}

/** Several instances on one Redis, their buses listening. */
export async function startInstances(
  count: number,
  service: KeyService,
  redis: string,
  options: InstanceOptions = {},
): Promise<Instance[]> {
  const prefix = options.prefix ?? `t${randomBytes(4).toString('hex')}`;
  const instances = Array.from({ length: count }, () => startInstance(service, redis, prefix, options));
  await Promise.all(instances.map((instance) => instance.fleet.ready()));
  return instances;
}

export async function closeAll(instances: Instance[]): Promise<void> {
  await Promise.all(instances.map((instance) => instance.verifier.close()));
}

export const providerCalls = (instances: Instance[]) =>
  instances.reduce((sum, instance) => sum + instance.provider.calls, 0);

/** A front over loopback that holds every request `delayMs` before passing it on: a key service that far away. */
export async function startLatencyFront(
  target: string,
  delayMs: number,
): Promise<{ url: string; stop(): Promise<void> }> {
  const front = new LoopbackServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      setTimeout(() => {
        void fetch(`${target}${request.url}`, {
          method: request.method,
          headers: { authorization: request.headers.authorization ?? '', 'content-type': 'application/json' },
          body: request.method === 'POST' ? Buffer.concat(chunks) : undefined,
        })
          .then(async (upstream) => {
            response.writeHead(upstream.status, { 'content-type': 'application/json' });
            response.end(await upstream.text());
          })
          .catch(() => response.destroy());
      }, delayMs);
    });
  });
  return { url: await front.start(), stop: () => front.stop() };
}

/** The p-th percentile (0..100) of some figures, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Resolves once `condition` holds, looking every 10 ms; throws naming `what` after 10 s. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
