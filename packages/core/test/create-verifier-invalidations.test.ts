import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createVerifier } from '@keyguard/core';
import type { Fleet, KeyChange, KeyChangeSource, Provider, ProviderAnswer, Verifier } from '@keyguard/core';
import type { FleetMember, Invalidation } from '@keyguard/core/service';
import { registerSecret } from '../../../test/support/secrets.js';

// Where invalidations come from besides the verifier's own methods: a client's key changes and another instance of
// the fleet. Each drops what it names and nothing more, and an answer asked for before any of them is not kept.
const KEYS: Record<string, string> = {
  sk_inval_alpha_0001: 'key_alpha',
  sk_inval_bravo_0002: 'key_bravo',
  sk_inval_charlie_003: 'key_charlie',
};
const [ALPHA, BRAVO, CHARLIE] = Object.keys(KEYS) as [string, string, string];
registerSecret(ALPHA, BRAVO, CHARLIE);

/** A key store as a user might write one: it can hold its answers until the test lets them go. */
class HeldProvider implements Provider {
  readonly name = 'held';
  holding = false;
  calls = 0;
  private readonly held: (() => void)[] = [];

  async verify(key: string): Promise<ProviderAnswer> {
    this.calls += 1;
    if (this.holding) await new Promise<void>((resolve) => this.held.push(resolve));
    const id = KEYS[key];
    if (id === undefined) return { valid: false, code: 'NOT_FOUND', metered: false };
    const found = { id, provider: this.name, permissions: [], roles: [], meta: {}, enabled: true };
    return { valid: true, code: 'VALID', metered: false, keyId: id, key: found };
  }

  release(): void {
    this.holding = false;
    for (const resolve of this.held.splice(0)) resolve();
  }
}

/** A fleet of one: hands every miss to the provider, and keeps what the verifier gave it to drop with. */
class RecordingFleet implements Fleet {
  member: FleetMember | undefined;
  readonly published: Invalidation[] = [];

  join(member: FleetMember) {
    this.member = member;
    return {
      resolve: async (_digest: string, ask: () => Promise<ProviderAnswer>) => ({
        answer: await ask(),
        obtainedAt: Date.now(),
      }),
      publish: (invalidation: Invalidation) => void this.published.push(invalidation),
      leave: async () => undefined,
    };
  }

  drop(invalidation: Invalidation): void {
    this.member?.drop(invalidation);
  }
}

/** A client that reports key changes, as UnkeyClient and ClerkClient do. */
class ChangeSource implements KeyChangeSource {
  private readonly listeners = new Set<(change: KeyChange) => void>();
  onKeyChange(listener: (change: KeyChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(change: KeyChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

const verifiers: Verifier[] = [];
afterEach(async () => {
  await Promise.all(verifiers.splice(0).map((verifier) => verifier.close()));
});

function setup() {
  const provider = new HeldProvider();
  const fleet = new RecordingFleet();
  const client = new ChangeSource();
  const verifier = createVerifier({ provider, fleet, clients: [client], telemetry: false });
  verifiers.push(verifier);
  const warm = async (...keys: string[]) => {
    for (const key of keys) await verifier.verify(key);
  };
  const cached = (key: string) => verifier.verifyCached(key)?.source;
  return { provider, fleet, client, verifier, warm, cached };
}

const digestOf = (key: string) => createHash('sha256').update(key).digest('base64url');

describe("a client's key changes", () => {
  it("drop one key id's answers for a key change, and every answer for a change to an API or to all keys", async () => {
    const { client, warm, cached } = setup();
    await warm(ALPHA, BRAVO);
    client.emit({ keyId: 'key_alpha' });
    expect([cached(ALPHA), cached(BRAVO)]).toEqual([undefined, 'cache']);
    await warm(ALPHA);
    client.emit({ apiId: 'api_1' });
    expect([cached(ALPHA), cached(BRAVO)]).toEqual([undefined, undefined]);
    await warm(ALPHA, BRAVO);
    client.emit({ all: true });
    expect([cached(ALPHA), cached(BRAVO)]).toEqual([undefined, undefined]);
  });
});

describe("the fleet's invalidations", () => {
  it('drop from memory the digest, the key id, or everything they name, and are not published again', async () => {
    const { fleet, warm, cached } = setup();
    await warm(ALPHA, BRAVO, CHARLIE);
    fleet.drop({ digest: digestOf(ALPHA) });
    expect([cached(ALPHA), cached(BRAVO), cached(CHARLIE)]).toEqual([undefined, 'cache', 'cache']);
    fleet.drop({ keyId: 'key_bravo' });
    expect([cached(BRAVO), cached(CHARLIE)]).toEqual([undefined, 'cache']);
    fleet.drop({ all: true });
    expect(cached(CHARLIE)).toBeUndefined();
    expect(fleet.published).toEqual([]);
  });
});

type Setup = ReturnType<typeof setup>;
/** Two invalidations of other keys (or of all): whatever they are, together they name a time after the request. */
const pairs: [string, (parts: Setup) => void][] = [
  ['invalidate(key), then invalidateAll()', ({ verifier }) => (verifier.invalidate(BRAVO), verifier.invalidateAll())],
  [
    'invalidateKeyId(), then invalidateAll()',
    ({ verifier }) => (verifier.invalidateKeyId('key_bravo'), verifier.invalidateAll()),
  ],
  [
    'invalidateAll(), then invalidateKeyId()',
    ({ verifier }) => (verifier.invalidateAll(), verifier.invalidateKeyId('key_bravo')),
  ],
  [
    'a fleet drop, then invalidateAll()',
    ({ fleet, verifier }) => (fleet.drop({ all: true }), verifier.invalidateAll()),
  ],
  [
    'invalidateAll(), then a fleet drop',
    ({ fleet, verifier }) => (verifier.invalidateAll(), fleet.drop({ all: true })),
  ],
  [
    "a client's key change, then invalidateAll()",
    ({ client, verifier }) => (client.emit({ keyId: 'key_bravo' }), verifier.invalidateAll()),
  ],
];

describe('an answer asked for before an invalidation', () => {
  it.each(pairs)('is not kept after %s', async (_label, invalidate) => {
    const parts = setup();
    parts.provider.holding = true;
    const answer = parts.verifier.verify(ALPHA);
    invalidate(parts);
    parts.provider.release();
    expect(await answer).toMatchObject({ valid: true, source: 'upstream' });
    expect(parts.cached(ALPHA)).toBeUndefined();
  });

  it('is the only one not kept: answers asked for after the invalidations are', async () => {
    const { verifier, fleet, provider, warm, cached } = setup();
    verifier.invalidateKeyId('key_bravo');
    fleet.drop({ keyId: 'key_bravo' });
    await warm(ALPHA, BRAVO);
    expect([cached(ALPHA), cached(BRAVO)]).toEqual(['cache', 'cache']);
    expect(provider.calls).toBe(2);
  });
});
