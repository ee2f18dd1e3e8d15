import { requireOnApi, requireOnSomeApi } from '../../../domain/permissions/root-key-permissions.js';
import { applyRefill } from '../../../domain/credits/apply-refill.js';
import { hashKey } from '../../../crypto/hash.js';
import { notFound } from '../../../api-error.js';
import { keyResponse } from '../../../domain/keys/key-response.js';
import { object, required, string } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';

export const whoami = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keys.whoami',
  body: object({ key: required(string({ min: 1, max: 512 })) }),
  handle({ store, rootKey, now }, { body }) {
    requireOnSomeApi(rootKey, 'read_key');
    return store.transaction(() => {
      const found = store.keys.findByHash(hashKey(body.key));
      if (!found || found.workspaceId !== rootKey.workspaceId)
        throw notFound('KEY_NOT_FOUND', 'The key does not exist or was deleted.');
      requireOnApi(rootKey, 'read_key', found.apiId);
      return { data: keyResponse(store, applyRefill(store, found, now)) };
    });
  },
});
