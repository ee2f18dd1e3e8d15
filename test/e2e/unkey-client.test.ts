import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnkeyApiError, UnkeyClient, unkey } from '@keyguard/unkey';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { registerSecret } from '../support/secrets.js';

// core's UnkeyClient and unkey() provider against a started local key server, over real HTTP on loopback.
let server: KeyServer;
let client: UnkeyClient;
let rootKey: string;
let url: string;

beforeAll(async () => {
  server = createKeyServer();
  rootKey = server.bootstrap().rootKey as string;
  registerSecret(rootKey);
  url = (await server.start()).url;
  client = new UnkeyClient({ rootKey, baseUrl: url, retry: false });
});
afterAll(async () => {
  await client.close();
  await server.stop();
});

describe('UnkeyClient against the local server', () => {
  it('runs the API and key lifecycle', async () => {
    const { data: api } = await client.apis.createApi({ name: 'e2e-client' });
    expect((await client.apis.getApi({ apiId: api.apiId })).data).toEqual({ id: api.apiId, name: 'e2e-client' });
    const { data: created } = await client.keys.createKey({
      apiId: api.apiId,
      prefix: 'e2e',
      externalId: 'user_1',
      permissions: ['read'],
      credits: { remaining: 2 },
    });
    registerSecret(created.key);
    const verified = await client.keys.verifyKey({ key: created.key, permissions: 'read' });
    expect(verified.data).toMatchObject({ valid: true, code: 'VALID', keyId: created.keyId, credits: 1 });
    expect((await client.keys.getKey({ keyId: created.keyId })).data.identity?.externalId).toBe('user_1');
    expect((await client.keys.whoami({ key: created.key })).data.keyId).toBe(created.keyId);
    await client.keys.updateKey({ keyId: created.keyId, name: 'renamed' });
    expect(
      (await client.keys.updateCredits({ keyId: created.keyId, operation: 'increment', value: 5 })).data.remaining,
    ).toBe(6);
    await client.keys.deleteKey({ keyId: created.keyId });
    expect((await client.keys.verifyKey({ key: created.key })).data).toEqual({ valid: false, code: 'NOT_FOUND' });
    await expect(client.keys.getKey({ keyId: created.keyId })).rejects.toMatchObject({ code: 'UNKEY_NOT_FOUND' });
    await client.apis.deleteApi({ apiId: api.apiId });
  });

  it('pages over 250 keys with listKeysAll', async () => {
    const { data: api } = await client.apis.createApi({ name: 'e2e-pages' });
    const ids: string[] = [];
    for (let index = 0; index < 250; index++) {
      const { data } = await client.keys.createKey({ apiId: api.apiId });
      registerSecret(data.key);
      ids.push(data.keyId);
    }
    const seen: string[] = [];
    let pages = 0;
    for await (const page of client.apis.listKeysAll({ apiId: api.apiId, limit: 100 })) {
      pages++;
      seen.push(...page.data.map((key) => key.keyId));
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
  });

  it('maps every error status to an UnkeyApiError with the server status', async () => {
    const { data: api } = await client.apis.createApi({ name: 'e2e-errors' });
    const statusOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 200,
        (error: unknown) => (error instanceof UnkeyApiError ? error.status : -1),
      );
    expect(await statusOf(client.apis.createApi({ name: '9-starts-with-digit' }))).toBe(400);
    expect(await statusOf(client.apis.createApi({ name: 'e2e-errors' }))).toBe(409);
    expect(await statusOf(client.apis.getApi({ apiId: 'api_missing' }))).toBe(404);
    server.setDeleteProtection(api.apiId, true);
    expect(await statusOf(client.apis.deleteApi({ apiId: api.apiId }))).toBe(412);
    const stranger = new UnkeyClient({ rootKey: 'kgroot_not_known_anywhere_00', baseUrl: url, retry: false });
    registerSecret('kgroot_not_known_anywhere_00');
    expect(await statusOf(stranger.apis.getApi({ apiId: api.apiId }))).toBe(401);
    await stranger.close();
    const reader = server.createRootKey(['api.*.read_api']);
    registerSecret(reader);
    const limited = new UnkeyClient({ rootKey: reader, baseUrl: url, retry: false });
    expect(await statusOf(limited.apis.getApi({ apiId: api.apiId }))).toBe(200);
    expect(await statusOf(limited.keys.createKey({ apiId: api.apiId }))).toBe(403);
    await limited.close();
  });
});

describe('unkey() provider against the local server', () => {
  it('verifies valid, unknown and deleted keys', async () => {
    const { data: api } = await client.apis.createApi({ name: 'e2e-provider' });
    const { data: created } = await client.keys.createKey({ apiId: api.apiId, permissions: ['docs.read'] });
    registerSecret(created.key);
    const provider = unkey({ rootKey, baseUrl: url });
    const valid = await provider.verify(created.key);
    expect(valid).toMatchObject({ valid: true, code: 'VALID' });
    expect((await provider.verify('not_a_key_we_know_about')).valid).toBe(false);
    await client.apis.deleteApi({ apiId: api.apiId });
    expect(await provider.verify(created.key)).toMatchObject({ valid: false, code: 'NOT_FOUND' });
    await provider.close?.();
  });
});
