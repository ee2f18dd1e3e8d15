import { registerSecret } from '../../../test/support/secrets.js';
import { expect } from 'vitest';
import type { Row, Rows } from './audit-rows-support.js';

/** The rows that create what the key rows use: an API, an identity, a permission, a role. */
export const creationRows = ({ ids, data }: Rows): Row[] => [
  [
    'apis.createApi',
    async () => {
      ids.api = (await data('apis.createApi', { name: 'audited' })).apiId;
      return {
        action: 'api.create',
        target: { type: 'api', id: ids.api },
        before: null,
        after: { name: 'audited', deleteProtection: false },
      };
    },
  ],
  [
    'identities.createIdentity',
    async () => {
      ids.identity = (
        await data('identities.createIdentity', { externalId: 'user-1', meta: { plan: 'free' } })
      ).identityId;
      return {
        action: 'identity.create',
        target: { type: 'identity', id: ids.identity },
        before: null,
        after: { externalId: 'user-1', meta: { plan: 'free' }, ratelimits: [] },
      };
    },
  ],
  [
    'identities.updateIdentity',
    async () => {
      await data('identities.updateIdentity', { identity: 'user-1', meta: { plan: 'pro' } });
      return {
        action: 'identity.update',
        target: { type: 'identity', id: ids.identity },
        before: { meta: { plan: 'free' } },
        after: { meta: { plan: 'pro' } },
      };
    },
  ],
  [
    'permissions.createPermission',
    async () => {
      ids.permission = (
        await data('permissions.createPermission', { name: 'Read docs', slug: 'docs.read' })
      ).permissionId;
      return {
        action: 'permission.create',
        target: { type: 'permission', id: ids.permission },
        before: null,
        after: { name: 'Read docs', slug: 'docs.read', description: null },
      };
    },
  ],
  [
    'permissions.createRole',
    async () => {
      ids.role = (await data('permissions.createRole', { name: 'reader', permissions: ['docs.read'] })).roleId;
      return {
        action: 'role.create',
        target: { type: 'role', id: ids.role },
        before: null,
        after: { name: 'reader', description: null, permissions: ['docs.read'] },
      };
    },
  ],
];

/** The rows of Unkey's other management operations, deletions last, and of Clerk's API keys. */
export const resourceRows = ({ ids, data, clerkBody }: Rows): Row[] => [
  [
    'ratelimit.setOverride',
    async () => {
      // A namespace is made by its first rate limit, as in Unkey.
      await data('ratelimit.limit', { namespace: 'emails', identifier: 'warm-up', limit: 10, duration: 60_000 });
      ids.override = (
        await data('ratelimit.setOverride', { namespace: 'emails', identifier: 'user-1', limit: 10, duration: 60_000 })
      ).overrideId;
      return {
        action: 'ratelimit.set_override',
        target: { type: 'ratelimit_override', id: ids.override },
        before: null,
        after: { namespace: 'emails', identifier: 'user-1', limit: 10, duration: 60_000 },
      };
    },
  ],
  [
    'ratelimit.deleteOverride',
    async () => {
      await data('ratelimit.deleteOverride', { namespace: 'emails', identifier: 'user-1' });
      return {
        action: 'ratelimit.delete_override',
        target: { type: 'ratelimit_override', id: ids.override },
        before: expect.objectContaining({ limit: 10 }),
        after: null,
      };
    },
  ],
  [
    'permissions.deleteRole',
    async () => {
      await data('permissions.deleteRole', { role: 'reader' });
      return {
        action: 'role.delete',
        target: { type: 'role', id: ids.role },
        before: expect.objectContaining({ name: 'reader' }),
        after: null,
      };
    },
  ],
  [
    'permissions.deletePermission',
    async () => {
      const { id } = await data('permissions.getPermission', { permission: 'docs.write' });
      await data('permissions.deletePermission', { permission: 'docs.write' });
      return {
        action: 'permission.delete',
        target: { type: 'permission', id },
        before: expect.objectContaining({ slug: 'docs.write' }),
        after: null,
      };
    },
  ],
  [
    'identities.deleteIdentity',
    async () => {
      await data('keys.updateKey', { keyId: ids.key, externalId: null });
      await data('identities.deleteIdentity', { identity: 'user-1' });
      return {
        action: 'identity.delete',
        target: { type: 'identity', id: ids.identity },
        before: expect.objectContaining({ externalId: 'user-1' }),
        after: null,
      };
    },
  ],
  [
    'keyguard.createRootKey',
    async () => {
      const created = await data('keyguard.createRootKey', { permissions: ['api.*.verify_key'], name: 'verifier' });
      registerSecret(created.key);
      ids.rootKey = created.rootKeyId;
      return {
        action: 'root_key.create',
        target: { type: 'root_key', id: ids.rootKey },
        before: null,
        after: { name: 'verifier', permissions: ['api.*.verify_key'] },
      };
    },
  ],
  [
    'keyguard.deleteRootKey',
    async () => {
      await data('keyguard.deleteRootKey', { rootKeyId: ids.rootKey });
      return {
        action: 'root_key.delete',
        target: { type: 'root_key', id: ids.rootKey },
        before: expect.objectContaining({ name: 'verifier' }),
        after: null,
      };
    },
  ],
  [
    'apis.deleteApi',
    async () => {
      const apiId = (await data('apis.createApi', { name: 'short-lived' })).apiId;
      await data('apis.deleteApi', { apiId });
      return {
        action: 'api.delete',
        target: { type: 'api', id: apiId },
        before: { name: 'short-lived', deleteProtection: false },
        after: null,
      };
    },
  ],
  [
    'clerk POST /api_keys',
    async () => {
      const created = await clerkBody('POST', '/api_keys', 201, {
        name: 'ci-key',
        subject: 'user_1',
        scopes: ['read'],
      });
      registerSecret(created.secret);
      ids.clerkKey = created.id;
      return {
        action: 'clerk_api_key.create',
        target: { type: 'clerk_api_key', id: ids.clerkKey },
        before: null,
        after: expect.objectContaining({ name: 'ci-key', subject: 'user_1', scopes: ['read'], revoked: false }),
      };
    },
  ],
  [
    'clerk PATCH /api_keys/:id',
    async () => {
      await clerkBody('PATCH', `/api_keys/${ids.clerkKey}`, 200, { description: 'for CI' });
      return {
        action: 'clerk_api_key.update',
        target: { type: 'clerk_api_key', id: ids.clerkKey },
        before: { description: null },
        after: { description: 'for CI' },
      };
    },
  ],
  [
    'clerk POST /api_keys/:id/revoke',
    async () => {
      await clerkBody('POST', `/api_keys/${ids.clerkKey}/revoke`, 200, { revocation_reason: 'rotated' });
      return {
        action: 'clerk_api_key.revoke',
        target: { type: 'clerk_api_key', id: ids.clerkKey },
        before: { revoked: false, revocationReason: null },
        after: { revoked: true, revocationReason: 'rotated' },
      };
    },
  ],
  [
    'clerk DELETE /api_keys/:id',
    async () => {
      await clerkBody('DELETE', `/api_keys/${ids.clerkKey}`, 200);
      return {
        action: 'clerk_api_key.delete',
        target: { type: 'clerk_api_key', id: ids.clerkKey },
        before: expect.objectContaining({ revoked: true }),
        after: null,
      };
    },
  ],
];
