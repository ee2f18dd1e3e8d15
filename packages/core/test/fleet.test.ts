import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, createVerifier } from '@keyguard/core';
import type { Fleet, ProviderAnswer, Verifier } from '@keyguard/core';
import type { FleetAnswer, FleetMember, FleetMembership, Invalidation } from '@keyguard/core/service';
import { unkey } from '@keyguard/unkey';
import { FakeUnkey } from '../../../test/support/fake-unkey.js';

// The verifier's side of the fleet seam, with the smallest fleet there is: one process, answers kept in a Map.
// `@keyguard/redis` has the real one; this pins down when the verifier calls a fleet and what it does with it.
class InProcessFleet implements Fleet {
  readonly shared = new Map<string, FleetAnswer>();
  readonly published: Invalidation[] = [];
  resolves = 0;
  members: FleetMember[] = [];

  join(member: FleetMember): FleetMembership {
    this.members.push(member);
    return {
      resolve: async (digest: string, ask: () => Promise<ProviderAnswer>) => {
        this.resolves += 1;
        const known = this.shared.get(digest);
        if (known) return known;
        const answer = await ask();
        const obtained = { answer, obtainedAt: Date.now() };
        if (member.shareMs(answer, obtained.obtainedAt) > 0) this.shared.set(digest, obtained);
        return obtained;
      },
      publish: (invalidation: Invalidation) => {
        this.published.push(invalidation);
        for (const other of this.members) if (other !== member) other.drop(invalidation);
      },
      leave: async () => {
        this.members = this.members.filter((other) => other !== member);
      },
    };
  }
}

const VALID = 'sk_test_fleet_valid_01';
const METERED = 'sk_test_fleet_metered_02';
let fake: FakeUnkey;
const verifiers: Verifier[] = [];

function verifierIn(fleet: Fleet, freshMs = 10_000): Verifier {
  const verifier = createVerifier({
    provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url }),
    fleet,
    cache: { freshMs },
  });
  verifiers.push(verifier);
  return verifier;
}

beforeAll(async () => {
  fake = await new FakeUnkey().start();
  fake.add(VALID, { keyId: 'key_fleet', permissions: ['docs.read'] });
  fake.add(METERED, { keyId: 'key_metered', credits: 100 });
});
afterAll(() => fake.stop());
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(verifiers.splice(0).map((verifier) => verifier.close()));
});

describe('a verifier in a fleet', () => {
  it('asks the fleet on a memory miss only, once for concurrent misses', async () => {
    const fleet = new InProcessFleet();
    const [first, second] = [verifierIn(fleet), verifierIn(fleet)];
    await Promise.all([first.verify(VALID), first.verify(VALID), first.verify(VALID)]);
    expect(fleet.resolves).toBe(1);
    expect((await first.verify(VALID)).source).toBe('cache');
    expect(first.verifyCached(VALID)?.source).toBe('cache');
    expect(fleet.resolves).toBe(1);
    const shared = await second.verify(VALID);
    expect(shared).toMatchObject({ valid: true, source: 'upstream', key: { id: 'key_fleet' } });
    expect(fake.callsFor(VALID)).toBe(1);
    expect(fleet.resolves).toBe(2);
  });

  it("starts memory's windows when the fleet obtained the answer, not when it was handed over", async () => {
    const fleet = new InProcessFleet();
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    vi.setSystemTime(start);
    await verifierIn(fleet, 10_000).verify(VALID);
    vi.setSystemTime(start + 9_000);
    const late = verifierIn(fleet, 10_000);
    await late.verify(VALID);
    expect(late.verifyCached(VALID)?.source).toBe('cache');
    vi.setSystemTime(start + 10_500);
    expect(late.verifyCached(VALID)?.source).toBe('stale');
  });

  it('publishes every invalidation, and drops without publishing again what the fleet tells it', async () => {
    const fleet = new InProcessFleet();
    const [first, second] = [verifierIn(fleet), verifierIn(fleet)];
    const warm = async () => {
      await first.verify(VALID);
      await second.verify(VALID);
    };
    await warm();
    first.invalidate(VALID);
    expect(second.verifyCached(VALID)).toBeUndefined();
    fleet.shared.clear();
    await warm();
    first.invalidateKeyId('key_fleet');
    expect(second.verifyCached(VALID)).toBeUndefined();
    await warm();
    first.invalidateAll();
    expect(second.verifyCached(VALID)).toBeUndefined();
    expect(fleet.published).toEqual([{ digest: expect.any(String) }, { keyId: 'key_fleet' }, { all: true }]);
  });

  it('never shares a metered answer by default', async () => {
    const fleet = new InProcessFleet();
    await verifierIn(fleet).verify(METERED);
    await verifierIn(fleet).verify(METERED);
    expect(fake.callsFor(METERED)).toBe(2);
  });

  it('needs the cache, and leaves the fleet on close', async () => {
    const fleet = new InProcessFleet();
    expect(() =>
      createVerifier({ provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url }), fleet, cache: false }),
    ).toThrow(ConfigurationError);
    const verifier = createVerifier({ provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url }), fleet });
    expect(fleet.members).toHaveLength(1);
    await verifier.close();
    expect(fleet.members).toHaveLength(0);
  });
});
