import { requireAny } from '../../auth/permissions.js';
import { roleName } from '../../validation/rules.js';
import { object, required } from '../../validation/schema.js';
import { defineEndpoint } from '../endpoint.js';
import { findRole } from './find-access.js';
import { roleData } from './permission-data.js';

/** `{role}` (id or name) → the role with its permissions. */
export const getRole = defineEndpoint({
  operation: 'permissions.getRole',
  body: object({ role: required(roleName()) }),
  handle({ store, rootKey }, body) {
    requireAny(rootKey, ['rbac.*.read_role']);
    return { data: roleData(store, findRole(store, rootKey.workspaceId, body.role)) };
  },
});
