import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { integer, object, optional, string } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { paginate } from '../../paginate.js';
import { permissionData } from './permission-data.js';

export const listPermissions = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/permissions.listPermissions',
  body: object({
    cursor: optional(string({ min: 1, max: 1024 })),
    limit: optional(integer({ min: 1, max: 100 })),
    search: optional(string({ max: 256 })),
  }),
  handle({ store, rootKey }, { body }) {
    requireAny(rootKey, ['rbac.*.read_permission']);
    const limit = body.limit ?? 100;
    const rows = store.permissions.list(rootKey.workspaceId, {
      limit: limit + 1,
      cursor: body.cursor,
      search: body.search?.trim(),
    });
    const { page, pagination } = paginate(rows, limit, (row) => row.id);
    return { data: page.map(permissionData), pagination };
  },
});
