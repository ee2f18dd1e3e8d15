import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSecret } from '../../../test/support/secrets.js';
import { startHarness, type Harness } from './helpers.js';

// keys.verifyKey remembers what it read of a key (store/memo.ts): each write path that changes what a verification
// answers is made right after a verification of the same key, and the very next verification must see it.
let h: Harness;
let apiId: string;
beforeAll(async () => {
  h = await startHarness();
  apiId = await h.createApi('verify-cache');
});
afterAll(() => h.stop());

const ok = async (operation: string, body: unknown) => {
  const answer = await h.call(operation, body);
  expect(answer.status, `${operation}: ${JSON.stringify(answer.body)}`).toBe(200);
  return answer.body.data;
};

/** A key verified once (so it is remembered), then changed by `change`; answers the next verification. */
async function verifiedThenChanged(
  fields: Record<string, unknown>,
  change: (key: { keyId: string; key: string }) => Promise<unknown>,
  request: Record<string, unknown> = {},
) {
  const key = await h.createKey(apiId, fields);
  expect((await h.verify({ key: key.key, ...request })).keyId).toBe(key.keyId);
  await change(key);
  return h.verify({ key: key.key, ...request });
}

describe('a remembered key: every write path is seen by the next verification', () => {
  it('updateKey: enabled, name, meta, expires, credits, rate limits', async () => {
    expect((await verifiedThenChanged({}, ({ keyId }) => ok('keys.updateKey', { keyId, enabled: false }))).code).toBe(
      'DISABLED',
    );
    const renamed = await verifiedThenChanged({ name: 'a', meta: { v: 1 } }, ({ keyId }) =>
      ok('keys.updateKey', { keyId, name: 'b', meta: { v: 2 } }),
    );
    expect(renamed).toMatchObject({ name: 'b', meta: { v: 2 } });
    expect(
      (
        await verifiedThenChanged({}, ({ keyId }) =>
          ok('keys.updateKey', { keyId, expires: Date.now() + 1000 }).then(() =>
            ok('keys.updateKey', { keyId, expires: Date.now() - 1 }),
          ),
        )
      ).code,
    ).toBe('EXPIRED');
    const credited = await verifiedThenChanged({ credits: { remaining: 5 } }, ({ keyId }) =>
      ok('keys.updateKey', { keyId, credits: { remaining: 1 } }),
    );
    expect(credited).toMatchObject({ code: 'VALID', credits: 0 });
    const limited = await verifiedThenChanged({}, ({ keyId }) =>
      ok('keys.updateKey', { keyId, ratelimits: [{ name: 'new', limit: 1, duration: 60_000, autoApply: true }] }),
    );
    expect(limited.ratelimits).toMatchObject([{ name: 'new', limit: 1, remaining: 0, exceeded: false }]);
  });

  it('updateCredits set, increment and decrement, and updateKey permissions and roles', async () => {
    const set = await verifiedThenChanged({ credits: { remaining: 10 } }, ({ keyId }) =>
      ok('keys.updateCredits', { keyId, operation: 'set', value: 3 }),
    );
    expect(set.credits).toBe(2);
    const increment = await verifiedThenChanged({ credits: { remaining: 10 } }, ({ keyId }) =>
      ok('keys.updateCredits', { keyId, operation: 'increment', value: 5 }),
    );
    expect(increment.credits).toBe(13);
    const decrement = await verifiedThenChanged({ credits: { remaining: 10 } }, ({ keyId }) =>
      ok('keys.updateCredits', { keyId, operation: 'decrement', value: 8 }),
    );
    expect(decrement).toMatchObject({ code: 'VALID', credits: 0 });
    const unlimited = await verifiedThenChanged({ credits: { remaining: 1 } }, ({ keyId }) =>
      ok('keys.updateCredits', { keyId, operation: 'set', value: null }),
    );
    expect(unlimited.code).toBe('VALID');
    expect(unlimited.credits).toBeUndefined();
    await ok('permissions.createRole', { name: 'cache-role' });
    const updated = await verifiedThenChanged({}, ({ keyId }) =>
      ok('keys.updateKey', { keyId, permissions: ['cache.p'], roles: ['cache-role'] }),
    );
    expect(updated).toMatchObject({ permissions: ['cache.p'], roles: ['cache-role'] });
  });

  it('deleteKey (soft and permanent) and rerollKey', async () => {
    for (const permanent of [false, true]) {
      const deleted = await verifiedThenChanged({}, ({ keyId }) => ok('keys.deleteKey', { keyId, permanent }));
      expect(deleted).toEqual({ valid: false, code: 'NOT_FOUND' });
    }
    let rerolled: { key: string; keyId: string } | undefined;
    const old = await verifiedThenChanged({}, async ({ keyId }) => {
      rerolled = await ok('keys.rerollKey', { keyId, expiration: 0 });
      registerSecret(rerolled!.key);
    });
    expect(old.code).not.toBe('VALID');
    expect((await h.verify({ key: rerolled!.key })).code).toBe('VALID');
  });

  it('permissions: add, remove, set; roles: add, remove, set; a deleted permission and a deleted role', async () => {
    const added = await verifiedThenChanged({}, ({ keyId }) =>
      ok('keys.addPermissions', { keyId, permissions: ['p.add'] }),
    );
    expect(added.permissions).toEqual(['p.add']);
    const removed = await verifiedThenChanged({ permissions: ['p.rm'] }, ({ keyId }) =>
      ok('keys.removePermissions', { keyId, permissions: ['p.rm'] }),
    );
    expect(removed.permissions).toBeUndefined();
    const set = await verifiedThenChanged({ permissions: ['p.old'] }, ({ keyId }) =>
      ok('keys.setPermissions', { keyId, permissions: ['p.new'] }),
    );
    expect(set.permissions).toEqual(['p.new']);
    await ok('permissions.createRole', { name: 'role-a', permissions: ['p.role'] });
    await ok('permissions.createRole', { name: 'role-b' });
    const roleAdded = await verifiedThenChanged({}, ({ keyId }) => ok('keys.addRoles', { keyId, roles: ['role-a'] }));
    expect(roleAdded).toMatchObject({ roles: ['role-a'], permissions: ['p.role'] });
    const roleRemoved = await verifiedThenChanged({ roles: ['role-a'] }, ({ keyId }) =>
      ok('keys.removeRoles', { keyId, roles: ['role-a'] }),
    );
    expect(roleRemoved.roles).toBeUndefined();
    const roleSet = await verifiedThenChanged({ roles: ['role-a'] }, ({ keyId }) =>
      ok('keys.setRoles', { keyId, roles: ['role-b'] }),
    );
    expect(roleSet.roles).toEqual(['role-b']);
    const permissionGone = await verifiedThenChanged({ permissions: ['p.gone'] }, () =>
      ok('permissions.deletePermission', { permission: 'p.gone' }),
    );
    expect(permissionGone.permissions).toBeUndefined();
    const roleGone = await verifiedThenChanged({ roles: ['role-b'] }, () =>
      ok('permissions.deleteRole', { role: 'role-b' }),
    );
    expect(roleGone.roles).toBeUndefined();
  });

  it('the identity: its meta and rate limits updated, the identity deleted, the key given another', async () => {
    const meta = await verifiedThenChanged({ externalId: 'cache-user-1' }, () =>
      ok('identities.updateIdentity', {
        identity: 'cache-user-1',
        meta: { plan: 'pro' },
        ratelimits: [{ name: 'shared', limit: 5, duration: 60_000, autoApply: true }],
      }),
    );
    expect(meta.identity).toMatchObject({ externalId: 'cache-user-1', meta: { plan: 'pro' } });
    expect(meta.ratelimits).toMatchObject([{ name: 'shared', limit: 5, remaining: 4 }]);
    const deleted = await verifiedThenChanged({ externalId: 'cache-user-2' }, () =>
      ok('identities.deleteIdentity', { identity: 'cache-user-2' }),
    );
    expect(deleted.identity).toBeUndefined();
    const moved = await verifiedThenChanged({ externalId: 'cache-user-3' }, ({ keyId }) =>
      ok('keys.updateKey', { keyId, externalId: 'cache-user-4' }),
    );
    expect(moved.identity).toMatchObject({ externalId: 'cache-user-4' });
  });

  it('the workspace disabled and enabled again, the API deleted', async () => {
    const disabled = await verifiedThenChanged({}, async () => h.server.setWorkspaceEnabled(false));
    h.server.setWorkspaceEnabled(true);
    expect(disabled.code).toBe('FORBIDDEN');
    const otherApi = await h.createApi('verify-cache-deleted');
    const key = await h.createKey(otherApi);
    expect((await h.verify({ key: key.key })).code).toBe('VALID');
    await ok('apis.deleteApi', { apiId: otherApi });
    expect(await h.verify({ key: key.key })).toEqual({ valid: false, code: 'NOT_FOUND' });
  });

  it('a key created after its hash was looked up unknown, and a revoked root key', async () => {
    expect((await h.verify({ key: 'sk_not_yet_there' })).code).toBe('NOT_FOUND');
    const created = await ok('keyguard.createRootKey', { permissions: ['api.*.verify_key'] });
    registerSecret(created.key);
    const key = await h.createKey(apiId);
    expect((await h.call('keys.verifyKey', { key: key.key }, created.key)).status).toBe(200);
    await ok('keyguard.deleteRootKey', { rootKeyId: created.rootKeyId });
    expect((await h.call('keys.verifyKey', { key: key.key }, created.key)).status).toBe(401);
  });
});
