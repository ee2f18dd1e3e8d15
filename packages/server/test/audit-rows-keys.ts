import { registerSecret } from '../../../test/support/secrets.js';
import { expect } from 'vitest';
import type { Row, Rows } from './audit-rows-support.js';

/** The rows of Unkey's key operations: they need the API, identity, permission and role the other rows made first. */
export const keyRows = ({ h, ids, data }: Rows): Row[] => [
  [
    'keys.createKey',
    async () => {
      const created = await data('keys.createKey', { apiId: ids.api, name: 'first', recoverable: true });
      registerSecret(created.key);
      ids.plaintext = created.key;
      ids.key = created.keyId;
      return {
        action: 'key.create',
        target: { type: 'key', id: ids.key },
        before: null,
        after: expect.objectContaining({ apiId: ids.api, name: 'first', recoverable: true, enabled: true }),
      };
    },
  ],
  [
    'keys.updateKey',
    async () => {
      await data('keys.updateKey', { keyId: ids.key, name: 'renamed', externalId: 'user-1' });
      return {
        action: 'key.update',
        target: { type: 'key', id: ids.key },
        before: { name: 'first', externalId: null },
        after: { name: 'renamed', externalId: 'user-1' },
      };
    },
  ],
  [
    'keys.updateCredits',
    async () => {
      await data('keys.updateCredits', { keyId: ids.key, operation: 'set', value: 5 });
      return {
        action: 'key.update_credits',
        target: { type: 'key', id: ids.key },
        before: { credits: null },
        after: { credits: 5 },
      };
    },
  ],
  [
    'keys.addPermissions',
    async () => {
      await data('keys.addPermissions', { keyId: ids.key, permissions: ['docs.read'] });
      return {
        action: 'key.add_permissions',
        target: { type: 'key', id: ids.key },
        before: { permissions: [] },
        after: { permissions: ['docs.read'] },
      };
    },
  ],
  [
    'keys.setPermissions',
    async () => {
      await data('keys.setPermissions', { keyId: ids.key, permissions: ['docs.read', 'docs.write'] });
      return {
        action: 'key.set_permissions',
        target: { type: 'key', id: ids.key },
        before: { permissions: ['docs.read'] },
        after: { permissions: ['docs.read', 'docs.write'] },
      };
    },
  ],
  [
    'keys.removePermissions',
    async () => {
      await data('keys.removePermissions', { keyId: ids.key, permissions: ['docs.write'] });
      return {
        action: 'key.remove_permissions',
        target: { type: 'key', id: ids.key },
        before: { permissions: ['docs.read', 'docs.write'] },
        after: { permissions: ['docs.read'] },
      };
    },
  ],
  [
    'keys.addRoles',
    async () => {
      await data('keys.addRoles', { keyId: ids.key, roles: ['reader'] });
      return {
        action: 'key.add_roles',
        target: { type: 'key', id: ids.key },
        before: { roles: [] },
        after: { roles: ['reader'] },
      };
    },
  ],
  [
    'keys.setRoles',
    async () => {
      await data('keys.setRoles', { keyId: ids.key, roles: [] });
      return {
        action: 'key.set_roles',
        target: { type: 'key', id: ids.key },
        before: { roles: ['reader'] },
        after: { roles: [] },
      };
    },
  ],
  [
    'keys.removeRoles',
    async () => {
      await data('keys.addRoles', { keyId: ids.key, roles: ['reader'] });
      await data('keys.removeRoles', { keyId: ids.key, roles: ['reader'] });
      return {
        action: 'key.remove_roles',
        target: { type: 'key', id: ids.key },
        before: { roles: ['reader'] },
        after: { roles: [] },
      };
    },
  ],
  [
    'keys.rerollKey',
    async () => {
      const rerolled = await data('keys.rerollKey', { keyId: ids.key, expiration: 60_000 });
      registerSecret(rerolled.key);
      ids.rerolled = rerolled.keyId;
      return {
        action: 'key.reroll',
        target: { type: 'key', id: ids.key },
        before: { expires: null },
        after: { expires: h().now() + 60_000 },
        detail: { newKeyId: ids.rerolled },
      };
    },
  ],
  [
    'keys.deleteKey',
    async () => {
      await data('keys.deleteKey', { keyId: ids.rerolled });
      return {
        action: 'key.delete',
        target: { type: 'key', id: ids.rerolled },
        before: expect.objectContaining({ apiId: ids.api }),
        after: null,
        detail: { permanent: false },
      };
    },
  ],
];
