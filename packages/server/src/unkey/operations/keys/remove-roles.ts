import { findKeyFor } from '../../../domain/keys/find-key.js';
import { defineUnkeyOperation } from '../../operation.js';
import { roleData } from '../permissions/permission-data.js';
import { keyRolesBody } from './key-access-fields.js';
import { existingRoleIdsFor } from '../../../domain/permissions/resolve-access.js';
import { keyTarget } from '../../../audit/targets/keys.js';

/** Takes roles (ids or names, each of which must exist) from the key; answers its remaining roles. */
export const removeRoles = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keys.removeRoles',
  body: keyRolesBody(1),
  audit: { action: 'key.remove_roles', target: ({ body }) => keyTarget(body.keyId) },
  handle({ store, rootKey }, { body }) {
    return store.transaction(() => {
      // Unkey asks only for update_key here (no rbac.*.remove_role_from_key).
      const key = findKeyFor(store, rootKey, body.keyId, 'update_key');
      store.keyAccess.removeRoles(key.id, existingRoleIdsFor(store, rootKey.workspaceId, body.roles));
      return { data: store.keyAccess.roleRecords(key.id).map((role) => roleData(store, role)) };
    });
  },
});
