import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { integer, object, optional, string } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { paginate } from '../../paginate.js';
import { roleData } from './permission-data.js';

export const listRoles = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/permissions.listRoles',
  body: object({
    limit: optional(integer({ min: 1, max: 100 })),
    cursor: optional(string({ min: 1, max: 1024 })),
    search: optional(string({ max: 256 })),
  }),
  handle({ store, rootKey }, { body }) {
    requireAny(rootKey, ['rbac.*.read_role']);
    const limit = body.limit ?? 100;
    const rows = store.roles.list(rootKey.workspaceId, {
      limit: limit + 1,
      cursor: body.cursor,
      search: body.search?.trim(),
    });
    const { page, pagination } = paginate(rows, limit, (row) => row.id);
    return { data: page.map((role) => roleData(store, role)), pagination };
  },
});
