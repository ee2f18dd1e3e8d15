import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { roleName } from '../../../validation/rules.js';
import { object, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { findRole } from '../../../domain/permissions/find-access.js';
import { roleTarget } from '../../../audit/targets/resources.js';

/** Deletes the role; every key that had it loses it (and the permissions it granted), visible to the next verification. */
export const deleteRole = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/permissions.deleteRole',
  body: object({ role: required(roleName()) }),
  audit: { action: 'role.delete', target: ({ body }) => roleTarget(body.role) },
  handle({ store, rootKey, logger }, { body }) {
    requireAny(rootKey, ['rbac.*.delete_role']);
    return store.transaction(() => {
      const role = findRole(store, rootKey.workspaceId, body.role);
      store.roles.delete(role.id);
      logger.info('role deleted', { roleId: role.id });
      return { data: {} };
    });
  },
});
