import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { findKeyFor } from '../../../domain/keys/find-key.js';
import { defineUnkeyOperation } from '../../operation.js';
import { roleData } from '../permissions/permission-data.js';
import { keyRolesBody } from './key-access-fields.js';
import { existingRoleIdsFor } from '../../../domain/permissions/resolve-access.js';
import { keyTarget } from '../../../audit/targets/keys.js';

/** Gives the key roles (ids or names, each of which must exist); answers all of its roles. */
export const addRoles = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keys.addRoles',
  body: keyRolesBody(1),
  audit: { action: 'key.add_roles', target: ({ body }) => keyTarget(body.keyId) },
  handle({ store, rootKey }, { body }) {
    return store.transaction(() => {
      const key = findKeyFor(store, rootKey, body.keyId, 'update_key');
      requireAny(rootKey, ['rbac.*.add_role_to_key']);
      store.keyAccess.addRoles(key.id, existingRoleIdsFor(store, rootKey.workspaceId, body.roles));
      return { data: store.keyAccess.roleRecords(key.id).map((role) => roleData(store, role)) };
    });
  },
});
