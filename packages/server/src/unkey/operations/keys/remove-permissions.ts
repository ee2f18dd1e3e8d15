import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { findKeyFor } from '../../../domain/keys/find-key.js';
import { defineUnkeyOperation } from '../../operation.js';
import { permissionData } from '../permissions/permission-data.js';
import { keyPermissionsBody } from './key-access-fields.js';
import { existingPermissionIds } from '../../../domain/permissions/resolve-access.js';
import { keyTarget } from '../../../audit/targets/keys.js';

/**
 * Takes direct permissions (ids or slugs, each of which must exist) from the key; what its roles grant stays.
 * Answers its remaining direct permissions.
 */
export const removePermissions = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keys.removePermissions',
  body: keyPermissionsBody(1),
  audit: { action: 'key.remove_permissions', target: ({ body }) => keyTarget(body.keyId) },
  handle({ store, rootKey }, { body }) {
    return store.transaction(() => {
      const key = findKeyFor(store, rootKey, body.keyId, 'update_key');
      requireAny(rootKey, ['rbac.*.remove_permission_from_key']);
      store.keyAccess.removePermissions(key.id, existingPermissionIds(store, rootKey.workspaceId, body.permissions));
      return { data: store.keyAccess.directPermissionRecords(key.id).map(permissionData) };
    });
  },
});
