import { findKeyFor } from '../../../domain/keys/find-key.js';
import { defineUnkeyOperation } from '../../operation.js';
import { roleData } from '../permissions/permission-data.js';
import { keyRolesBody } from './key-access-fields.js';
import { existingRoleIdsFor } from '../../../domain/permissions/resolve-access.js';
import { keyTarget } from '../../../audit/targets/keys.js';

/** Replaces the key's roles (ids or names, each of which must exist; `[]` removes all); answers its roles. */
export const setRoles = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keys.setRoles',
  body: keyRolesBody(0),
  audit: { action: 'key.set_roles', target: ({ body }) => keyTarget(body.keyId) },
  handle({ store, rootKey }, { body }) {
    return store.transaction(() => {
      // Unkey asks only for update_key here.
      const key = findKeyFor(store, rootKey, body.keyId, 'update_key');
      store.keyAccess.replaceRoles(key.id, existingRoleIdsFor(store, rootKey.workspaceId, body.roles));
      return { data: store.keyAccess.roleRecords(key.id).map((role) => roleData(store, role)) };
    });
  },
});
