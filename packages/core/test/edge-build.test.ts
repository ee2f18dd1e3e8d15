import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '@keyguard/core/edge';
import { runtime as fetchRuntime } from '@keyguard/core/runtime-edge';
import { unkey } from '@keyguard/unkey';
import { FakeUnkey } from '../../../test/support/fake-unkey.js';
import { closedPortUrl } from '../../../test/support/loopback-server.js';

// The fetch build (edge runtimes) runs here on Node's own fetch and Web Crypto, against the same loopback fake.
const KEY = 'sk_edge_valid_key_1';
let fake: FakeUnkey;

beforeAll(async () => {
  fake = await new FakeUnkey().start();
  fake.add(KEY, { keyId: 'key_edge', permissions: ['docs.read'] });
});
afterAll(() => fake.stop());

// A deadline no loaded machine reaches on loopback; the test of a hanging service sets a short one.
function makeVerifier(baseUrl = fake.url, timeoutMs = 15_000) {
  return createVerifier({
    provider: unkey({ rootKey: fake.rootKey, baseUrl, timeoutMs, maxResponseBytes: 64 * 1024 }, fetchRuntime),
  });
}

describe('fetch build', () => {
  it('verifies, caches and coalesces like the Node build', async () => {
    const verifier = makeVerifier();
    fake.fault = { kind: 'delay', ms: 30 };
    const results = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(KEY)));
    expect(results.every((result) => result.valid && result.key?.id === 'key_edge')).toBe(true);
    expect(fake.callsFor(KEY)).toBe(1);
    expect(await verifier.verify(KEY)).toMatchObject({ source: 'cache' });
    verifier.invalidate(KEY);
    fake.fault = { kind: 'none' };
    expect(await verifier.verify(KEY)).toMatchObject({ source: 'upstream' });
    await verifier.close();
  });

  it.each([
    ['a timeout', { kind: 'hang' } as const],
    ['a non-JSON body', { kind: 'non-json' } as const],
    ['an oversized body', { kind: 'oversized', bytes: 128 * 1024 } as const],
    ['a reset mid-body', { kind: 'reset-mid-body' } as const],
  ])('fails closed on %s', async (_label, fault) => {
    const verifier = makeVerifier(fake.url, fault.kind === 'hang' ? 1_000 : 15_000);
    fake.fault = fault;
    expect(await verifier.verify('sk_edge_uncached_key')).toMatchObject({ valid: false, code: 'PROVIDER_UNAVAILABLE' });
    fake.fault = { kind: 'none' };
    await verifier.close();
  });

  it('fails closed when the connection is refused', async () => {
    const verifier = makeVerifier(await closedPortUrl());
    expect(await verifier.verify(KEY)).toMatchObject({ valid: false, code: 'PROVIDER_UNAVAILABLE' });
    await verifier.close();
  });
});
