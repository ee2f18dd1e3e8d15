import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { permissionSlug } from '../../../validation/rules.js';
import { object, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { findPermission } from '../../../domain/permissions/find-access.js';
import { permissionData } from './permission-data.js';

/** `{permission}` (id or slug) → the permission. */
export const getPermission = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/permissions.getPermission',
  body: object({ permission: required(permissionSlug()) }),
  handle({ store, rootKey }, { body }) {
    requireAny(rootKey, ['rbac.*.read_permission']);
    return { data: permissionData(findPermission(store, rootKey.workspaceId, body.permission)) };
  },
});
