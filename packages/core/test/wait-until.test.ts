import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKeyguard, createVerifier } from '@keyguard/core';
import type { Verifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { FakeUnkey } from '../../../test/support/fake-unkey.js';

// On serverless and edge platforms the process may be frozen once the response is sent: a background refresh must be
// handed to the platform's waitUntil, or it is cut off and the stale entry is never renewed.
const KEY = 'sk_wait_until_0001';

let fake: FakeUnkey;
const verifiers: Verifier[] = [];

beforeAll(async () => {
  fake = await new FakeUnkey().start();
  fake.add(KEY, { keyId: 'key_wait' });
});
afterAll(() => fake.stop());
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(verifiers.splice(0).map((verifier) => verifier.close()));
});

async function staleVerifier(options: { waitUntil?: (promise: Promise<unknown>) => void } = {}): Promise<Verifier> {
  vi.useFakeTimers({ toFake: ['Date'] });
  const verifier = createVerifier({
    provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url, timeoutMs: 15_000 }),
    cache: { freshMs: 1000 },
    ...options,
  });
  verifiers.push(verifier);
  await verifier.verify(KEY);
  vi.setSystemTime(Date.now() + 1500);
  return verifier;
}

describe('waitUntil', () => {
  it("hands the stale answer's background refresh to the verifier's waitUntil, once", async () => {
    const handed: Promise<unknown>[] = [];
    const verifier = await staleVerifier({ waitUntil: (promise) => handed.push(promise) });
    expect(await verifier.verify(KEY)).toMatchObject({ valid: true, source: 'stale' });
    expect(verifier.verifyCached(KEY)).toMatchObject({ source: 'stale' });
    expect(handed).toHaveLength(1);
    await handed[0];
    expect(await verifier.verify(KEY)).toMatchObject({ source: 'cache' });
  });

  it("prefers the request's own waitUntil, as adapters pass it, to the verifier's", async () => {
    const verifierLevel = vi.fn();
    const requestLevel = vi.fn();
    const verifier = await staleVerifier({ waitUntil: verifierLevel });
    const core = createKeyguard({ verifier });
    const outcome = await core.authenticate({ headers: { authorization: `Bearer ${KEY}` }, waitUntil: requestLevel });
    expect(outcome).toMatchObject({ allowed: true, verification: { source: 'stale' } });
    expect(requestLevel).toHaveBeenCalledTimes(1);
    expect(verifierLevel).not.toHaveBeenCalled();
  });

  it('is not called for fresh hits or misses', async () => {
    const waitUntil = vi.fn();
    const verifier = createVerifier({
      provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url, timeoutMs: 15_000 }),
      waitUntil,
    });
    verifiers.push(verifier);
    await verifier.verify(KEY);
    await verifier.verify(KEY);
    expect(waitUntil).not.toHaveBeenCalled();
  });
});
