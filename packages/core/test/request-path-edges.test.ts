import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createVerifier } from '@keyguard/core';
import type { Fleet, Provider, ProviderAnswer, VerificationEvent } from '@keyguard/core';
import type { Invalidation } from '@keyguard/core/service';
import { registerSecret } from '../../../test/support/secrets.js';

// A request's way through the verifier on the Node runtime: what the onVerification hook is told, answers without
// telemetry or without a cache, which invalidations reach the fleet, and how soon a memory hit is answered.
const KEY = 'sk_path_valid_00001';
const MALFORMED = 'sk path with spaces';
registerSecret(KEY);

const digestOf = (key: string) => createHash('sha256').update(key).digest('base64url');

/** A key store knowing KEY; each call takes `takesMs` on the (faked) clock. */
function provider(takesMs = 0): Provider {
  return {
    name: 'path',
    verify: async (key): Promise<ProviderAnswer> => {
      if (takesMs > 0) vi.setSystemTime(Date.now() + takesMs);
      if (key !== KEY) return { valid: false, code: 'NOT_FOUND', metered: false };
      const found = { id: 'key_path', provider: 'path', permissions: [], roles: [], meta: {}, enabled: true };
      return { valid: true, code: 'VALID', metered: false, keyId: 'key_path', key: found };
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the onVerification hook', () => {
  it("is told the key's digest, the answer, and how long it took, from the provider or from memory", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const events: VerificationEvent[] = [];
    const verifier = createVerifier({
      provider: provider(250),
      telemetry: false,
      hooks: { onVerification: (event) => void events.push(event) },
    });
    const fromProvider = await verifier.verify(KEY);
    const fromMemory = verifier.verifyCached(KEY);
    const again = await verifier.verify(KEY);
    expect(events).toEqual([
      { digest: digestOf(KEY), verification: fromProvider, durationMs: 250 },
      { digest: digestOf(KEY), verification: fromMemory, durationMs: 0 },
      { digest: digestOf(KEY), verification: again, durationMs: 0 },
    ]);
    expect(fromProvider.source).toBe('upstream');
    expect([fromMemory?.source, again.source]).toEqual(['cache', 'cache']);
    await verifier.close();
  });
});

describe('without telemetry or a cache', () => {
  it('refuses a malformed key without telemetry', async () => {
    const verifier = createVerifier({ provider: provider(), telemetry: false });
    const refused = { valid: false, code: 'INVALID_KEY_FORMAT', source: 'local' };
    expect(verifier.verifyCached(MALFORMED)).toEqual(refused);
    expect(await verifier.verify(MALFORMED)).toEqual(refused);
    await verifier.close();
  });

  it('takes every invalidation without a cache, and keeps asking the provider', async () => {
    const verifier = createVerifier({ provider: provider(), cache: false, telemetry: false });
    expect((await verifier.verify(KEY)).source).toBe('upstream');
    verifier.invalidate(KEY);
    verifier.invalidateKeyId('key_path');
    verifier.invalidateAll();
    expect((await verifier.verify(KEY)).source).toBe('upstream');
    expect(verifier.stats()).toMatchObject({ upstreamCalls: 2 });
    await verifier.close();
  });
});

describe('invalidations published to the fleet', () => {
  it('name the digest of a key that could be real, and nothing for one the pre-checks refuse', async () => {
    const published: Invalidation[] = [];
    const fleet: Fleet = {
      join: () => ({
        resolve: async (_digest, ask) => ({ answer: await ask(), obtainedAt: Date.now() }),
        publish: (invalidation) => void published.push(invalidation),
        leave: async () => undefined,
      }),
    };
    const verifier = createVerifier({ provider: provider(), fleet, telemetry: false });
    verifier.invalidate(MALFORMED);
    verifier.invalidate('x'.repeat(513));
    expect(published).toEqual([]);
    verifier.invalidate(KEY);
    expect(published).toEqual([{ digest: digestOf(KEY) }]);
    await verifier.close();
  });
});

describe('a memory hit', () => {
  it('comes back from verify() as a promise already settled: no hashing or other work is awaited', async () => {
    const verifier = createVerifier({ provider: provider(), telemetry: false });
    await verifier.verify(KEY);
    const order: string[] = [];
    const hit = verifier.verify(KEY).then((verification) => order.push(verification.source));
    const queuedAfter = Promise.resolve().then(() => order.push('queued after'));
    await Promise.all([hit, queuedAfter]);
    expect(order).toEqual(['cache', 'queued after']);
    await verifier.close();
  });
});
