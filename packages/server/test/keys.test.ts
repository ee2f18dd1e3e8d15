import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers.js';

let h: Harness;
let apiId: string;
beforeAll(async () => {
  h = await startHarness();
  apiId = await h.createApi('keys-api');
  await h.call('permissions.createRole', { name: 'admin', permissions: ['admin.all', 'docs.read'] });
});
afterAll(() => h.stop());

describe('keys.createKey', () => {
  it('makes prefix_ + base58 keys of byteLength bytes and stores only the start', async () => {
    const { key, keyId } = await h.createKey(apiId, { prefix: 'sk_live', byteLength: 32 });
    expect(keyId).toMatch(/^key_/);
    expect(key).toMatch(/^sk_live_[1-9A-HJ-NP-Za-km-z]{40,44}$/);
    const got = (await h.call('keys.getKey', { keyId })).body.data;
    expect(got.start).toBe(key.slice(0, 'sk_live_'.length + 4));
    expect(JSON.stringify(got)).not.toContain(key);
    const bare = await h.createKey(apiId);
    expect(bare.key).toMatch(/^[1-9A-HJ-NP-Za-km-z]{20,22}$/);
  });

  it('validates prefix, byteLength, ratelimits, credits', async () => {
    const bad: Record<string, unknown>[] = [
      { prefix: 'has-dash' },
      { prefix: 'x'.repeat(17) },
      { byteLength: 15 },
      { byteLength: 256 },
      { ratelimits: [{ name: 'requests', limit: 1, duration: 999 }] },
      {
        ratelimits: [
          { name: 'requests', limit: 1, duration: 1000 },
          { name: 'requests', limit: 2, duration: 1000 },
        ],
      },
      { credits: { remaining: null, refill: { interval: 'daily', amount: 5 } } },
      { credits: { remaining: 5, refill: { interval: 'daily', amount: 5, refillDay: 3 } } },
      { credits: { remaining: 5, refill: { interval: 'weekly', amount: 5 } } },
      { permissions: ['has space'] },
      { expires: -1 },
      { enabled: 'yes' },
    ];
    for (const fields of bad)
      expect((await h.call('keys.createKey', { apiId, ...fields })).status, JSON.stringify(fields)).toBe(400);
    expect((await h.call('keys.createKey', { apiId: 'api_nope' })).status).toBe(404);
  });

  it('roles must exist (404); permissions are created when missing', async () => {
    const missing = await h.call('keys.createKey', { apiId, roles: ['ghost'] });
    expect(missing.status).toBe(404);
    expect(missing.body.error.type).toMatch(/role_not_found$/);
    const { keyId, key } = await h.createKey(apiId, { roles: ['admin'], permissions: ['billing.read', 'docs.read'] });
    const got = (await h.call('keys.getKey', { keyId })).body.data;
    expect(got.permissions).toEqual(['billing.read', 'docs.read']);
    expect(got.roles).toEqual(['admin']);
    const verified = await h.verify({ key });
    expect(verified.permissions).toEqual(['admin.all', 'billing.read', 'docs.read']);
    expect(verified.roles).toEqual(['admin']);
  });

  it('answers every field back through getKey and whoami', async () => {
    const expires = Date.now() + 3_600_000;
    const { keyId, key } = await h.createKey(apiId, {
      name: 'full',
      externalId: 'customer_1',
      meta: { plan: 'pro', nested: { a: [1, 2] } },
      expires,
      credits: { remaining: 50, refill: { interval: 'monthly', amount: 100, refillDay: 15 } },
      ratelimits: [{ name: 'requests', limit: 10, duration: 60_000, autoApply: true }],
      enabled: true,
    });
    const got = (await h.call('keys.getKey', { keyId })).body.data;
    expect(got).toMatchObject({
      keyId,
      name: 'full',
      enabled: true,
      meta: { plan: 'pro', nested: { a: [1, 2] } },
      expires,
      credits: { remaining: 50, refill: { interval: 'monthly', amount: 100, refillDay: 15 } },
      identity: { externalId: 'customer_1' },
      ratelimits: [
        { id: expect.stringMatching(/^rl_/), name: 'requests', limit: 10, duration: 60_000, autoApply: true },
      ],
      createdAt: expect.any(Number),
    });
    const who = await h.call('keys.whoami', { key });
    expect(who.body.data.keyId).toBe(keyId);
    const unknown = await h.call('keys.whoami', { key: 'sk_not_a_real_key_at_all' });
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).not.toContain('sk_not_a_real_key_at_all');
    expect((await h.call('keys.getKey', { keyId: 'key_missing' })).status).toBe(404);
  });

  it('externalId reuses the identity', async () => {
    const a = await h.createKey(apiId, { externalId: 'shared_user' });
    const b = await h.createKey(apiId, { externalId: 'shared_user' });
    const idA = (await h.call('keys.getKey', { keyId: a.keyId })).body.data.identity.id;
    const idB = (await h.call('keys.getKey', { keyId: b.keyId })).body.data.identity.id;
    expect(idA).toBe(idB);
  });
});

describe('keys.deleteKey', () => {
  it('soft and permanent deletes both make the key NOT_FOUND', async () => {
    const soft = await h.createKey(apiId);
    const hard = await h.createKey(apiId);
    expect((await h.call('keys.deleteKey', { keyId: soft.keyId })).body.data).toEqual({});
    expect((await h.call('keys.deleteKey', { keyId: hard.keyId, permanent: true })).body.data).toEqual({});
    for (const { key, keyId } of [soft, hard]) {
      expect(await h.verify({ key })).toEqual({ valid: false, code: 'NOT_FOUND' });
      expect((await h.call('keys.deleteKey', { keyId })).status).toBe(404);
    }
  });
});

describe('keys.updateKey', () => {
  it('omitted stays, null clears, roles and permissions replace', async () => {
    const { keyId, key } = await h.createKey(apiId, {
      name: 'before',
      meta: { a: 1 },
      expires: Date.now() + 60_000,
      externalId: 'upd_user',
      permissions: ['one', 'two'],
      credits: { remaining: 5 },
      ratelimits: [{ name: 'requests', limit: 5, duration: 1000 }],
    });
    expect(
      (await h.call('keys.updateKey', { keyId, name: 'after', permissions: ['three'], roles: ['admin'] })).status,
    ).toBe(200);
    let got = (await h.call('keys.getKey', { keyId })).body.data;
    expect(got).toMatchObject({
      name: 'after',
      meta: { a: 1 },
      permissions: ['three'],
      roles: ['admin'],
      credits: { remaining: 5 },
    });
    expect(got.identity.externalId).toBe('upd_user');
    expect(got.updatedAt).toEqual(expect.any(Number));

    await h.call('keys.updateKey', {
      keyId,
      meta: null,
      expires: null,
      externalId: null,
      credits: null,
      ratelimits: null,
      roles: [],
      permissions: null,
    });
    got = (await h.call('keys.getKey', { keyId })).body.data;
    for (const field of ['meta', 'expires', 'identity', 'credits', 'ratelimits', 'roles', 'permissions'])
      expect(got, field).not.toHaveProperty(field);
    expect(got.name).toBe('after');

    await h.call('keys.updateKey', { keyId, enabled: false });
    expect((await h.verify({ key })).code).toBe('DISABLED');
    await h.call('keys.updateKey', { keyId, enabled: true, expires: Date.now() - 1 });
    expect((await h.verify({ key })).code).toBe('EXPIRED');
    expect((await h.call('keys.updateKey', { keyId, roles: ['ghost'] })).status).toBe(404);
    expect((await h.call('keys.updateKey', { keyId, enabled: null })).status).toBe(400);
    expect((await h.call('keys.updateKey', { keyId: 'key_missing', name: 'x' })).status).toBe(404);
  });
});

describe('keys.updateKey credits', () => {
  // Unkey's UpdateCredits schema makes every field optional: an absent `remaining` leaves it as it is.
  it('without remaining (e.g. only a refill) keeps the remaining credits', async () => {
    const { keyId, key } = await h.createKey(apiId, { credits: { remaining: 7 } });
    const refill = await h.call('keys.updateKey', { keyId, credits: { refill: { interval: 'daily', amount: 10 } } });
    expect(refill.status, JSON.stringify(refill.body)).toBe(200);
    const credits = async () => (await h.call('keys.getKey', { keyId })).body.data.credits;
    expect(await credits()).toEqual({ remaining: 7, refill: { interval: 'daily', amount: 10 } });
    expect((await h.call('keys.updateKey', { keyId, credits: {} })).status).toBe(200);
    expect(await credits()).toEqual({ remaining: 7, refill: { interval: 'daily', amount: 10 } });
    expect((await h.call('keys.updateKey', { keyId, credits: { refill: null } })).status).toBe(200);
    expect(await credits()).toEqual({ remaining: 7 });
    expect((await h.verify({ key })).credits).toBe(6);
    expect((await h.call('keys.updateKey', { keyId, credits: { remaining: 2 } })).status).toBe(200);
    expect(await credits()).toEqual({ remaining: 2 });
  });

  it('keys.createKey still needs credits.remaining (Unkey: required there)', async () => {
    const answer = await h.call('keys.createKey', { apiId, credits: { refill: { interval: 'daily', amount: 10 } } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.errors[0]).toMatchObject({ location: 'body.credits.remaining', message: 'is required' });
  });
});

describe('keys.updateCredits', () => {
  it('set, increment, decrement (floored at 0), set null for unlimited', async () => {
    const { keyId, key } = await h.createKey(apiId, { credits: { remaining: 5 } });
    const update = async (operation: string, value?: number | null) =>
      (await h.call('keys.updateCredits', { keyId, operation, ...(value !== undefined ? { value } : {}) })).body;
    expect((await update('increment', 3)).data).toEqual({ remaining: 8 });
    expect((await update('decrement', 2)).data).toEqual({ remaining: 6 });
    expect((await update('decrement', 100)).data).toEqual({ remaining: 0 });
    expect((await h.verify({ key })).code).toBe('USAGE_EXCEEDED');
    expect((await update('set', 2)).data).toEqual({ remaining: 2 });
    expect((await h.verify({ key })).credits).toBe(1);
    expect((await update('set', null)).data).toEqual({ remaining: null });
    const unlimited = await h.verify({ key });
    expect(unlimited.code).toBe('VALID');
    expect(unlimited).not.toHaveProperty('credits');
    expect((await update('increment', 1)).error.status).toBe(400);
    expect((await update('increment')).error.status).toBe(400);
    expect((await update('set')).error.status).toBe(400);
    expect((await update('multiply', 2)).error.status).toBe(400);
  });
});

describe('permissions.createPermission / createRole', () => {
  it('creates, and answers 409 on duplicates', async () => {
    const created = await h.call('permissions.createPermission', {
      name: 'Read docs',
      slug: 'documents.read',
      description: 'read',
    });
    expect(created.body.data.permissionId).toMatch(/^perm_/);
    expect((await h.call('permissions.createPermission', { name: 'again', slug: 'documents.read' })).status).toBe(409);
    expect((await h.call('permissions.createPermission', { name: 'bad', slug: 'no spaces' })).status).toBe(400);
    const role = await h.call('permissions.createRole', { name: 'reader', permissions: ['documents.read'] });
    expect(role.body.data.roleId).toMatch(/^role_/);
    expect((await h.call('permissions.createRole', { name: 'reader' })).status).toBe(409);
  });
});
