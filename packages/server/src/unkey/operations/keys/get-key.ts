import { requireOnApi } from '../../../domain/permissions/root-key-permissions.js';
import { applyRefill } from '../../../domain/credits/apply-refill.js';
import { findKeyFor } from '../../../domain/keys/find-key.js';
import { keyResponse } from '../../../domain/keys/key-response.js';
import { keyId } from '../../../validation/rules.js';
import { boolean, object, optional, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';

export const getKey = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keys.getKey',
  body: object({ keyId: required(keyId()), decrypt: optional(boolean()) }),
  handle({ store, rootKey, vault, now }, { body }) {
    return store.transaction(() => {
      const key = applyRefill(store, findKeyFor(store, rootKey, body.keyId, 'read_key'), now);
      if (body.decrypt) requireOnApi(rootKey, 'decrypt_key', key.apiId);
      return { data: keyResponse(store, key, body.decrypt ? { vault } : {}) };
    });
  },
});
