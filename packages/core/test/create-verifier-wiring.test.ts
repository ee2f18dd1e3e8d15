import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '@keyguard/core';
import type { Fleet, Provider, ProviderAnswer } from '@keyguard/core';
import type { FleetMember } from '@keyguard/core/service';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { UnkeyClient, unkey } from '@keyguard/unkey';
import { registerSecret } from '../../../test/support/secrets.js';

// How createVerifier joins its parts as the options say: the key prefix, what stats() reports of memory, what a
// fleet is asked to share, and what batched metering's settlements spend at the key service.
const KNOWN = 'sk_wire_known_00001';
const OTHER_PREFIX = 'ak_wire_other_00002';
const UNKNOWN = 'sk_wire_unknown_0003';
registerSecret(KNOWN, OTHER_PREFIX, UNKNOWN);

/** A key store with a prefix of its own (`sk_`), knowing only KNOWN and OTHER_PREFIX, counting its calls. */
function prefixedProvider(): Provider & { calls: number } {
  const provider = {
    name: 'prefixed',
    keyPrefix: 'sk_',
    supportsCost: true,
    calls: 0,
    verify: async (key: string): Promise<ProviderAnswer> => {
      provider.calls += 1;
      if (key !== KNOWN && key !== OTHER_PREFIX) return { valid: false, code: 'NOT_FOUND', metered: false };
      const found = { id: `id_${key.slice(0, 2)}`, provider: 'prefixed', permissions: [], roles: [], meta: {} };
      return { valid: true, code: 'VALID', metered: false, keyId: found.id, key: { ...found, enabled: true } };
    },
  };
  return provider;
}

describe('the key prefix', () => {
  it("is the provider's own by default: a key without it is refused without a call", async () => {
    const provider = prefixedProvider();
    const verifier = createVerifier({ provider, telemetry: false });
    expect(await verifier.verify(OTHER_PREFIX)).toMatchObject({ code: 'INVALID_KEY_FORMAT', source: 'local' });
    expect(provider.calls).toBe(0);
    await verifier.close();
  });

  it('is not checked at all with keyPrefix: false, even though the provider names one', async () => {
    const provider = prefixedProvider();
    const verifier = createVerifier({ provider, keyPrefix: false, telemetry: false });
    expect(await verifier.verify(OTHER_PREFIX)).toMatchObject({ valid: true, source: 'upstream' });
    expect(await verifier.verify(KNOWN)).toMatchObject({ valid: true, source: 'upstream' });
    expect(provider.calls).toBe(2);
    await verifier.close();
  });
});

describe('stats()', () => {
  it('counts the answers and the refusals memory holds', async () => {
    const verifier = createVerifier({ provider: prefixedProvider(), telemetry: false });
    await verifier.verify(KNOWN);
    await verifier.verify(UNKNOWN);
    expect(verifier.stats()).toMatchObject({ entries: 1, negativeEntries: 1, misses: 2 });
    await verifier.close();
  });

  it('reports empty memory without a cache', async () => {
    const verifier = createVerifier({ provider: prefixedProvider(), cache: false, telemetry: false });
    await verifier.verify(KNOWN);
    await verifier.verify(UNKNOWN);
    expect(verifier.stats()).toMatchObject({ entries: 0, negativeEntries: 0, misses: 2 });
    await verifier.close();
  });
});

describe('what a verifier asks of its fleet', () => {
  /** The member a verifier with these metering options joins its fleet as. */
  async function memberFor(metering?: { mode: 'batched'; maxDelayMs: number } | { mode: 'strict' }) {
    let joined: FleetMember | undefined;
    const fleet: Fleet = {
      join: (member) => {
        joined = member;
        return {
          resolve: async (_digest, ask) => ({ answer: await ask(), obtainedAt: Date.now() }),
          publish: () => undefined,
          leave: async () => undefined,
        };
      },
    };
    const verifier = createVerifier({ provider: prefixedProvider(), fleet, telemetry: false, metering });
    await verifier.close();
    return joined;
  }

  it('shares metering counts, refreshed every quarter of maxDelayMs, when metering is batched', async () => {
    expect((await memberFor({ mode: 'batched', maxDelayMs: 100 }))?.metering).toEqual({ refreshMs: 25 });
  });

  it('shares no metering counts when metering is strict', async () => {
    expect((await memberFor({ mode: 'strict' }))?.metering).toBeUndefined();
    expect((await memberFor())?.metering).toBeUndefined();
  });
});

describe("batched metering's settlements, against the local key server", () => {
  let server: KeyServer;
  let client: UnkeyClient;
  let rootKey: string;
  let url: string;

  beforeAll(async () => {
    server = createKeyServer();
    rootKey = server.bootstrap().rootKey!;
    registerSecret(rootKey);
    ({ url } = await server.start());
    client = new UnkeyClient({ rootKey, baseUrl: url, retry: false });
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it('spend at the key service as many credits as requests were admitted from memory', async () => {
    const { apiId } = (await client.apis.createApi({ name: 'wiring' })).data;
    const { key, keyId } = (await client.keys.createKey({ apiId, prefix: 'wr', credits: { remaining: 100 } })).data;
    registerSecret(key);
    const verifier = createVerifier({
      provider: unkey({ rootKey, baseUrl: url }),
      metering: { mode: 'batched', maxBatch: 2 },
      telemetry: false,
    });
    expect(await verifier.verify(key)).toMatchObject({ valid: true, source: 'upstream' });
    for (let admitted = 0; admitted < 4; admitted += 1) expect((await verifier.verify(key)).valid).toBe(true);
    await verifier.close();
    expect(verifier.stats().metering).toMatchObject({ admitted: 4 });
    expect((await client.keys.getKey({ keyId })).data.credits?.remaining).toBe(95);
  });
});
