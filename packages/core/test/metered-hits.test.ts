import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '@keyguard/core';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { UnkeyClient, unkey } from '@keyguard/unkey';
import { registerSecret } from '../../../test/support/secrets.js';

// What the verifier's counters say about metered keys under batched metering: a request admitted from memory is a
// hit, like any answer memory gives; a metered key memory cannot admit (its budget at the margin) is a miss and
// nothing else.
describe('batched metering in the verifier’s counters', () => {
  let server: KeyServer;
  let client: UnkeyClient;
  let rootKey: string;
  let url: string;
  let apiId: string;

  // Set up inside the describe: a failing hook here fails these tests instead of skipping them.
  beforeAll(async () => {
    server = createKeyServer();
    rootKey = server.bootstrap().rootKey!;
    registerSecret(rootKey);
    ({ url } = await server.start());
    client = new UnkeyClient({ rootKey, baseUrl: url, retry: false });
    apiId = (await client.apis.createApi({ name: 'metered-hits' })).data.apiId;
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  async function meteredKey(credits: number): Promise<string> {
    const { key } = (await client.keys.createKey({ apiId, prefix: 'mh', credits: { remaining: credits } })).data;
    registerSecret(key);
    return key;
  }

  const verifierFor = () =>
    createVerifier({ provider: unkey({ rootKey, baseUrl: url }), metering: { mode: 'batched', maxBatch: 2 } });

  it('counts each request admitted from memory as a hit', async () => {
    const verifier = verifierFor();
    try {
      const key = await meteredKey(100);
      expect(await verifier.verify(key)).toMatchObject({ valid: true, source: 'upstream' });
      expect(verifier.stats()).toMatchObject({ hits: 0, misses: 1 });
      expect((await verifier.verify(key)).valid).toBe(true);
      expect(verifier.stats()).toMatchObject({ hits: 1, misses: 1, metering: { admitted: 1 } });
      expect(verifier.verifyCached(key)?.valid).toBe(true);
      expect(verifier.stats()).toMatchObject({ hits: 2, misses: 1, metering: { admitted: 2 } });
    } finally {
      await verifier.close();
    }
  });

  it('counts no hit for a metered key memory does not admit', async () => {
    const verifier = verifierFor();
    try {
      // Three credits: after the first answer two are left, not more than the margin (maxBatch, 2).
      const key = await meteredKey(3);
      await verifier.verify(key);
      expect(verifier.verifyCached(key)).toBeUndefined();
      expect((await verifier.verify(key)).source).toBe('upstream');
      expect(verifier.stats()).toMatchObject({ hits: 0, misses: 2, metering: { admitted: 0 } });
    } finally {
      await verifier.close();
    }
  });
});
