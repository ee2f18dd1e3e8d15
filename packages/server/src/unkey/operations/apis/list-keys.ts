import { requireOnApi } from '../../../domain/permissions/root-key-permissions.js';
import { keyResponse } from '../../../domain/keys/key-response.js';
import { apiId, externalId } from '../../../validation/rules.js';
import { boolean, integer, object, optional, required, string } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { findApiFor } from '../../../domain/apis.js';

export const listKeys = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/apis.listKeys',
  body: object({
    apiId: required(apiId()),
    limit: optional(integer({ min: 1, max: 100 })),
    cursor: optional(string({ min: 1, max: 255 })),
    externalId: optional(externalId()),
    decrypt: optional(boolean()),
    revalidateKeysCache: optional(boolean()),
  }),
  handle({ store, rootKey, vault }, { body }) {
    const api = findApiFor(store, rootKey, body.apiId, ['read_key', 'read_api']);
    if (body.decrypt) requireOnApi(rootKey, 'decrypt_key', api.id);
    const limit = body.limit ?? 100;
    let identityId: string | undefined;
    if (body.externalId !== undefined) {
      const identity = store.identities.findByExternalId(rootKey.workspaceId, body.externalId);
      if (!identity) return { data: [], pagination: { hasMore: false } };
      identityId = identity.id;
    }
    const rows = store.keys.listByApi(api.id, { limit: limit + 1, cursor: body.cursor, identityId });
    const page = rows.slice(0, limit);
    const next = rows[limit];
    return {
      data: page.map((key) => keyResponse(store, key, body.decrypt ? { vault } : {})),
      pagination: next ? { cursor: next.id, hasMore: true } : { hasMore: false },
    };
  },
});
