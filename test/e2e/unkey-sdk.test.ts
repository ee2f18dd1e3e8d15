import type { IncomingMessage, ServerResponse } from 'node:http';
import { Unkey } from '@unkey/api';
import * as errors from '@unkey/api/models/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { LoopbackServer } from '../support/loopback-server.js';
import { registerSecret } from '../support/secrets.js';
import { callEach, UNKEY_OPERATIONS, type UnkeyOperation } from './sdk/unkey-operations.js';

// Unkey's own TypeScript SDK, unmodified, against the local key service: only its server URL is set. Every answer
// must pass the SDK's response schemas (a mismatch throws ResponseValidationError) and every error must arrive as
// the SDK's error class for its status. This suite is what "wire-compatible with Unkey" means for keyguard.

/** The local server behind a recorder of which operations answered 200, so the suite can prove it drove all 36. */
async function startRecorded(
  server: KeyServer,
): Promise<{ url: string; succeeded: Set<string>; stop(): Promise<void> }> {
  const succeeded = new Set<string>();
  const loopback = new LoopbackServer((request: IncomingMessage, response: ServerResponse) => {
    response.once('finish', () => {
      if (response.statusCode === 200) succeeded.add((request.url ?? '').replace(/^\/v2\//, ''));
    });
    server.handler(request, response);
  });
  const url = await loopback.start();
  return { url, succeeded, stop: () => loopback.stop() };
}

let server: KeyServer;
let recorded: Awaited<ReturnType<typeof startRecorded>>;
let sdk: Unkey;

beforeAll(async () => {
  server = createKeyServer();
  const rootKey = server.bootstrap().rootKey as string;
  registerSecret(rootKey);
  recorded = await startRecorded(server);
  sdk = new Unkey({ rootKey, serverURL: recorded.url });
});
afterAll(async () => {
  await recorded.stop();
  await server.stop();
});

/** The error a call rejects with. */
async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('@unkey/api against the local key service', () => {
  it('apis.* and keys.*: create, read, verify, change and delete keys', async () => {
    const { data: api } = await sdk.apis.createApi({ name: 'sdk-keys' });
    expect(api.apiId).toMatch(/^api_/);
    expect((await sdk.apis.getApi({ apiId: api.apiId })).data).toEqual({ id: api.apiId, name: 'sdk-keys' });

    await sdk.permissions.createRole({ name: 'sdk.reader', permissions: ['docs.read'] });
    const { data: created } = await sdk.keys.createKey({
      apiId: api.apiId,
      prefix: 'sdk',
      name: 'first',
      externalId: 'sdk_user_1',
      meta: { plan: 'pro' },
      permissions: ['docs.write'],
      roles: ['sdk.reader'],
      credits: { remaining: 10, refill: { interval: 'daily', amount: 10 } },
      ratelimits: [{ name: 'requests', limit: 5, duration: 60_000, autoApply: true }],
      recoverable: true,
    });
    registerSecret(created.key);
    expect(created.key.startsWith('sdk_')).toBe(true);

    const { data: verified } = await sdk.keys.verifyKey({ key: created.key, permissions: 'docs.read AND docs.write' });
    expect(verified).toMatchObject({
      valid: true,
      code: 'VALID',
      keyId: created.keyId,
      credits: 9,
      roles: ['sdk.reader'],
      identity: { externalId: 'sdk_user_1' },
    });
    expect(verified.permissions).toEqual(['docs.read', 'docs.write']);
    expect(verified.ratelimits?.[0]).toMatchObject({
      name: 'requests',
      limit: 5,
      remaining: 4,
      exceeded: false,
      autoApply: true,
    });

    const { data: key } = await sdk.keys.getKey({ keyId: created.keyId, decrypt: true });
    registerSecret(key.plaintext ?? '');
    expect(key).toMatchObject({
      keyId: created.keyId,
      name: 'first',
      meta: { plan: 'pro' },
      plaintext: created.key,
      credits: { remaining: 9 },
    });
    expect((await sdk.keys.whoami({ key: created.key })).data.keyId).toBe(created.keyId);

    await sdk.keys.updateKey({ keyId: created.keyId, name: 'renamed', enabled: false });
    expect((await sdk.keys.verifyKey({ key: created.key })).data).toMatchObject({ valid: false, code: 'DISABLED' });
    await sdk.keys.updateKey({ keyId: created.keyId, enabled: true });
    expect(
      (await sdk.keys.updateCredits({ keyId: created.keyId, operation: 'increment', value: 5 })).data.remaining,
    ).toBe(14);

    const pages = await sdk.apis.listKeys({ apiId: api.apiId, limit: 1 });
    expect(pages.result.data.map((entry) => entry.keyId)).toEqual([created.keyId]);
    expect(pages.result.pagination?.hasMore).toBe(false);

    await sdk.keys.deleteKey({ keyId: created.keyId });
    expect((await sdk.keys.verifyKey({ key: created.key })).data).toEqual({ valid: false, code: 'NOT_FOUND' });
    await sdk.apis.deleteApi({ apiId: api.apiId });
    expect(await failure(() => sdk.apis.getApi({ apiId: api.apiId }))).toBeInstanceOf(errors.NotFoundErrorResponse);
  });

  it('keys.add/remove/setPermissions and add/remove/setRoles: the next verification sees each change', async () => {
    const { data: api } = await sdk.apis.createApi({ name: 'sdk-access' });
    const { data: key } = await sdk.keys.createKey({ apiId: api.apiId });
    registerSecret(key.key);
    const permissionsOf = async () => (await sdk.keys.verifyKey({ key: key.key })).data.permissions ?? [];

    const added = await sdk.keys.addPermissions({ keyId: key.keyId, permissions: ['a.read', 'a.write'] });
    expect(added.data.map((permission) => permission.slug)).toEqual(['a.read', 'a.write']);
    expect(added.data[0]?.id).toMatch(/^perm_/);
    expect(await permissionsOf()).toEqual(['a.read', 'a.write']);

    const removed = await sdk.keys.removePermissions({ keyId: key.keyId, permissions: ['a.write'] });
    expect(removed.data.map((permission) => permission.slug)).toEqual(['a.read']);
    expect((await sdk.keys.verifyKey({ key: key.key, permissions: 'a.write' })).data.code).toBe(
      'INSUFFICIENT_PERMISSIONS',
    );

    const set = await sdk.keys.setPermissions({ keyId: key.keyId, permissions: ['b.read'] });
    expect(set.data.map((permission) => permission.slug)).toEqual(['b.read']);
    expect(await permissionsOf()).toEqual(['b.read']);

    const { data: editor } = await sdk.permissions.createRole({
      name: 'sdk.editor',
      description: 'edits',
      permissions: ['c.edit'],
    });
    await sdk.permissions.createRole({ name: 'sdk.viewer', permissions: ['c.view'] });
    const withRoles = await sdk.keys.addRoles({ keyId: key.keyId, roles: [editor.roleId, 'sdk.viewer'] });
    expect(withRoles.data.map((role) => role.name)).toEqual(['sdk.editor', 'sdk.viewer']);
    expect(withRoles.data[0]).toMatchObject({
      id: editor.roleId,
      description: 'edits',
      permissions: [{ slug: 'c.edit' }],
    });
    expect(await permissionsOf()).toEqual(['b.read', 'c.edit', 'c.view']);

    expect(
      (await sdk.keys.removeRoles({ keyId: key.keyId, roles: ['sdk.editor'] })).data.map((role) => role.name),
    ).toEqual(['sdk.viewer']);
    expect(await permissionsOf()).toEqual(['b.read', 'c.view']);
    expect(
      (await sdk.keys.setRoles({ keyId: key.keyId, roles: ['sdk.editor'] })).data.map((role) => role.name),
    ).toEqual(['sdk.editor']);
    expect((await sdk.keys.verifyKey({ key: key.key })).data.roles).toEqual(['sdk.editor']);
    expect((await sdk.keys.setRoles({ keyId: key.keyId, roles: [] })).data).toEqual([]);
    expect((await sdk.keys.verifyKey({ key: key.key })).data.roles).toBeUndefined();
  });

  it('keys.rerollKey: a new key with the same settings, the old one living for `expiration`', async () => {
    const { data: api } = await sdk.apis.createApi({ name: 'sdk-reroll' });
    const { data: original } = await sdk.keys.createKey({
      apiId: api.apiId,
      prefix: 'rr',
      name: 'rotating',
      externalId: 'sdk_reroll_user',
      meta: { tier: 1 },
      permissions: ['r.read'],
      credits: { remaining: 3 },
      ratelimits: [{ name: 'burst', limit: 2, duration: 60_000 }],
    });
    registerSecret(original.key);
    const { data: rerolled } = await sdk.keys.rerollKey({ keyId: original.keyId, expiration: 60_000 });
    registerSecret(rerolled.key);
    expect(rerolled.keyId).not.toBe(original.keyId);
    expect(rerolled.key.startsWith('rr_')).toBe(true);

    const { data: fresh } = await sdk.keys.getKey({ keyId: rerolled.keyId });
    expect(fresh).toMatchObject({
      name: 'rotating',
      meta: { tier: 1 },
      permissions: ['r.read'],
      credits: { remaining: 3 },
      identity: { externalId: 'sdk_reroll_user' },
    });
    expect(fresh.ratelimits).toMatchObject([{ name: 'burst', limit: 2, duration: 60_000 }]);
    expect(fresh.expires).toBeUndefined();

    const old = (await sdk.keys.verifyKey({ key: original.key })).data;
    expect(old.valid).toBe(true);
    expect(old.expires).toBeGreaterThan(Date.now());
    expect(old.expires).toBeLessThanOrEqual(Date.now() + 60_000);

    const { data: immediate } = await sdk.keys.rerollKey({ keyId: rerolled.keyId, expiration: 0 });
    registerSecret(immediate.key);
    expect((await sdk.keys.verifyKey({ key: rerolled.key })).data.code).toBe('EXPIRED');
    expect((await sdk.keys.verifyKey({ key: immediate.key })).data).toMatchObject({
      valid: true,
      permissions: ['r.read'],
    });
  });

  it('identities.*: shared metadata and rate limits for every key of an externalId', async () => {
    const { data: api } = await sdk.apis.createApi({ name: 'sdk-identities' });
    const { data: identity } = await sdk.identities.createIdentity({
      externalId: 'org_sdk',
      meta: { plan: 'team' },
      ratelimits: [{ name: 'org-requests', limit: 2, duration: 60_000, autoApply: true }],
    });
    expect(identity.identityId).toMatch(/^id_/);
    const first = (await sdk.keys.createKey({ apiId: api.apiId, externalId: 'org_sdk' })).data;
    const second = (await sdk.keys.createKey({ apiId: api.apiId, externalId: 'org_sdk' })).data;
    registerSecret(first.key, second.key);

    // The identity's limit is shared: two verifications of two different keys spend it.
    expect((await sdk.keys.verifyKey({ key: first.key })).data).toMatchObject({
      valid: true,
      identity: { id: identity.identityId, meta: { plan: 'team' } },
    });
    expect((await sdk.keys.verifyKey({ key: second.key })).data.valid).toBe(true);
    expect((await sdk.keys.verifyKey({ key: first.key })).data.code).toBe('RATE_LIMITED');

    const fetched = await sdk.identities.getIdentity({ identity: 'org_sdk' });
    expect(fetched.data).toMatchObject({
      id: identity.identityId,
      externalId: 'org_sdk',
      meta: { plan: 'team' },
      ratelimits: [{ name: 'org-requests', limit: 2 }],
    });
    expect((await sdk.identities.getIdentity({ identity: identity.identityId })).data.externalId).toBe('org_sdk');

    const listed = await sdk.identities.listIdentities({ search: 'ORG_S' });
    expect(listed.result.data.map((entry) => entry.externalId)).toEqual(['org_sdk']);

    // Raising the shared limit is seen by the next verification of either key.
    const updated = await sdk.identities.updateIdentity({
      identity: 'org_sdk',
      meta: { plan: 'enterprise' },
      ratelimits: [{ name: 'org-requests', limit: 100, duration: 60_000, autoApply: true }],
    });
    expect(updated.data).toMatchObject({
      meta: { plan: 'enterprise' },
      ratelimits: [{ id: fetched.data.ratelimits?.[0]?.id, limit: 100 }],
    });
    expect((await sdk.keys.verifyKey({ key: second.key })).data).toMatchObject({
      valid: true,
      identity: { meta: { plan: 'enterprise' } },
    });

    const deleted = await sdk.identities.deleteIdentity({ identity: 'org_sdk' });
    expect(deleted.meta.requestId).toMatch(/^req_/);
    expect(await failure(() => sdk.identities.getIdentity({ identity: 'org_sdk' }))).toBeInstanceOf(
      errors.NotFoundErrorResponse,
    );
    const afterDelete = (await sdk.keys.verifyKey({ key: first.key })).data;
    expect(afterDelete.valid).toBe(true);
    expect(afterDelete.identity).toBeUndefined();
  });

  it('permissions.*: get, list, and delete permissions and roles, taken from every key at once', async () => {
    const { data: api } = await sdk.apis.createApi({ name: 'sdk-rbac' });
    const { data: permission } = await sdk.permissions.createPermission({
      name: 'Billing read',
      slug: 'billing.read',
      description: 'reads invoices',
    });
    const { data: role } = await sdk.permissions.createRole({
      name: 'billing',
      permissions: ['billing.read', 'billing.write'],
    });
    const { data: key } = await sdk.keys.createKey({
      apiId: api.apiId,
      permissions: ['billing.read'],
      roles: ['billing'],
    });
    registerSecret(key.key);

    expect((await sdk.permissions.getPermission({ permission: permission.permissionId })).data).toEqual({
      id: permission.permissionId,
      name: 'Billing read',
      slug: 'billing.read',
      description: 'reads invoices',
    });
    expect((await sdk.permissions.getPermission({ permission: 'billing.read' })).data.id).toBe(permission.permissionId);
    const { data: fetchedRole } = await sdk.permissions.getRole({ role: 'billing' });
    expect(fetchedRole).toMatchObject({ id: role.roleId, name: 'billing' });
    expect(fetchedRole.permissions?.map((entry) => entry.slug)).toEqual(['billing.read', 'billing.write']);

    const listedPermissions = await sdk.permissions.listPermissions({ search: 'billing', limit: 1 });
    expect(listedPermissions.result.data).toHaveLength(1);
    expect(listedPermissions.result.pagination).toMatchObject({ hasMore: true });
    const next = await listedPermissions.next();
    expect(next?.result.data.map((entry) => entry.slug)).toEqual(['billing.write']);
    expect((await sdk.permissions.listRoles({ search: 'BILL' })).result.data.map((entry) => entry.name)).toEqual([
      'billing',
    ]);

    await sdk.permissions.deletePermission({ permission: 'billing.read' });
    expect((await sdk.keys.verifyKey({ key: key.key })).data.permissions).toEqual(['billing.write']);
    expect(await failure(() => sdk.permissions.getPermission({ permission: 'billing.read' }))).toBeInstanceOf(
      errors.NotFoundErrorResponse,
    );

    await sdk.permissions.deleteRole({ role: role.roleId });
    const afterDelete = (await sdk.keys.verifyKey({ key: key.key })).data;
    expect([afterDelete.valid, afterDelete.permissions, afterDelete.roles]).toEqual([true, undefined, undefined]);
    expect(await failure(() => sdk.permissions.getRole({ role: 'billing' }))).toBeInstanceOf(
      errors.NotFoundErrorResponse,
    );
  });

  it('ratelimit.*: limit, and overrides (exact and wildcard) that change it at once', async () => {
    const limit = (identifier: string) =>
      sdk.ratelimit.limit({ namespace: 'sdk.email', identifier, limit: 2, duration: 60_000 });
    expect((await limit('user_1')).data).toMatchObject({ success: true, limit: 2, remaining: 1 });
    expect((await limit('user_1')).data.success).toBe(true);
    expect((await limit('user_1')).data).toMatchObject({ success: false, remaining: 0 });

    const { data: exact } = await sdk.ratelimit.setOverride({
      namespace: 'sdk.email',
      identifier: 'user_1',
      limit: 10,
      duration: 60_000,
    });
    const { data: wildcard } = await sdk.ratelimit.setOverride({
      namespace: 'sdk.email',
      identifier: 'vip_*',
      limit: 0,
      duration: 60_000,
    });
    expect((await limit('user_1')).data).toMatchObject({ success: true, limit: 10, overrideId: exact.overrideId });
    expect((await limit('vip_42')).data).toMatchObject({ success: false, limit: 0, overrideId: wildcard.overrideId });
    expect((await limit('other')).data.overrideId).toBeUndefined();

    expect((await sdk.ratelimit.getOverride({ namespace: 'sdk.email', identifier: 'vip_*' })).data).toEqual({
      overrideId: wildcard.overrideId,
      identifier: 'vip_*',
      limit: 0,
      duration: 60_000,
    });
    const listed = await sdk.ratelimit.listOverrides({ namespace: 'sdk.email' });
    expect(listed.result.data.map((entry) => entry.identifier)).toEqual(['user_1', 'vip_*']);

    await sdk.ratelimit.deleteOverride({ namespace: 'sdk.email', identifier: 'vip_*' });
    expect((await limit('vip_42')).data).toMatchObject({ success: true, limit: 2 });
    expect(
      await failure(() => sdk.ratelimit.getOverride({ namespace: 'sdk.email', identifier: 'vip_*' })),
    ).toBeInstanceOf(errors.NotFoundErrorResponse);
  });

  it('answered every one of the 36 operations with a 200', () => {
    expect([...recorded.succeeded].filter((operation) => operation !== 'liveness').sort()).toEqual(
      [...UNKEY_OPERATIONS].sort(),
    );
  });
});

describe('@unkey/api error classes', () => {
  const refs = { apiId: 'api_sweep', keyId: 'key_sweep', key: 'sweep_not_a_real_key', namespace: 'sdk.sweep' };

  it.each(UNKEY_OPERATIONS)(
    '%s: an unknown root key is UnauthorizedErrorResponse (401)',
    async (operation: UnkeyOperation) => {
      const stranger = 'kgroot_unknown_to_this_server_0000';
      registerSecret(stranger);
      const error = await failure(callEach(new Unkey({ rootKey: stranger, serverURL: recorded.url }), refs)[operation]);
      expect(error).toBeInstanceOf(errors.UnauthorizedErrorResponse);
      expect((error as errors.UnauthorizedErrorResponse).error.status).toBe(401);
    },
  );

  it.each(UNKEY_OPERATIONS)(
    '%s: a root key without the permission is ForbiddenErrorResponse (403)',
    async (operation: UnkeyOperation) => {
      await sdk.ratelimit.limit({ namespace: refs.namespace, identifier: 'x', limit: 1, duration: 1000 });
      const powerless = server.createRootKey([]);
      registerSecret(powerless);
      const error = await failure(
        callEach(new Unkey({ rootKey: powerless, serverURL: recorded.url }), refs)[operation],
      );
      expect(error).toBeInstanceOf(errors.ForbiddenErrorResponse);
      expect((error as errors.ForbiddenErrorResponse).error.type).toMatch(/insufficient_permissions$/);
    },
  );

  describe('over the request quota', () => {
    // One workspace whose quota (1 request a minute) is spent by the first request: every operation after it is a 429.
    let limited: KeyServer;
    let limitedSdk: Unkey;
    beforeAll(async () => {
      limited = createKeyServer({ requestQuota: { limit: 1, duration: 60_000 } });
      const rootKey = limited.bootstrap().rootKey as string;
      registerSecret(rootKey);
      limitedSdk = new Unkey({ rootKey, serverURL: (await limited.start()).url });
      await limitedSdk.ratelimit.limit({ namespace: 'quota', identifier: 'x', limit: 1, duration: 1000 });
    });
    afterAll(() => limited.stop());

    it.each(UNKEY_OPERATIONS)(
      '%s: a workspace over its request quota is TooManyRequestsErrorResponse (429)',
      async (operation: UnkeyOperation) => {
        const error = await failure(callEach(limitedSdk, refs)[operation]);
        expect(error).toBeInstanceOf(errors.TooManyRequestsErrorResponse);
        expect((error as errors.TooManyRequestsErrorResponse).error.status).toBe(429);
        expect(
          Number((error as errors.TooManyRequestsErrorResponse).rawResponse.headers.get('retry-after')),
        ).toBeGreaterThan(0);
      },
    );
  });

  it('400: input the SDK sends but the service rejects is BadRequestErrorResponse, with errors[]', async () => {
    const error = await failure(() => sdk.apis.createApi({ name: '9-starts-with-a-digit' }));
    expect(error).toBeInstanceOf(errors.BadRequestErrorResponse);
    expect((error as errors.BadRequestErrorResponse).error.errors[0]?.location).toBe('body.name');
    expect(await failure(() => sdk.keys.verifyKey({ key: 'x', permissions: 'a AND' }))).toBeInstanceOf(
      errors.BadRequestErrorResponse,
    );
    expect(await failure(() => sdk.identities.createIdentity({ externalId: 'has spaces' }))).toBeInstanceOf(
      errors.BadRequestErrorResponse,
    );
    expect(await failure(() => sdk.keys.addPermissions({ keyId: 'key_x', permissions: [] }))).toBeInstanceOf(
      errors.BadRequestErrorResponse,
    );
    expect(
      await failure(() => sdk.ratelimit.setOverride({ namespace: 'n', identifier: 'i', limit: 1, duration: 10 })),
    ).toBeInstanceOf(errors.BadRequestErrorResponse);
  });

  it('404: unknown keys, identities, permissions, roles, namespaces and overrides are NotFoundErrorResponse', async () => {
    const notFound = [
      () => sdk.keys.getKey({ keyId: 'key_missing' }),
      () => sdk.keys.rerollKey({ keyId: 'key_missing', expiration: 0 }),
      () => sdk.keys.addRoles({ keyId: 'key_missing', roles: ['r'] }),
      () => sdk.identities.updateIdentity({ identity: 'nobody' }),
      () => sdk.identities.deleteIdentity({ identity: 'nobody' }),
      () => sdk.permissions.getPermission({ permission: 'missing.permission' }),
      () => sdk.permissions.getRole({ role: 'missing-role' }),
      () => sdk.ratelimit.listOverrides({ namespace: 'never.used' }),
      () => sdk.ratelimit.deleteOverride({ namespace: 'never.used', identifier: 'x' }),
    ];
    for (const call of notFound) expect(await failure(call)).toBeInstanceOf(errors.NotFoundErrorResponse);
    const { data: api } = await sdk.apis.createApi({ name: 'sdk-404' });
    const { data: key } = await sdk.keys.createKey({ apiId: api.apiId });
    registerSecret(key.key);
    expect(
      await failure(() => sdk.keys.removePermissions({ keyId: key.keyId, permissions: ['never.created'] })),
    ).toBeInstanceOf(errors.NotFoundErrorResponse);
    expect(await failure(() => sdk.keys.setRoles({ keyId: key.keyId, roles: ['never-created'] }))).toBeInstanceOf(
      errors.NotFoundErrorResponse,
    );
  });

  it('409: a second permission, role or identity with the same name is ConflictErrorResponse', async () => {
    await sdk.permissions.createPermission({ name: 'dup', slug: 'dup.permission' });
    expect(
      await failure(() => sdk.permissions.createPermission({ name: 'dup', slug: 'dup.permission' })),
    ).toBeInstanceOf(errors.ConflictErrorResponse);
    await sdk.permissions.createRole({ name: 'dup-role' });
    expect(await failure(() => sdk.permissions.createRole({ name: 'dup-role' }))).toBeInstanceOf(
      errors.ConflictErrorResponse,
    );
    await sdk.identities.createIdentity({ externalId: 'dup_identity' });
    expect(await failure(() => sdk.identities.createIdentity({ externalId: 'dup_identity' }))).toBeInstanceOf(
      errors.ConflictErrorResponse,
    );
  });

  it('412: deleting a delete-protected API is PreconditionFailedErrorResponse', async () => {
    const { data: api } = await sdk.apis.createApi({ name: 'sdk-protected' });
    server.setDeleteProtection(api.apiId, true);
    const error = await failure(() => sdk.apis.deleteApi({ apiId: api.apiId }));
    expect(error).toBeInstanceOf(errors.PreconditionFailedErrorResponse);
    expect((error as errors.PreconditionFailedErrorResponse).error.type).toMatch(/protected_resource$/);
  });
});
