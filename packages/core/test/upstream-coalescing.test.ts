import { afterEach, describe, expect, it } from 'vitest';
import { createVerifier } from '@keyguard/core';
import type { Provider, ProviderAnswer, Verifier, VerifierOptions } from '@keyguard/core';

// When concurrent requests for one key share one provider call, and when each gets its own: misses of a cached key
// share one (the answer is the same for all), while a verifier without a cache and a metered key (each request spends
// its own credit) send each request to the provider. The provider holds its answers until the test lets them go, so
// the requests are truly concurrent; the counts come from `stats()`.
const KEY = 'sk_coalesce_0001';

function answer(metered: boolean): ProviderAnswer {
  return {
    valid: true,
    code: 'VALID',
    metered,
    keyId: 'key_coalesce',
    key: {
      id: 'key_coalesce',
      provider: 'held',
      permissions: [],
      roles: [],
      meta: {},
      enabled: true,
      credits: metered ? 1_000 : undefined,
    },
  };
}

interface HeldProvider extends Provider {
  calls: number;
  /** The most calls that waited for an answer at one time. */
  mostAtOnce: number;
  waiting(): number;
  release(): void;
}

/** A provider whose answers wait for `release()`. */
function heldProvider(metered: boolean): HeldProvider {
  const gates: (() => void)[] = [];
  const provider: HeldProvider = {
    name: 'held',
    supportsCost: true,
    calls: 0,
    mostAtOnce: 0,
    waiting: () => gates.length,
    release: () => {
      for (const open of gates.splice(0)) open();
    },
    async verify(): Promise<ProviderAnswer> {
      provider.calls += 1;
      await new Promise<void>((resolve) => {
        gates.push(resolve);
        provider.mostAtOnce = Math.max(provider.mostAtOnce, gates.length);
      });
      return answer(metered);
    },
  };
  return provider;
}

const verifiers: Verifier[] = [];
afterEach(async () => {
  await Promise.all(verifiers.splice(0).map((verifier) => verifier.close()));
});

function verifierOver(provider: Provider, options: Partial<VerifierOptions> = {}): Verifier {
  const verifier = createVerifier({ provider, logger: { warn: () => {}, error: () => {} }, ...options });
  verifiers.push(verifier);
  return verifier;
}

/** Starts `count` verifications of KEY at once, lets the provider answer once they all wait, and gives the answers. */
async function concurrently(verifier: Verifier, provider: HeldProvider, count: number): Promise<unknown[]> {
  const answers = Array.from({ length: count }, () => verifier.verify(KEY));
  // Each call reaches the provider within a few turns of the event loop, and is held there until released.
  for (let turn = 0; turn < 20 && provider.waiting() < count; turn++)
    await new Promise((resolve) => setImmediate(resolve));
  provider.release();
  const settled = await Promise.all(answers);
  // A request that went to the provider after the others were answered is released too.
  while (provider.waiting() > 0) provider.release();
  return settled;
}

describe('concurrent requests for one key', () => {
  it('share one provider call when the key is not in memory yet', async () => {
    const provider = heldProvider(false);
    const verifier = verifierOver(provider);
    const answers = await concurrently(verifier, provider, 3);
    expect(answers).toEqual([
      expect.objectContaining({ valid: true }),
      expect.objectContaining({ valid: true }),
      expect.objectContaining({ valid: true }),
    ]);
    expect(verifier.stats()).toMatchObject({ misses: 3, upstreamCalls: 1, coalesced: 2 });
  });

  it('share one provider call with batched metering on, for a key that is not metered', async () => {
    const provider = heldProvider(false);
    const verifier = verifierOver(provider, { metering: { mode: 'batched' } });
    await concurrently(verifier, provider, 3);
    expect(verifier.stats()).toMatchObject({ misses: 3, upstreamCalls: 1, coalesced: 2 });
    expect(provider.calls).toBe(1);
  });

  it('each go to the provider when the verifier has no cache', async () => {
    const provider = heldProvider(false);
    const verifier = verifierOver(provider, { cache: false });
    const answers = await concurrently(verifier, provider, 3);
    expect(answers.every((verification) => (verification as { valid: boolean }).valid)).toBe(true);
    expect(verifier.stats()).toMatchObject({ misses: 3, upstreamCalls: 3, coalesced: 0 });
    expect(provider.mostAtOnce).toBe(3);
  });

  it('each go to the provider, side by side, for a key memory knows is metered (strict metering)', async () => {
    const provider = heldProvider(true);
    const verifier = verifierOver(provider);
    await concurrently(verifier, provider, 1);
    expect(verifier.stats()).toMatchObject({ upstreamCalls: 1, coalesced: 0 });
    await concurrently(verifier, provider, 3);
    expect(verifier.stats()).toMatchObject({ misses: 4, upstreamCalls: 4, coalesced: 0 });
    expect(provider.calls).toBe(4);
    expect(provider.mostAtOnce).toBe(3);
  });
});
