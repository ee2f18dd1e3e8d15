import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { findKeyFor } from '../../../domain/keys/find-key.js';
import { defineUnkeyOperation } from '../../operation.js';
import { permissionData } from '../permissions/permission-data.js';
import { keyPermissionsBody } from './key-access-fields.js';
import { permissionIdsFor } from '../../../domain/permissions/resolve-access.js';
import { keyTarget } from '../../../audit/targets/keys.js';

/** Grants permissions (ids or slugs; missing ones created) on top of the key's own; answers its direct permissions. */
export const addPermissions = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keys.addPermissions',
  body: keyPermissionsBody(1),
  audit: { action: 'key.add_permissions', target: ({ body }) => keyTarget(body.keyId) },
  handle({ store, rootKey, now }, { body }) {
    return store.transaction(() => {
      const key = findKeyFor(store, rootKey, body.keyId, 'update_key');
      requireAny(rootKey, ['rbac.*.add_permission_to_key']);
      store.keyAccess.addPermissions(key.id, permissionIdsFor(store, rootKey, body.permissions, now));
      return { data: store.keyAccess.directPermissionRecords(key.id).map(permissionData) };
    });
  },
});
