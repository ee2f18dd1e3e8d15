import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSecret } from '../../../test/support/secrets.js';
import { startHarness, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ secret: 'test-secret' });
});
afterAll(() => h.stop());

describe('apis.createApi conflict', () => {
  it("names the existing API's id in the 409, in Unkey's error shape", async () => {
    const apiId = await h.createApi('conflicting-name');
    const again = await h.call('apis.createApi', { name: 'conflicting-name' });
    expect(again.status).toBe(409);
    expect(Object.keys(again.body.error).sort()).toEqual(['detail', 'status', 'title', 'type']);
    expect(again.body.error.detail).toContain(apiId);
  });
});

describe('keyguard.listApis', () => {
  it('lists the live APIs the root key may read, with id, name and creation time', async () => {
    const kept = await h.createApi('listed-api');
    const gone = await h.createApi('deleted-api');
    await h.call('apis.deleteApi', { apiId: gone });
    const answer = await h.call('keyguard.listApis', {});
    expect(answer.status).toBe(200);
    const ids = answer.body.data.map((api: { id: string }) => api.id);
    expect(ids).toContain(kept);
    expect(ids).not.toContain(gone);
    expect(answer.body.data.find((api: { id: string }) => api.id === kept)).toMatchObject({ name: 'listed-api' });

    const narrow = h.server.createRootKey([`api.${kept}.read_api`]);
    registerSecret(narrow);
    expect((await h.call('keyguard.listApis', {}, narrow)).body.data.map((api: { id: string }) => api.id)).toEqual([
      kept,
    ]);
    const verifyOnly = h.server.createRootKey([`api.${kept}.verify_key`]);
    registerSecret(verifyOnly);
    expect((await h.call('keyguard.listApis', {}, verifyOnly)).status).toBe(403);
  });
});

describe('keyguard root keys', () => {
  it('creates a narrow root key (key shown once), lists it without the key, deletes it', async () => {
    const apiId = await h.createApi('narrow-target');
    const created = await h.call('keyguard.createRootKey', {
      name: 'verifier',
      permissions: [`api.${apiId}.verify_key`],
    });
    expect(created.status).toBe(200);
    const { rootKeyId, key } = created.body.data;
    registerSecret(key);
    expect(rootKeyId).toMatch(/^rk_/);

    const listed = await h.call('keyguard.listRootKeys', {});
    const entry = listed.body.data.find((rootKey: { id: string }) => rootKey.id === rootKeyId);
    expect(entry).toMatchObject({ name: 'verifier', permissions: [`api.${apiId}.verify_key`] });
    expect(typeof entry.createdAt).toBe('number');
    expect(JSON.stringify(listed.body)).not.toContain(key);

    // The narrow key verifies but may not manage: it reads its own permissions, nothing else.
    expect((await h.call('keyguard.getRootKey', {}, key)).body.data.permissions).toEqual([`api.${apiId}.verify_key`]);
    expect((await h.call('apis.deleteApi', { apiId }, key)).status).toBe(403);
    expect((await h.call('keyguard.listRootKeys', {}, key)).status).toBe(403);

    expect((await h.call('keyguard.deleteRootKey', { rootKeyId })).status).toBe(200);
    expect((await h.call('keyguard.getRootKey', {}, key)).status).toBe(401);
    expect((await h.call('keyguard.deleteRootKey', { rootKeyId })).status).toBe(404);
  });

  it('refuses unknown permissions (400) and permissions the creator lacks (403)', async () => {
    const bad = await h.call('keyguard.createRootKey', { permissions: ['api.x.verify'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors[0].location).toBe('body.permissions[0]');

    const creator = h.server.createRootKey(['rbac.*.create_root_key', 'api.*.verify_key']);
    registerSecret(creator);
    expect((await h.call('keyguard.createRootKey', { permissions: ['api.api_1.verify_key'] }, creator)).status).toBe(
      200,
    );
    const wider = await h.call('keyguard.createRootKey', { permissions: ['api.*.delete_api'] }, creator);
    expect(wider.status).toBe(403);
    expect(wider.body.error.detail).toContain('api.*.delete_api');
  });

  it('a root key cannot delete itself', async () => {
    const self = (await h.call('keyguard.getRootKey', {})).body.data.rootKeyId;
    expect((await h.call('keyguard.deleteRootKey', { rootKeyId: self })).status).toBe(400);
  });
});
