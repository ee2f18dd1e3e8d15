import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { findKeyFor } from '../../../domain/keys/find-key.js';
import { defineUnkeyOperation } from '../../operation.js';
import { permissionData } from '../permissions/permission-data.js';
import { keyPermissionsBody } from './key-access-fields.js';
import { permissionIdsFor } from '../../../domain/permissions/resolve-access.js';
import { keyTarget } from '../../../audit/targets/keys.js';

/** Replaces the key's direct permissions (ids or slugs; missing ones created; `[]` removes all). */
export const setPermissions = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keys.setPermissions',
  body: keyPermissionsBody(0),
  audit: { action: 'key.set_permissions', target: ({ body }) => keyTarget(body.keyId) },
  handle({ store, rootKey, now }, { body }) {
    return store.transaction(() => {
      const key = findKeyFor(store, rootKey, body.keyId, 'update_key');
      requireAny(rootKey, ['rbac.*.add_permission_to_key']);
      requireAny(rootKey, ['rbac.*.remove_permission_from_key']);
      store.keyAccess.replacePermissions(key.id, permissionIdsFor(store, rootKey, body.permissions, now));
      return { data: store.keyAccess.directPermissionRecords(key.id).map(permissionData) };
    });
  },
});
