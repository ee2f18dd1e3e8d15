import { afterEach, describe, expect, it } from 'vitest';
import type { Provider, ProviderAnswer, Verifier } from '@keyguard/core';
import { nodeRuntime } from '../src/runtime/node.js';
import type { Runtime } from '../src/runtime/types.js';
import { createVerifierWith } from '../src/verifier/create-verifier.js';
import { registerSecret } from '../../../test/support/secrets.js';

// A runtime's digest may come at once or later (`Runtime.digest` returns a string or a promise, per call: Web
// Crypto's is always later; a runtime remembering the digests it computed would give some at once). While an
// invalidation's digest is still being computed, no verification may be answered from the entry it is about to drop.
// The runtime below holds each later digest until the test lets it come, so every order of arrival can be played.
const ALPHA = 'sk_hash_alpha_00001';
const BRAVO = 'sk_hash_bravo_00002';
registerSecret(ALPHA, BRAVO);

class HeldDigests {
  /** `now`: digests come at once; `soon`: on the next turn; `held`: when released. */
  mode: 'now' | 'soon' | 'held' = 'soon';
  private readonly held: (() => void)[] = [];
  readonly runtime: Runtime = {
    ...nodeRuntime,
    name: 'fetch',
    digest: (key) => {
      const digest = nodeRuntime.digest(key) as string;
      if (this.mode === 'now') return digest;
      if (this.mode === 'soon') return Promise.resolve(digest);
      return new Promise((resolve) => this.held.push(() => resolve(digest)));
    },
  };

  get waiting(): number {
    return this.held.length;
  }

  /** Lets the oldest held digest come. */
  releaseOldest(): void {
    this.held.shift()?.();
  }

  /** Lets every held digest come, the newest first, as each is asked for; resolves when none is left. */
  async releaseNewestFirst(): Promise<void> {
    await settle();
    while (this.held.length > 0) {
      this.held.pop()?.();
      await settle();
    }
  }
}

/** Lets every promise callback queued so far run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A key store knowing both keys. */
const provider: Provider = {
  name: 'hashing',
  verify: async (key): Promise<ProviderAnswer> => {
    const id = key === ALPHA ? 'key_alpha' : 'key_bravo';
    const found = { id, provider: 'hashing', permissions: [], roles: [], meta: {}, enabled: true };
    return { valid: true, code: 'VALID', metered: false, keyId: id, key: found };
  },
};

const verifiers: Verifier[] = [];
afterEach(async () => {
  await Promise.all(verifiers.splice(0).map((verifier) => verifier.close()));
});

async function warmVerifier(digests: HeldDigests, ...keys: string[]): Promise<Verifier> {
  const verifier = createVerifierWith(digests.runtime, { provider, telemetry: false });
  verifiers.push(verifier);
  for (const key of keys) await verifier.verify(key);
  for (const key of keys) expect((await verifier.verify(key)).source).toBe('cache');
  return verifier;
}

describe('an invalidation whose digest is still being computed', () => {
  it('holds back a verification of its key, even one whose own digest comes first', async () => {
    const digests = new HeldDigests();
    const verifier = await warmVerifier(digests, ALPHA);
    digests.mode = 'held';
    verifier.invalidate(ALPHA);
    const answer = verifier.verify(ALPHA);
    await digests.releaseNewestFirst();
    expect(await answer).toMatchObject({ valid: true, source: 'upstream' });
  });

  it('holds verifications back until every invalidation still hashing has dropped its entry', async () => {
    const digests = new HeldDigests();
    const verifier = await warmVerifier(digests, ALPHA, BRAVO);
    digests.mode = 'held';
    verifier.invalidate(ALPHA);
    verifier.invalidate(BRAVO);
    digests.releaseOldest();
    await settle();
    const answer = verifier.verify(BRAVO);
    await digests.releaseNewestFirst();
    expect(await answer).toMatchObject({ valid: true, source: 'upstream' });
  });

  it('holds back verifications whose digest comes at once, and lets memory answer again once dropped', async () => {
    const digests = new HeldDigests();
    digests.mode = 'now';
    const verifier = await warmVerifier(digests, ALPHA);
    expect(verifier.verifyCached(ALPHA)?.source).toBe('cache');
    digests.mode = 'held';
    verifier.invalidate(ALPHA);
    digests.mode = 'now';
    expect(verifier.verifyCached(ALPHA)).toBeUndefined();
    const answer = verifier.verify(ALPHA);
    expect(digests.waiting).toBe(1);
    await digests.releaseNewestFirst();
    expect(await answer).toMatchObject({ valid: true, source: 'upstream' });
    expect(verifier.verifyCached(ALPHA)?.source).toBe('cache');
    expect((await verifier.verify(ALPHA)).source).toBe('cache');
  });

  it('leaves nothing for verifyCached to answer while digests come later', async () => {
    const digests = new HeldDigests();
    const verifier = await warmVerifier(digests, ALPHA);
    expect(verifier.verifyCached(ALPHA)).toBeUndefined();
    expect((await verifier.verify(ALPHA)).source).toBe('cache');
  });
});
