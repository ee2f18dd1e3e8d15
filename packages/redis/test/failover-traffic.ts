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

const INSTANCES = 3;
const WORKERS_PER_INSTANCE = 2;
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
  const [first] = instances;
  for (const { keyId } of revoked) {
    const received = instances.slice(1).map((instance) => instance.nextInvalidation());
    await service.client.keys.deleteKey({ keyId });
    await Promise.all(received);
    expect(first!.verifier.verifyCached(revoked[0]!.key)).toBeUndefined();
  }
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

/**
 * Three instances verify continuously (keys in memory, revoked keys, new keys, unknown keys) while the topology's
 * primary is SIGKILLed; every request must get its right answer. Then a revocation made after the failover must reach
 * every instance over the bus, through the new primary.
 */
export async function killPrimaryUnderTraffic(
  topology: Topology,
  service: KeyService,
  prefix?: string,
): Promise<FailoverRun> {
  // A short timeout and retry: requests fall back to the key service quickly, and go back to Redis soon after.
  const fleet = { timeoutMs: 200, retryMs: 250 };
  const [first] = await startInstancesOn(topology, 1, service, { fleet, prefix, clients: [service.client] });
  const others = await startInstancesOn(topology, INSTANCES - 2, service, { fleet, prefix: first!.prefix });
  // One instance with connections of the fleet's own, where the topology has options for them (Sentinel).
  const [owning] = await startInstancesOn(topology, 1, service, {
    fleet: { ...fleet, redis: topology.options?.() },
    prefix: first!.prefix,
  });
  const instances = [first!, ...others, owning!];
  const anchor = `{${first!.prefix}}:seq`;
  await busOnPrimary(topology, anchor, instances, () =>
    startInstancesOn(topology, 1, service, { fleet, prefix: first!.prefix }),
  );
  const busesOnKilledPrimary = await topology.subscribersOnPrimary(anchor);
  const keys = await keysFor(service, instances);
  const failures: string[] = [];
  let requests = 0;
  let stop = false;
  const expectValid = { cached: true, revoked: false, new: true, unknown: false };
  const worker = async (instance: Instance, index: number, offset: number) => {
    for (let turn = offset; !stop; turn++) {
      const kind = KINDS[turn % KINDS.length]!;
      const key =
        kind === 'cached'
          ? keys.cached[turn % keys.cached.length]!.key
          : kind === 'revoked'
            ? keys.revoked[turn % keys.revoked.length]!.key
            : kind === 'new'
              ? keys.fresh[(index * 7 + turn) % keys.fresh.length]!
              : `fl_${randomBytes(12).toString('hex')}`;
      try {
        const result = await instance.verifier.verify(key);
        if (result.valid !== expectValid[kind]) failures.push(`${kind}: ${result.valid ? 'valid' : result.code}`);
      } catch (error) {
        failures.push(`${kind}: threw ${error instanceof Error ? error.name : 'a non-error'}`);
      }
      requests += 1;
      await pause(PAUSE_MS);
    }
  };
  const started = Date.now();
  const traffic = Promise.all(
    instances.flatMap((instance, index) =>
      Array.from({ length: WORKERS_PER_INSTANCE }, (_, offset) => worker(instance, index, offset)),
    ),
  );
  await vi.waitFor(() => expect(requests).toBeGreaterThan(300), { timeout: 20_000, interval: 10 });
  const before = { requests, withoutRedis: sum(instances, (each) => each.fleet.stats().withoutRedis) };
  const killedAt = Date.now();
  const { failoverMs } = await topology.killPrimary(anchor);
  // Back on Redis: every bus listens again and every instance uses Redis for its misses.
  await vi.waitFor(
    () => expect(instances.every((each) => each.fleet.stats().subscribed && each.fleet.stats().connected)).toBe(true),
    { timeout: 20_000, interval: 10 },
  );
  const recoveredMs = Date.now() - killedAt;
  const duringFailover = requests - before.requests;
  const after = requests;
  await vi.waitFor(() => expect(requests).toBeGreaterThan(after + 300), { timeout: 20_000, interval: 10 });
  stop = true;
  await traffic;
  const elapsed = Date.now() - started;
  const withoutRedis = sum(instances, (each) => each.fleet.stats().withoutRedis) - before.withoutRedis;

  // After the failover: a key deleted through the first instance's client, and a key id invalidated by the last
  // instance, are dropped by every instance, over the bus.
  const revocationMs: number[] = [];
  const [deleted, invalidated] = keys.cached as [{ key: string; keyId: string }, { key: string; keyId: string }];
  let since = Date.now();
  await service.client.keys.deleteKey({ keyId: deleted.keyId });
  revocationMs.push(await rejectedEverywhere(instances, deleted.key, since));
  // Deleted in the key service by a client no instance listens to: only the invalidation tells them.
  const unheard = new UnkeyClient({ rootKey: service.rootKey, baseUrl: service.url, retry: false });
  await unheard.keys.deleteKey({ keyId: invalidated.keyId });
  await unheard.close();
  since = Date.now();
  instances.at(-1)!.verifier.invalidateKeyId(invalidated.keyId);
  revocationMs.push(await rejectedEverywhere(instances, invalidated.key, since));
  await closeAll(instances);
  return {
    instances: instances.length,
    busesOnKilledPrimary,
    requests,
    requestsPerSecond: Math.round((requests / elapsed) * 1_000),
    duringFailover,
    withoutRedis,
    failoverMs,
    recoveredMs,
    revocationMs,
    failures,
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
