import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, type Verifier } from '@keyguard/core';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { UnkeyApiError, UnkeyClient, unkey } from '@keyguard/unkey';
import { registerSecret } from '../support/secrets.js';

// UnkeyClient's identities, ratelimit and key-access operations against the local key service, with a verifier in
// the same process: every change made through the client that alters a key's answer must reach the next verify,
// even though the verifier caches valid answers for 10 s.
let server: KeyServer;
let client: UnkeyClient;
let verifier: Verifier;
let apiId: string;

beforeAll(async () => {
  server = createKeyServer();
  const rootKey = server.bootstrap().rootKey as string;
  registerSecret(rootKey);
  const { url } = await server.start();
  client = new UnkeyClient({ rootKey, baseUrl: url, retry: false });
  verifier = createVerifier({ provider: unkey({ rootKey, baseUrl: url }), clients: [client] });
  apiId = (await client.apis.createApi({ name: 'client-ops' })).data.apiId;
});
afterAll(async () => {
  await Promise.all([verifier.close(), client.close()]);
  await server.stop();
});

const newKey = async (fields: Omit<Parameters<UnkeyClient['keys']['createKey']>[0], 'apiId'> = {}) => {
  const { data } = await client.keys.createKey({ apiId, ...fields });
  registerSecret(data.key);
  return data;
};

/** Verifies twice: the second answer comes from the verifier's cache, as every later one would. */
const verifyCached = async (key: string) => {
  await verifier.verify(key);
  const cached = await verifier.verify(key);
  expect(cached.source).toBe('cache');
  return cached;
};

describe('UnkeyClient changes reach a verifier in the same process at once', () => {
  it('keys.addPermissions, removePermissions and setPermissions', async () => {
    const key = await newKey({ permissions: ['a'] });
    await verifyCached(key.key);
    expect(
      (await client.keys.addPermissions({ keyId: key.keyId, permissions: ['b'] })).data.map((entry) => entry.slug),
    ).toEqual(['a', 'b']);
    expect(await verifier.verify(key.key)).toMatchObject({
      valid: true,
      source: 'upstream',
      key: { permissions: ['a', 'b'] },
    });
    await verifyCached(key.key);
    await client.keys.removePermissions({ keyId: key.keyId, permissions: ['a'] });
    expect(await verifier.verify(key.key)).toMatchObject({ key: { permissions: ['b'] } });
    await verifyCached(key.key);
    await client.keys.setPermissions({ keyId: key.keyId, permissions: [] });
    expect(await verifier.verify(key.key)).toMatchObject({ key: { permissions: [] } });
  });

  it('keys.addRoles, removeRoles and setRoles', async () => {
    await client.permissions.createRole({ name: 'client.admin', permissions: ['admin'] });
    const key = await newKey();
    await verifyCached(key.key);
    expect((await client.keys.addRoles({ keyId: key.keyId, roles: ['client.admin'] })).data).toMatchObject([
      { name: 'client.admin', permissions: [{ slug: 'admin' }] },
    ]);
    expect(await verifier.verify(key.key)).toMatchObject({ key: { roles: ['client.admin'], permissions: ['admin'] } });
    await verifyCached(key.key);
    await client.keys.removeRoles({ keyId: key.keyId, roles: ['client.admin'] });
    expect(await verifier.verify(key.key)).toMatchObject({ key: { roles: [], permissions: [] } });
    await verifyCached(key.key);
    await client.keys.setRoles({ keyId: key.keyId, roles: ['client.admin'] });
    expect(await verifier.verify(key.key)).toMatchObject({ key: { roles: ['client.admin'] } });
  });

  it('keys.rerollKey: the old key stops at once with expiration 0, the new one verifies with the same permissions', async () => {
    const key = await newKey({ permissions: ['docs.read'] });
    await verifyCached(key.key);
    const { data: rerolled } = await client.keys.rerollKey({ keyId: key.keyId, expiration: 0 });
    registerSecret(rerolled.key);
    expect(await verifier.verify(key.key)).toMatchObject({ valid: false, code: 'EXPIRED' });
    expect(await verifier.verify(rerolled.key)).toMatchObject({
      valid: true,
      key: { id: rerolled.keyId, permissions: ['docs.read'] },
    });
  });

  it('permissions.deletePermission and deleteRole', async () => {
    await client.permissions.createRole({ name: 'client.viewer', permissions: ['view'] });
    const key = await newKey({ permissions: ['edit'], roles: ['client.viewer'] });
    await verifyCached(key.key);
    await client.permissions.deletePermission({ permission: 'edit' });
    expect(await verifier.verify(key.key)).toMatchObject({ key: { permissions: ['view'] } });
    await verifyCached(key.key);
    await client.permissions.deleteRole({ role: 'client.viewer' });
    expect(await verifier.verify(key.key)).toMatchObject({ key: { permissions: [], roles: [] } });
  });

  it('identities.updateIdentity and deleteIdentity', async () => {
    await client.identities.createIdentity({ externalId: 'client_org', meta: { plan: 'free' } });
    const key = await newKey({ externalId: 'client_org' });
    expect((await verifyCached(key.key)).key?.identity).toMatchObject({
      externalId: 'client_org',
      meta: { plan: 'free' },
    });
    await client.identities.updateIdentity({ identity: 'client_org', meta: { plan: 'pro' } });
    expect((await verifier.verify(key.key)).key?.identity).toMatchObject({ meta: { plan: 'pro' } });
    await verifyCached(key.key);
    expect(await client.identities.deleteIdentity({ identity: 'client_org' })).toMatchObject({ data: {} });
    expect((await verifier.verify(key.key)).key?.identity).toBeUndefined();
  });
});

describe('UnkeyClient identities, permissions and ratelimit groups', () => {
  it('pages every identity, permission and role', async () => {
    for (let index = 0; index < 5; index++) await client.identities.createIdentity({ externalId: `paged_${index}` });
    const externalIds: string[] = [];
    for await (const page of client.identities.listIdentitiesAll({ limit: 2, search: 'paged_' }))
      externalIds.push(...page.data.map((entry) => entry.externalId));
    expect(externalIds).toEqual(['paged_0', 'paged_1', 'paged_2', 'paged_3', 'paged_4']);
    const slugs: string[] = [];
    for await (const page of client.permissions.listPermissionsAll({ limit: 1 }))
      slugs.push(...page.data.map((entry) => entry.slug));
    expect(slugs.length).toBeGreaterThan(2);
    expect(
      (await client.permissions.getRole({ role: 'client.admin' })).data.permissions?.map((entry) => entry.slug),
    ).toEqual(['admin']);
    expect((await client.permissions.getPermission({ permission: 'admin' })).data.slug).toBe('admin');
  });

  it('sets, reads, lists and deletes overrides that change ratelimit.limit', async () => {
    const limit = (identifier: string) =>
      client.ratelimit.limit({ namespace: 'client.ns', identifier, limit: 1, duration: 60_000 });
    expect((await limit('a')).data.success).toBe(true);
    const { data: override } = await client.ratelimit.setOverride({
      namespace: 'client.ns',
      identifier: 'team_*',
      limit: 5,
      duration: 60_000,
    });
    expect((await limit('team_1')).data).toMatchObject({ success: true, limit: 5, overrideId: override.overrideId });
    expect((await client.ratelimit.getOverride({ namespace: 'client.ns', identifier: 'team_*' })).data.limit).toBe(5);
    expect((await client.ratelimit.listOverrides({ namespace: 'client.ns' })).data).toHaveLength(1);
    await client.ratelimit.deleteOverride({ namespace: 'client.ns', identifier: 'team_*' });
    await expect(client.ratelimit.getOverride({ namespace: 'client.ns', identifier: 'team_*' })).rejects.toMatchObject({
      code: 'UNKEY_NOT_FOUND',
    });
  });

  it('maps the new operations errors to UnkeyApiError codes', async () => {
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 'ok',
        (error: unknown) => (error instanceof UnkeyApiError ? error.code : 'other'),
      );
    expect(await codeOf(client.identities.getIdentity({ identity: 'nobody' }))).toBe('UNKEY_NOT_FOUND');
    expect(await codeOf(client.identities.deleteIdentity({ identity: 'nobody' }))).toBe('UNKEY_NOT_FOUND');
    await client.identities.createIdentity({ externalId: 'twice' });
    expect(await codeOf(client.identities.createIdentity({ externalId: 'twice' }))).toBe('UNKEY_CONFLICT');
    expect(await codeOf(client.keys.addPermissions({ keyId: 'key_x', permissions: [] }))).toBe('UNKEY_BAD_REQUEST');
    expect(
      await codeOf(
        client.ratelimit.setOverride({ namespace: 'never.used', identifier: 'x', limit: 1, duration: 1000 }),
      ),
    ).toBe('UNKEY_NOT_FOUND');
  });
});
