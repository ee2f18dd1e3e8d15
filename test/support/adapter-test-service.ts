import { afterAll, beforeEach } from 'vitest';
import type { Verifier } from '@keyguard/core';
import { FakeUnkey, type FakeKey } from './fake-unkey.js';
import { verifierFor, type CoreBuild } from './provider-config.js';

/** The keys most adapter tests give the fake service, by role. */
export const STANDARD_KEYS = {
  reader: { keyId: 'key_reader', name: 'reader', permissions: ['docs.read'] },
  writer: { keyId: 'key_writer', name: 'writer', permissions: ['docs.read', 'docs.write'] },
  /** One request per 60 s. */
  limited: { keyId: 'key_limited', permissions: [], ratelimit: { name: 'requests', limit: 1, duration: 60_000 } },
  /** 100 credits. */
  metered: { keyId: 'key_metered', permissions: [], credits: 100 },
} satisfies Record<string, FakeKey>;

/**
 * The key service of an adapter test file: a FakeUnkey started now (call it with top-level await) and a verifier on
 * it with a deadline no loaded machine reaches on loopback (no adapter test is about one), from `build` (Node's core by default), both closed after the file. Before each test the
 * fault is cleared and `keys` (key → record) are put back as given, credits and all, so a test may spend them freely.
 */
export async function useFakeUnkeyService(
  keys: Record<string, FakeKey>,
  build?: CoreBuild,
): Promise<{ fake: FakeUnkey; verifier: Verifier }> {
  const fake = await new FakeUnkey().start();
  const verifier = verifierFor({ kind: 'unkey', baseUrl: fake.url, rootKey: fake.rootKey, timeoutMs: 15_000 }, build);
  afterAll(async () => {
    await verifier.close();
    await fake.stop();
  });
  beforeEach(() => {
    fake.fault = { kind: 'none' };
    for (const [key, record] of Object.entries(keys)) fake.add(key, structuredClone(record));
  });
  return { fake, verifier };
}
