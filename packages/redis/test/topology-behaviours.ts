import { expect, it, type TestContext } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createVerifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { invalidateFleet, redisFleet } from '../src/index.js';
import { closeAll, providerCalls, SECRET, type Instance, type KeyService } from './fleet-helpers.js';
import { forgetStartedInstances, startInstancesOn, type Topology } from './topology-helpers.js';

/** What the behaviours run against: undefined when the topology could not start here (the tests then skip). */
export interface Setup {
  topology: Topology | undefined;
  service: KeyService;
}

/** Every instance has the key in memory. */
async function warm(instances: Instance[], key: string): Promise<void> {
  for (const instance of instances) await instance.verifier.verify(key);
  for (const instance of instances) expect(instance.verifier.verifyCached(key)?.valid).toBe(true);
}

type Behaviour = (topology: Topology, service: KeyService) => Promise<void>;

/**
 * The fleet's main behaviours, each as it is checked on one standalone Redis in this package's other test files,
 * here written once and run on every topology (`cluster.test.ts`, `sentinel.test.ts`, `topologies.test.ts`).
 */
const BEHAVIOURS: [string, Behaviour][] = [
  [
    'a new key verified by 3 instances × 10 concurrent requests costs one provider call; the others share its answer',
    async (topology, service) => {
      const instances = await startInstancesOn(topology, 3, service);
      const { key, keyId } = await service.createKey();
      const results = await Promise.all(
        instances.flatMap((instance) => Array.from({ length: 10 }, () => instance.verifier.verify(key))),
      );
      expect(results.every((result) => result.valid && result.key.id === keyId)).toBe(true);
      const stats = JSON.stringify(instances.map((instance) => instance.fleet.stats()));
      expect(providerCalls(instances), stats).toBe(1);
      const sharedHits = instances.reduce((sum, instance) => sum + instance.fleet.stats().sharedHits, 0);
      expect(sharedHits).toBe(2);
      await closeAll(instances);
    },
  ],
  [
    "an instance answers from another's shared answer, then from its own memory",
    async (topology, service) => {
      const [first, second] = (await startInstancesOn(topology, 2, service)) as [Instance, Instance];
      const { key } = await service.createKey({ permissions: ['docs.read'] });
      expect((await first.verifier.verify(key)).source).toBe('upstream');
      expect(await second.verifier.verify(key)).toMatchObject({ valid: true, key: { permissions: ['docs.read'] } });
      expect(second.provider.calls, JSON.stringify(second.fleet.stats())).toBe(0);
      expect(second.fleet.stats().sharedHits).toBe(1);
      expect(second.verifier.verifyCached(key)?.source).toBe('cache');
      await closeAll([first, second]);
    },
  ],
  [
    "a key deleted through one instance's client is rejected by every instance, and the shared cache forgets it",
    async (topology, service) => {
      const [first] = await startInstancesOn(topology, 1, service, { clients: [service.client] });
      const others = await startInstancesOn(topology, 2, service, { prefix: first!.prefix });
      const instances = [first!, ...others];
      const { key, keyId } = await service.createKey();
      await warm(instances, key);
      const received = others.map((instance) => instance.nextInvalidation());
      await service.client.keys.deleteKey({ keyId });
      expect((await Promise.all(received)).map((event) => event.kind)).toEqual(['keyId', 'keyId']);
      for (const instance of instances) {
        expect(instance.verifier.verifyCached(key)).toBeUndefined();
        expect((await instance.verifier.verify(key)).code).toBe('NOT_FOUND');
      }
      await closeAll(instances);
    },
  ],
  [
    'invalidate(key), invalidateAll and invalidateFleet (through a client of this topology) reach every instance',
    async (topology, service) => {
      const instances = await startInstancesOn(topology, 3, service);
      const [first, second, third] = instances as [Instance, Instance, Instance];
      const keys = [await service.createKey(), await service.createKey(), await service.createKey()];
      for (const { key } of keys) await warm(instances, key);
      let received = [second.nextInvalidation(), third.nextInvalidation()];
      first.verifier.invalidate(keys[0]!.key);
      expect((await Promise.all(received)).map((event) => event.kind)).toEqual(['digest', 'digest']);
      for (const instance of instances) expect(instance.verifier.verifyCached(keys[0]!.key)).toBeUndefined();
      expect(third.verifier.verifyCached(keys[1]!.key)?.valid).toBe(true);

      received = instances.map((instance) => instance.nextInvalidation());
      const seq = await invalidateFleet({ keyId: keys[1]!.keyId }, { redis: topology.target(), prefix: first.prefix });
      expect(seq).toBeGreaterThan(0);
      await Promise.all(received);
      for (const instance of instances) expect(instance.verifier.verifyCached(keys[1]!.key)).toBeUndefined();

      received = [first.nextInvalidation(), second.nextInvalidation()];
      third.verifier.invalidateAll();
      await Promise.all(received);
      for (const instance of instances) expect(instance.verifier.verifyCached(keys[2]!.key)).toBeUndefined();
      await closeAll(instances);
    },
  ],
  [
    "batched metering: each instance reads the others' unconfirmed admissions of a key from the shared counts",
    async (topology, service) => {
      // Nothing settles meanwhile (a long maxDelayMs, a large batch): the counts stay as admitted.
      const prefix = `m${randomBytes(4).toString('hex')}`;
      const instances = Array.from({ length: 2 }, () => {
        const fleet = redisFleet({ redis: topology.target(), secret: SECRET, prefix, timeoutMs: 2_000 });
        const provider = unkey({ rootKey: service.rootKey, baseUrl: service.url });
        return {
          fleet,
          verifier: createVerifier({
            provider,
            fleet,
            metering: { mode: 'batched', maxBatch: 50, maxDelayMs: 60_000 },
          }),
        };
      });
      const [first, second] = instances as [(typeof instances)[0], (typeof instances)[0]];
      await Promise.all(instances.map((instance) => instance.fleet.ready()));
      const { key } = await service.createKey({ credits: { remaining: 1_000 } });
      for (const instance of instances) expect((await instance.verifier.verify(key)).valid).toBe(true);
      for (let index = 0; index < 7; index++) expect(first.verifier.verifyCached(key)?.valid).toBe(true);
      for (let index = 0; index < 2; index++) expect(second.verifier.verifyCached(key)?.valid).toBe(true);
      // Each writes its count, then reads the other's as written.
      for (let pass = 0; pass < 2; pass++) await Promise.all(instances.map((instance) => instance.fleet.flush()));
      expect(first.fleet.stats().metering).toMatchObject({ budgets: 1, othersUnconfirmed: 2 });
      expect(second.fleet.stats().metering).toMatchObject({ budgets: 1, othersUnconfirmed: 7 });
      await Promise.all(instances.map((instance) => instance.verifier.close()));
    },
  ],
];

/**
 * Registers the behaviours for the topology `setup()` gives once the file's `beforeAll` has run. `retry` is for
 * Cluster and Sentinel: their own failure detection (a node or primary silent for 2 s) can, on a machine loaded by the
 * whole suite, move the primary in the middle of a behaviour; the fleet then rightly asks the key service, and the
 * exact call counts these tests pin no longer hold. A behaviour that fails twice fails.
 */
export function fleetBehaviours(setup: () => Setup, options: { retry?: number } = {}): void {
  for (const [title, behaviour] of BEHAVIOURS) {
    it(title, { retry: options.retry ?? 0 }, async (context: TestContext) => {
      const { topology, service } = setup();
      if (!topology) return context.skip();
      let passed = false;
      try {
        await behaviour(topology, service);
        passed = true;
      } finally {
        // A behaviour that failed leaves its instances open; a retry must not run beside them.
        await forgetStartedInstances(!passed);
      }
    });
  }
}
