import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, deny, type Verifier } from '@keyguard/core';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { UnkeyClient, unkey } from '@keyguard/unkey';
import { registerSecret } from '../../../test/support/secrets.js';

// A problem body's `requestId` names the key service's call that decided this very answer, so that a client can quote
// it. An answer served from memory was decided by an earlier call: it carries no requestId rather than repeat the id
// of another request's answer (two 429s with one requestId read as one request).
let server: KeyServer;
let client: UnkeyClient;
let verifier: Verifier;
let apiId: string;

beforeAll(async () => {
  server = createKeyServer();
  const rootKey = server.bootstrap().rootKey!;
  registerSecret(rootKey);
  const { url } = await server.start();
  client = new UnkeyClient({ rootKey, baseUrl: url, retry: false });
  apiId = (await client.apis.createApi({ name: 'deny-request-id' })).data.apiId;
  verifier = createVerifier({ provider: unkey({ rootKey, baseUrl: url }) });
});
afterAll(async () => {
  await verifier.close();
  await client.close();
  await server.stop();
});

async function createKey(fields: Omit<Parameters<UnkeyClient['keys']['createKey']>[0], 'apiId'>): Promise<string> {
  const { key } = (await client.keys.createKey({ apiId, ...fields })).data;
  registerSecret(key);
  return key;
}

async function deniedBodies(key: string, count: number) {
  const bodies = [];
  for (let index = 0; index < count; index++) {
    const verification = await verifier.verify(key);
    if (!verification.valid)
      bodies.push({ source: verification.source, body: deny({ reason: 'verification', verification }).body });
  }
  return bodies;
}

describe('requestId in problem bodies', () => {
  it('a rate limit: the 429 decided upstream names its call; the ones remembered after it name none', async () => {
    const key = await createKey({ ratelimits: [{ name: 'requests', limit: 1, duration: 60_000, autoApply: true }] });
    const denied = await deniedBodies(key, 4);
    expect(denied.map(({ source, body }) => [source, body.status])).toEqual([
      ['upstream', 429],
      ['cache', 429],
      ['cache', 429],
    ]);
    expect(denied[0]!.body.requestId).toMatch(/^req_/);
    expect(denied.slice(1).map(({ body }) => body.requestId)).toEqual([undefined, undefined]);
  });

  it('out of credits: the same for USAGE_EXCEEDED remembered as a negative answer', async () => {
    const key = await createKey({ credits: { remaining: 1 } });
    const denied = await deniedBodies(key, 3);
    expect(denied.map(({ body }) => body.code)).toEqual(['USAGE_EXCEEDED', 'USAGE_EXCEEDED']);
    expect(denied[0]!.body.requestId).toMatch(/^req_/);
    expect(denied[1]!.body.requestId).toBeUndefined();
  });

  it('every denial decided upstream carries its own call’s id', async () => {
    const ids = new Set<string>();
    for (let index = 0; index < 3; index++) {
      verifier.invalidateAll();
      const verification = await verifier.verify(`sk_unknown_${index}_0123456789`);
      expect(verification.source).toBe('upstream');
      ids.add(deny({ reason: 'verification', verification }).body.requestId as string);
    }
    expect(ids.size).toBe(3);
  });
});
