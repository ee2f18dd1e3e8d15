import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { identityData } from '../../../domain/keys/key-response.js';
import { integer, object, optional, string } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { paginate } from '../../paginate.js';

export const listIdentities = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/identities.listIdentities',
  body: object({
    limit: optional(integer({ min: 1, max: 100 })),
    cursor: optional(string({ min: 1, max: 1024 })),
    search: optional(string({ max: 256 })),
  }),
  handle({ store, rootKey }, { body }) {
    requireAny(rootKey, ['identity.*.read_identity']);
    const limit = body.limit ?? 100;
    const rows = store.identities.list(rootKey.workspaceId, {
      limit: limit + 1,
      cursor: body.cursor,
      search: body.search?.trim(),
    });
    const { page, pagination } = paginate(rows, limit, (row) => row.id);
    return { data: page.map((identity) => identityData(store, identity.id)), pagination };
  },
});
