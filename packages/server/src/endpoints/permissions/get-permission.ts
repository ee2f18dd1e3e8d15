import { requireAny } from '../../auth/permissions.js';
import { permissionSlug } from '../../validation/rules.js';
import { object, required } from '../../validation/schema.js';
import { defineEndpoint } from '../endpoint.js';
import { findPermission } from './find-access.js';
import { permissionData } from './permission-data.js';

/** `{permission}` (id or slug) → the permission. */
export const getPermission = defineEndpoint({
  operation: 'permissions.getPermission',
  body: object({ permission: required(permissionSlug()) }),
  handle({ store, rootKey }, body) {
    requireAny(rootKey, ['rbac.*.read_permission']);
    return { data: permissionData(findPermission(store, rootKey.workspaceId, body.permission)) };
  },
});
