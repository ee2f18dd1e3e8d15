import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { permissionSlug } from '../../../validation/rules.js';
import { object, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { findPermission } from '../../../domain/permissions/find-access.js';
import { permissionTarget } from '../../../audit/targets/resources.js';

/** Deletes the permission; every key and role that had it loses it, visible to the next verification. */
export const deletePermission = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/permissions.deletePermission',
  body: object({ permission: required(permissionSlug()) }),
  audit: { action: 'permission.delete', target: ({ body }) => permissionTarget(body.permission) },
  handle({ store, rootKey, logger }, { body }) {
    requireAny(rootKey, ['rbac.*.delete_permission']);
    return store.transaction(() => {
      const permission = findPermission(store, rootKey.workspaceId, body.permission);
      store.permissions.delete(permission.id);
      logger.info('permission deleted', { permissionId: permission.id });
      return { data: {} };
    });
  },
});
