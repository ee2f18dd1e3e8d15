import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootKeyWith, startHarness, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ secret: 'test-secret' });
});
afterAll(() => h.stop());

describe('apis.createApi', () => {
  it("follows keyguard's name rules: 3..255, starts with a letter, letters/digits/_/./-", async () => {
    for (const name of ['abc', 'payment-service-production', 'a.b_c-d9', `a${'b'.repeat(254)}`]) {
      const answer = await h.call('apis.createApi', { name });
      expect(answer.status, name).toBe(200);
      expect(answer.body.data.apiId).toMatch(/^api_[A-Za-z0-9]+$/);
    }
    for (const name of ['ab', `a${'b'.repeat(255)}`, '1abc', '_abc', '-abc', 'has space', 'emoji😀', 'slash/no', '']) {
      const answer = await h.call('apis.createApi', { name });
      expect(answer.status, name).toBe(400);
      expect(answer.body.error.errors[0].location).toBe('body.name');
    }
  });

  it('names are unique in the workspace (409), and free again once the API is deleted', async () => {
    const first = await h.call('apis.createApi', { name: 'unique-name' });
    expect(first.status).toBe(200);
    const again = await h.call('apis.createApi', { name: 'unique-name' });
    expect(again.status).toBe(409);
    expect(again.body.error.type).toMatch(/api_already_exists$/);
    await h.call('apis.deleteApi', { apiId: first.body.data.apiId });
    expect((await h.call('apis.createApi', { name: 'unique-name' })).status).toBe(200);
  });
});

describe('apis.getApi / deleteApi', () => {
  it('gets {id, name}; 404 for unknown or deleted', async () => {
    const apiId = await h.createApi('get-me');
    expect((await h.call('apis.getApi', { apiId })).body.data).toEqual({ id: apiId, name: 'get-me' });
    expect((await h.call('apis.getApi', { apiId: 'api_missing' })).status).toBe(404);
    expect((await h.call('apis.deleteApi', { apiId })).body.data).toEqual({});
    expect((await h.call('apis.getApi', { apiId })).status).toBe(404);
    expect((await h.call('apis.deleteApi', { apiId })).status).toBe(404);
  });

  it('delete protection: 412', async () => {
    const apiId = await h.createApi();
    h.server.setDeleteProtection(apiId, true);
    const answer = await h.call('apis.deleteApi', { apiId });
    expect(answer.status).toBe(412);
    expect(answer.body.error.type).toBe('https://unkey.com/docs/errors/unkey/application/protected_resource');
    h.server.setDeleteProtection(apiId, false);
    expect((await h.call('apis.deleteApi', { apiId })).status).toBe(200);
  });

  it('every key of a deleted API verifies NOT_FOUND at once', async () => {
    const apiId = await h.createApi();
    const keys = await Promise.all([h.createKey(apiId), h.createKey(apiId)]);
    expect((await h.verify({ key: keys[0].key })).valid).toBe(true);
    await h.call('apis.deleteApi', { apiId });
    for (const { key, keyId } of keys) {
      expect(await h.verify({ key })).toEqual({ valid: false, code: 'NOT_FOUND' });
      expect((await h.call('keys.getKey', { keyId })).status).toBe(404);
    }
  });
});

describe('apis.listKeys', () => {
  it('pages over 250 keys by id with cursor and hasMore', async () => {
    const apiId = await h.createApi();
    const created: string[] = [];
    for (let index = 0; index < 250; index++) created.push((await h.createKey(apiId, { name: `k${index}` })).keyId);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const answer = await h.call('apis.listKeys', { apiId, limit: 100, ...(cursor ? { cursor } : {}) });
      expect(answer.status).toBe(200);
      pages++;
      seen.push(...answer.body.data.map((key: { keyId: string }) => key.keyId));
      cursor = answer.body.pagination.hasMore ? answer.body.pagination.cursor : undefined;
      if (answer.body.pagination.hasMore) expect(answer.body.pagination.cursor).toBe(created[seen.length]);
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...created].sort());
    expect(seen).toEqual(created);
  });

  it('defaults to 100 and validates limit 1..100', async () => {
    const apiId = await h.createApi();
    for (let index = 0; index < 3; index++) await h.createKey(apiId);
    const all = await h.call('apis.listKeys', { apiId });
    expect(all.body.data).toHaveLength(3);
    expect(all.body.pagination).toEqual({ hasMore: false });
    const one = await h.call('apis.listKeys', { apiId, limit: 1 });
    expect(one.body.data).toHaveLength(1);
    expect(one.body.pagination.hasMore).toBe(true);
    for (const limit of [0, 101, 1.5, '10']) expect((await h.call('apis.listKeys', { apiId, limit })).status).toBe(400);
  });

  it('filters by externalId; an unknown one yields an empty page', async () => {
    const apiId = await h.createApi();
    const alice = await h.createKey(apiId, { externalId: 'user_alice' });
    await h.createKey(apiId, { externalId: 'user_bob' });
    await h.createKey(apiId);
    const answer = await h.call('apis.listKeys', { apiId, externalId: 'user_alice' });
    expect(answer.body.data.map((key: { keyId: string }) => key.keyId)).toEqual([alice.keyId]);
    expect(answer.body.data[0].identity).toMatchObject({ externalId: 'user_alice', id: expect.stringMatching(/^id_/) });
    expect((await h.call('apis.listKeys', { apiId, externalId: 'nobody' })).body).toMatchObject({
      data: [],
      pagination: { hasMore: false },
    });
  });

  it('decrypt returns plaintext only for recoverable keys and only with decrypt_key', async () => {
    const apiId = await h.createApi();
    const recoverable = await h.createKey(apiId, { recoverable: true });
    const plain = await h.createKey(apiId);
    const answer = await h.call('apis.listKeys', { apiId, decrypt: true });
    const byId = new Map(answer.body.data.map((key: { keyId: string }) => [key.keyId, key]));
    expect(byId.get(recoverable.keyId)).toMatchObject({ plaintext: recoverable.key });
    expect(byId.get(plain.keyId)).not.toHaveProperty('plaintext');
    expect((await h.call('apis.listKeys', { apiId })).body.data.some((key: object) => 'plaintext' in key)).toBe(false);
    const reader = rootKeyWith(h, ['api.*.read_key', 'api.*.read_api']);
    expect((await h.call('apis.listKeys', { apiId }, reader)).status).toBe(200);
    expect((await h.call('apis.listKeys', { apiId, decrypt: true }, reader)).status).toBe(403);
    const decryptor = rootKeyWith(h, ['api.*.read_key', 'api.*.read_api', `api.${apiId}.decrypt_key`]);
    expect((await h.call('apis.listKeys', { apiId, decrypt: true }, decryptor)).body.data[0]).toHaveProperty(
      'plaintext',
    );
    expect((await h.call('keys.getKey', { keyId: recoverable.keyId, decrypt: true })).body.data.plaintext).toBe(
      recoverable.key,
    );
  });
});

describe('root-key permissions (403 in the envelope)', () => {
  it('enforces the permission of each endpoint, with api.*.x or api.<id>.x', async () => {
    const apiId = await h.createApi();
    const otherApi = await h.createApi();
    const { keyId, key } = await h.createKey(apiId);
    const none = rootKeyWith(h, []);
    const cases: [string, Record<string, unknown>][] = [
      ['apis.createApi', { name: 'forbidden-api' }],
      ['apis.getApi', { apiId }],
      ['apis.deleteApi', { apiId }],
      ['apis.listKeys', { apiId }],
      ['keys.createKey', { apiId }],
      ['keys.verifyKey', { key }],
      ['keys.getKey', { keyId }],
      ['keys.whoami', { key }],
      ['keys.deleteKey', { keyId }],
      ['keys.updateKey', { keyId, name: 'x' }],
      ['keys.updateCredits', { keyId, operation: 'set', value: 1 }],
      ['permissions.createPermission', { name: 'p', slug: 'p' }],
      ['permissions.createRole', { name: 'r' }],
      ['ratelimit.limit', { namespace: 'ns', identifier: 'u', limit: 1, duration: 1000 }],
    ];
    for (const [operation, body] of cases) {
      const answer = await h.call(operation, body, none);
      expect(answer.status, operation).toBe(403);
      expect(answer.body.error.type).toBe('https://unkey.com/docs/errors/unkey/authorization/insufficient_permissions');
      expect(JSON.stringify(answer.body)).not.toContain(key);
    }

    const scoped = rootKeyWith(h, [`api.${apiId}.read_api`, `api.${apiId}.create_key`, `api.${apiId}.verify_key`]);
    expect((await h.call('apis.getApi', { apiId }, scoped)).status).toBe(200);
    expect((await h.call('apis.getApi', { apiId: otherApi }, scoped)).status).toBe(403);
    expect((await h.call('keys.createKey', { apiId }, scoped)).status).toBe(200);
    expect((await h.call('keys.createKey', { apiId: otherApi }, scoped)).status).toBe(403);
    expect((await h.call('keys.verifyKey', { key }, scoped)).body.data.code).toBe('VALID');
    const otherKey = await h.createKey(otherApi);
    expect((await h.call('keys.verifyKey', { key: otherKey.key }, scoped)).body.data).toEqual({
      valid: false,
      code: 'NOT_FOUND',
    });

    const wildcard = rootKeyWith(h, ['api.*.read_api']);
    expect((await h.call('apis.getApi', { apiId: otherApi }, wildcard)).status).toBe(200);
    expect((await h.call('apis.listKeys', { apiId }, wildcard)).status).toBe(403);
  });
});
