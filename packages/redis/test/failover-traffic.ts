import { randomBytes } from 'node:crypto';
import { expect, vi } from 'vitest';
import { UnkeyClient } from '@keyguard/unkey';
import { closeAll, type Instance, type KeyService } from './fleet-helpers.js';
import { startInstancesOn, type Topology } from './topology-helpers.js';

/** What a run measured, for the test's output (figures, never keys). */
export interface FailoverRun {
  instances: number;
  /** How many of the instances' buses listened on the primary that was killed (they had to move). */
  busesOnKilledPrimary: number;
  requests: number;
  requestsPerSecond: number;
  /** Requests answered while Redis was failing over, from the kill until every bus listened again. */
  duringFailover: number;
  /** Memory misses answered without Redis, summed over the instances. */
  withoutRedis: number;
  failoverMs: number;
  /** From the kill until every instance's bus listened again. */
  recoveredMs: number;
  /** From `deleteKey` / `invalidateKeyId` after the failover until every instance answered the key invalid. */
  revocationMs: number[];
  failures: string[];
}

/** Instances started (more when none of their buses landed on the primary to be killed). */
const INSTANCES = 3;
const WORKERS_PER_INSTANCE = 3;
/** Between two requests of one worker: a few hundred requests/s in all. */
const PAUSE_MS = 5;
const NEW_KEYS = 300;

type Kind = 'cached' | 'revoked' | 'new' | 'unknown';
const KINDS: Kind[] = ['cached', 'revoked', 'new', 'unknown'];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keys for the traffic: valid ones every instance has in memory, revoked ones, and valid ones no instance saw yet. */
async function keysFor(service: KeyService, instances: Instance[]) {
  const cached = await Promise.all(Array.from({ length: 4 }, () => service.createKey()));
  const revoked = await Promise.all(Array.from({ length: 2 }, () => service.createKey()));
  const fresh: string[] = [];
  for (let batch = 0; batch < NEW_KEYS / 25; batch++) {
    const created = await Promise.all(Array.from({ length: 25 }, () => service.createKey()));
    fresh.push(...created.map((each) => each.key));
  }
  for (const instance of instances)
    for (const { key } of [...cached, ...revoked]) expect((await instance.verifier.verify(key)).valid).toBe(true);
  // Deleted through the first instance's client: every instance drops them, and then learns NOT_FOUND.
  for (const { keyId } of revoked) {
    const received = instances.slice(1).map((instance) => instance.nextInvalidation());
    await service.client.keys.deleteKey({ keyId });
    await Promise.all(received);
  }
  for (const instance of instances)
    for (const { key } of revoked) expect((await instance.verifier.verify(key)).code).toBe('NOT_FOUND');
  return { cached, revoked, fresh };
}

/** Time until every instance answers `key` invalid (its memory dropped it, and the key service says NOT_FOUND). */
async function rejectedEverywhere(instances: Instance[], key: string, since: number): Promise<number> {
  await vi.waitFor(() => expect(instances.every((each) => each.verifier.verifyCached(key) === undefined)).toBe(true), {
    timeout: 10_000,
    interval: 5,
  });
  const elapsed = Date.now() - since;
  for (const instance of instances) expect((await instance.verifier.verify(key)).code).toBe('NOT_FOUND');
  return elapsed;
}

type TrafficKeys = Awaited<ReturnType<typeof keysFor>>;
const EXPECT_VALID: Record<Kind, boolean> = { cached: true, revoked: false, new: true, unknown: false };

/** Every instance's workers verify, each request checked against the answer its key must get, until stopped. */
class Traffic {
  requests = 0;
  readonly failures: string[] = [];
  private stopped = false;
  private readonly running: Promise<unknown>;

  constructor(
    instances: Instance[],
    private readonly keys: TrafficKeys,
  ) {
    this.running = Promise.all(
      instances.flatMap((instance, index) =>
        Array.from({ length: WORKERS_PER_INSTANCE }, (_, offset) => this.work(instance, index, offset)),
      ),
    );
  }

  /** Resolves once `count` more requests were answered. */
  async more(count: number): Promise<void> {
    const target = this.requests + count;
    await vi.waitFor(() => expect(this.requests).toBeGreaterThan(target), { timeout: 20_000, interval: 10 });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** A new key is one the worker did not ask for yet; the other instances' workers ask for it a little later. */
  private keyFor(kind: Kind, index: number, offset: number, turn: number): string {
    const { cached, revoked, fresh } = this.keys;
    if (kind === 'cached') return cached[turn % cached.length]!.key;
    if (kind === 'revoked') return revoked[turn % revoked.length]!.key;
    if (kind === 'new') return fresh[(offset * 150 + index * 5 + Math.floor(turn / KINDS.length)) % fresh.length]!;
    return `fl_${randomBytes(12).toString('hex')}`;
  }

  private async work(instance: Instance, index: number, offset: number): Promise<void> {
    for (let turn = offset; !this.stopped; turn++) {
      const kind = KINDS[turn % KINDS.length]!;
      try {
        const result = await instance.verifier.verify(this.keyFor(kind, index, offset, turn));
        if (result.valid !== EXPECT_VALID[kind]) this.failures.push(`${kind}: ${result.valid ? 'valid' : result.code}`);
      } catch (error) {
        this.failures.push(`${kind}: threw ${error instanceof Error ? error.name : 'a non-error'}`);
      }
      this.requests += 1;
      await pause(PAUSE_MS);
    }
  }
}

/**
 * The instances of one fleet: one with the key service's client in `clients` (its deletions are published), one
 * with connections of the fleet's own where the topology has options for them (Sentinel), and at least one whose bus
 * listens on the primary about to be killed.
 */
async function startFleet(topology: Topology, service: KeyService, prefix: string | undefined) {
  // A short timeout and retry: requests fall back to the key service quickly, and go back to Redis soon after.
  const fleet = { timeoutMs: 200, retryMs: 250 };
  const [first] = await startInstancesOn(topology, 1, service, { fleet, prefix, clients: [service.client] });
  const same = { fleet, prefix: first!.prefix };
  const others = await startInstancesOn(topology, INSTANCES - 2, service, same);
  const [owning] = await startInstancesOn(topology, 1, service, {
    ...same,
    fleet: { ...fleet, redis: topology.options?.() },
  });
  const instances = [first!, ...others, owning!];
  const anchor = `{${first!.prefix}}:seq`;
  await busOnPrimary(topology, anchor, instances, () => startInstancesOn(topology, 1, service, same));
  return { instances, anchor };
}

/**
 * After the failover: a key deleted through the first instance's client, and a key id invalidated by the last
 * instance, are dropped by every instance, over the bus. Answers how long each took.
 */
async function revokeAfterFailover(instances: Instance[], keys: TrafficKeys, service: KeyService) {
  const [deleted, invalidated] = keys.cached as [{ key: string; keyId: string }, { key: string; keyId: string }];
  let since = Date.now();
  await service.client.keys.deleteKey({ keyId: deleted.keyId });
  const deletedMs = await rejectedEverywhere(instances, deleted.key, since);
  // Deleted in the key service by a client no instance listens to: only the invalidation tells them.
  const unheard = new UnkeyClient({ rootKey: service.rootKey, baseUrl: service.url, retry: false });
  await unheard.keys.deleteKey({ keyId: invalidated.keyId });
  await unheard.close();
  since = Date.now();
  instances.at(-1)!.verifier.invalidateKeyId(invalidated.keyId);
  return [deletedMs, await rejectedEverywhere(instances, invalidated.key, since)];
}

/**
 * Instances verify continuously (keys in memory, revoked keys, new keys, unknown keys) while the topology's primary
 * is SIGKILLed; every request must get its right answer. Then revocations made after the failover must reach every
 * instance over the bus, through the new primary.
 */
export async function killPrimaryUnderTraffic(
  topology: Topology,
  service: KeyService,
  prefix?: string,
): Promise<FailoverRun> {
  const { instances, anchor } = await startFleet(topology, service, prefix);
  const busesOnKilledPrimary = await topology.subscribersOnPrimary(anchor);
  const keys = await keysFor(service, instances);
  const withoutRedis = () => sum(instances, (each) => each.fleet.stats().withoutRedis);
  const started = Date.now();
  const traffic = new Traffic(instances, keys);
  await traffic.more(300);
  const before = { requests: traffic.requests, withoutRedis: withoutRedis() };
  const killedAt = Date.now();
  const { failoverMs } = await topology.killPrimary(anchor);
  // Back on Redis: every bus listens again and every instance uses Redis for its misses.
  await vi.waitFor(
    () => expect(instances.every((each) => each.fleet.stats().subscribed && each.fleet.stats().connected)).toBe(true),
    { timeout: 20_000, interval: 10 },
  );
  const recoveredMs = Date.now() - killedAt;
  const duringFailover = traffic.requests - before.requests;
  await traffic.more(300);
  await traffic.stop();
  const elapsed = Date.now() - started;
  const answeredWithoutRedis = withoutRedis() - before.withoutRedis;
  const revocationMs = await revokeAfterFailover(instances, keys, service);
  await closeAll(instances);
  return {
    instances: instances.length,
    busesOnKilledPrimary,
    requests: traffic.requests,
    requestsPerSecond: Math.round((traffic.requests / elapsed) * 1_000),
    duringFailover,
    withoutRedis: answeredWithoutRedis,
    failoverMs,
    recoveredMs,
    revocationMs,
    failures: traffic.failures,
  };
}

/**
 * Makes sure at least one instance's bus listens on the primary about to be killed, so that the run covers a
 * subscriber that must move: on a cluster each bus picks a node at random; a Sentinel client follows the primary.
 */
async function busOnPrimary(
  topology: Topology,
  anchor: string,
  instances: Instance[],
  another: () => Promise<Instance[]>,
): Promise<void> {
  for (let tries = 0; (await topology.subscribersOnPrimary(anchor)) === 0; tries++) {
    if (tries === 30) throw new Error('no bus listens on the primary after 30 more instances');
    const [extra] = await another();
    if ((await topology.subscribersOnPrimary(anchor)) > 0) instances.push(extra!);
    else await closeAll([extra!]);
  }
}

function sum(instances: Instance[], value: (instance: Instance) => number): number {
  return instances.reduce((total, instance) => total + value(instance), 0);
}
