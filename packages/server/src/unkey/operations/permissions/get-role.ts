import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { roleName } from '../../../validation/rules.js';
import { object, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { findRole } from '../../../domain/permissions/find-access.js';
import { roleData } from './permission-data.js';

/** `{role}` (id or name) → the role with its permissions. */
export const getRole = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/permissions.getRole',
  body: object({ role: required(roleName()) }),
  handle({ store, rootKey }, { body }) {
    requireAny(rootKey, ['rbac.*.read_role']);
    return { data: roleData(store, findRole(store, rootKey.workspaceId, body.role)) };
  },
});
